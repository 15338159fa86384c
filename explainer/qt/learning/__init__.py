"""Learn it live: pick the attention you want on α, press Learn, watch W_Q and W_K move to it.

The gradient descent itself is Qt-free (:mod:`explainer.model.learn`); this package
is its dock, its timer and its marks on the α matrix.
"""

from .mode import Learning

__all__ = ["Learning"]
