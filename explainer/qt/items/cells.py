"""Small array helpers of MatrixItem: shared read-only fills, content equality, theme colours."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtGui import QColor


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """The same cells: the very same array (a cached colour map), else equal shape and values."""
    return a is b or (a.shape == b.shape and np.array_equal(a, b))


@lru_cache(maxsize=64, typed=True)  # typed: True and 1.0 are equal keys, but not the same array
def filled(shape: tuple[int, ...], value: bool | float) -> np.ndarray:
    """A read-only array of ``value`` (no opacity, nothing lit): one per shape, not one per draw."""
    array = np.full(shape, value, dtype=bool if isinstance(value, (bool, np.bool_)) else float)
    array.flags.writeable = False
    return array


def rgb_of(color: str) -> np.ndarray:
    """A theme colour as (r, g, b) floats."""
    qcolor = QColor(color)
    return np.array([qcolor.red(), qcolor.green(), qcolor.blue()], dtype=float)
