"""Attention Explainer: teach transformer attention one visible step at a time."""

__all__: list[str] = []
__version__ = "0.1.0"
