"""Editors that change the model: weight tables and the token / size form."""

from .tokens import TokenEditor
from .weights import WeightEditor

__all__ = ["TokenEditor", "WeightEditor"]
