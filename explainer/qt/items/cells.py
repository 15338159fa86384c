"""Small array helpers of MatrixItem: shared read-only fills, content equality, theme colours."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtGui import QColor

from explainer.model.state import same_numbers

from ..colour_cache import same_frozen_slice
from ..style import Theme


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """The same cells: the very same array (a cached colour map) or frozen slice, else equal values."""
    return a is b or same_frozen_slice(a, b) or same_numbers(a, b)


def shared_when_filled(array: np.ndarray, value: bool | float) -> np.ndarray:
    """``array``, or the shared ``filled`` array when every cell is ``value`` (nothing lit, fully shown).

    The panels make new lit and opacity arrays on every draw; the shared one is
    recognised by identity, so an unchanged matrix is not compared cell by cell.
    """
    if array.size == 0:
        return array
    if isinstance(value, bool):
        every = not array.any() if not value else bool(array.all())
    else:
        every = float(array.min()) == value == float(array.max())
    return filled(array.shape, value) if every else array


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


def argb_fills(colors: np.ndarray, opacity: np.ndarray, masked: np.ndarray, theme: Theme) -> np.ndarray:
    """Each cell's colour as 0xAARRGGBB: its colour, masked grey, or fading in from empty (opacity)."""
    if not masked.any() and bool((opacity >= 1).all()):  # the common case: no blending
        # RGBA bytes read as little-endian words: 0xAABBGGRR, reordered to 0xFFRRGGBB.
        words = np.ascontiguousarray(colors, dtype=np.uint8).view("<u4")[..., 0]
        return np.asarray(0xFF000000 | ((words & 0xFF) << 16) | (words & 0xFF00) | ((words >> 16) & 0xFF))
    rgb = colors[..., :3].astype(float)
    rgb[masked] = rgb_of(theme.masked)
    t = np.clip(opacity, 0.0, 1.0)[..., None]
    rgb = np.round(rgb_of(theme.empty) + (rgb - rgb_of(theme.empty)) * t).astype(np.uint32)
    return np.asarray(0xFF000000 | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2])


def light_cells(fills: np.ndarray) -> np.ndarray:
    """Cells light enough for black numbers (by luma), else white numbers."""
    r, g, b = (fills >> 16) & 0xFF, (fills >> 8) & 0xFF, fills & 0xFF
    return np.asarray((0.299 * r + 0.587 * g + 0.114 * b) > 140)
