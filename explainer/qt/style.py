"""Themes, colormaps and font sizes shared by every panel (and by export)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyqtgraph as pg
from psygnal import Signal
from PySide6.QtGui import QColor

from explainer.session import THEMES


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    panel: str
    text: str
    muted: str
    grid: str
    empty: str  # a cell not revealed yet
    masked: str  # a −∞ cell
    step: str  # what the current step works on
    focus: str  # what the pointer links across panels
    diverging: str  # signed values, centred on 0
    sequential: str  # attention weights, 0..1


# Colour-blind-safe, perceptually uniform maps: CET-CBD1 (blue–white–yellow)
# for signed numbers, viridis for weights in 0..1.
LIGHT = Theme(
    "light",
    "#ffffff",
    "#f6f7f9",
    "#1d2330",
    "#5b6475",
    "#d5d9e0",
    "#eceef2",
    "#9aa1ad",
    "#e8590c",
    "#7b2cbf",
    "CET-CBD1",
    "viridis",
)
DARK = Theme(
    "dark",
    "#15181e",
    "#1d2129",
    "#e9ecf2",
    "#9aa3b2",
    "#3a404c",
    "#262b34",
    "#59606d",
    "#ff922b",
    "#c77dff",
    "CET-CBD1",
    "viridis",
)
# The look of each theme named by explainer.session.THEMES (the one list of theme names).
THEME_STYLES = {theme.name: theme for theme in (LIGHT, DARK)}
assert tuple(THEME_STYLES) == THEMES, "a theme name without a style, or a style without a name"
# Messages that say what is wrong (a refused option, a failed load), in any theme.
ERROR_COLOUR = "#c92a2a"


class ColorScale:
    """Map values to RGBA bytes with a pyqtgraph colormap over [low, high]."""

    def __init__(self, name: str, low: float, high: float):
        self.name, self.low, self.high = name, low, high
        self._lut = _lookup_table(name)

    def rgba(self, values: np.ndarray) -> np.ndarray:
        """RGBA bytes per value; frozen arrays (a trace's, a model's) are converted once."""
        key = _frozen_key(values, (self.name, self.low, self.high))
        if key is None:
            return self._convert(values)
        hit = _RGBA_CACHE.get(key)
        if hit is None:
            hit = (values, self._convert(values))  # keeps ``values`` alive: its address stays its own
            _RGBA_CACHE[key] = hit
            while len(_RGBA_CACHE) > RGBA_CACHE_SIZE:
                _RGBA_CACHE.pop(next(iter(_RGBA_CACHE)))
        return hit[1]

    def _convert(self, values: np.ndarray) -> np.ndarray:
        span = self.high - self.low or 1.0
        position = np.clip((np.nan_to_num(values, posinf=self.high, neginf=self.low) - self.low) / span, 0, 1)
        return np.asarray(self._lut[np.round(position * 255).astype(int)])

    def qcolor(self, value: float) -> QColor:
        r, g, b, a = (int(c) for c in self.rgba(np.array([value]))[0])
        return QColor(r, g, b, a)


RGBA_CACHE_SIZE = 512
CacheKey = tuple[object, ...]
_RGBA_CACHE: dict[CacheKey, tuple[np.ndarray, np.ndarray]] = {}


def _frozen_key(values: np.ndarray, scale: CacheKey) -> CacheKey | None:
    """A key for ``values`` if no one can change them (read-only all the way down), else None.

    Trace and parameter arrays are frozen, so the same memory means the same
    numbers: redrawing a head need not recolour a 384-wide matrix again.
    """
    if not isinstance(values, np.ndarray) or values.ndim == 0:
        return None  # a NumPy scalar is a temporary: its address is reused at once
    root = values
    while isinstance(root, np.ndarray):
        if root.flags.writeable:
            return None
        if root.base is None:
            break
        root = root.base
    interface = values.__array_interface__
    return (*scale, interface["data"][0], values.shape, values.strides, values.dtype.str)


@cache
def _lookup_table(name: str) -> np.ndarray:
    """256 RGBA bytes of colormap ``name``: built once, not on every redraw of every panel."""
    lut = pg.colormap.get(name).getLookupTable(0.0, 1.0, 256, alpha=True)
    lut.flags.writeable = False
    return np.asarray(lut)


def diverging_for(values: np.ndarray, theme: Theme) -> ColorScale:
    """A diverging scale symmetric around 0, wide enough for the finite values."""
    key = _frozen_key(values, ("bound",))
    bound = _BOUNDS.get(key) if key is not None else None
    if bound is None:
        finite = values[np.isfinite(values)]
        bound = float(np.max(np.abs(finite))) if finite.size else 1.0
        if key is not None:
            _BOUNDS[key] = bound
            _KEEP_ALIVE[key] = values  # the address in the key stays this array's
            if len(_BOUNDS) > RGBA_CACHE_SIZE:
                oldest = next(iter(_BOUNDS))
                _BOUNDS.pop(oldest)
                _KEEP_ALIVE.pop(oldest)
    return ColorScale(theme.diverging, -(bound or 1.0), bound or 1.0)


_BOUNDS: dict[CacheKey, float] = {}
_KEEP_ALIVE: dict[CacheKey, np.ndarray] = {}


def weights_scale(theme: Theme) -> ColorScale:
    return ColorScale(theme.sequential, 0.0, 1.0)


@dataclass
class Appearance:
    """The look every panel shares: theme and font scale (Ctrl+= / Ctrl+−)."""

    theme: Theme = LIGHT
    font_scale: float = 1.0
    captions: bool = True
    changed = Signal()

    def set_theme(self, name: str) -> None:
        if THEME_STYLES[name] is not self.theme:
            self.theme = THEME_STYLES[name]
            self.changed.emit()

    def set_font_scale(self, scale: float) -> None:
        scale = min(3.0, max(0.6, round(scale, 2)))
        if scale != self.font_scale:
            self.font_scale = scale
            self.changed.emit()

    def px(self, size: float) -> int:
        """A font size in pixels at the current scale."""
        return max(6, round(size * self.font_scale))

    def fitted(self, from_cell: float, cap: float) -> float:
        """A font size that follows the on-screen cell size and the text scale, up to a cap."""
        return min(from_cell * self.font_scale, self.px(cap))
