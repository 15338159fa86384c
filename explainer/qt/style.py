"""Themes, colormaps and font sizes shared by every panel (and by export)."""

from __future__ import annotations

import math
import sys
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from types import FrameType

import numpy as np
import pyqtgraph as pg
from psygnal import Signal
from PySide6.QtGui import QColor

from explainer.session import THEMES

from . import scale_hold
from .colour_cache import BOUNDS, FINITE_BOUNDS, LAST_BOUND, LAST_RGBA, RGBA, frozen_key


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
        key = frozen_key(values, (self.name, self.low, self.high))
        if key is None:
            return self._convert(values)
        hit = RGBA.get(key)
        if hit is None:
            hit = LAST_RGBA.equal_to(key, values)
            if hit is None:
                hit = self._convert(values)
                LAST_RGBA.remember(key, values, hit)
            RGBA.put(key, values, hit)
        return hit

    def _convert(self, values: np.ndarray) -> np.ndarray:
        span = self.high - self.low or 1.0
        # Our own C-ordered buffer (also for a 0-d value): worked in place, its words viewed as bytes.
        position = np.array(values, dtype=float, order="C")
        if np.isnan(position).any():  # NaN counts as 0 (as np.nan_to_num); ±∞ clip to the ends below
            np.nan_to_num(position, copy=False)
        position -= self.low
        position /= span
        np.clip(position, 0, 1, out=position)
        position *= 255
        np.rint(position, out=position)  # round half to even, as qcolor
        # One 4-byte word per colour: a gather of words is ~7× faster than of (256, 4) byte rows.
        words = np.asarray(self._lut.view(np.uint32).reshape(-1)[position.astype(np.uint8)])
        return words.reshape(-1).view(np.uint8).reshape(*words.shape, 4)

    def qcolor(self, value: float) -> QColor:
        """The colour of one value: ``rgba`` of it, in plain floats (a bar chart asks one bar at a time)."""
        v = float(value)
        if math.isnan(v):  # as np.nan_to_num: NaN → 0, ±∞ → the ends of the scale
            v = 0.0
        elif math.isinf(v):
            v = self.high if v > 0 else self.low
        span = self.high - self.low or 1.0
        position = min(max((v - self.low) / span, 0.0), 1.0)
        r, g, b, a = (int(c) for c in self._lut[round(position * 255)])  # round half to even, as np.round
        return QColor(r, g, b, a)


@cache
def _lookup_table(name: str) -> np.ndarray:
    """256 RGBA bytes of colormap ``name``: built once, not on every redraw of every panel."""
    lut = np.ascontiguousarray(pg.colormap.get(name).getLookupTable(0.0, 1.0, 256, alpha=True), np.uint8)
    lut.flags.writeable = False
    return lut


def finite_magnitude(values: np.ndarray) -> float | None:
    """max |v| over the finite values, None when there are none."""
    if values.size == 0:
        return None
    high, low = float(values.max()), float(values.min())  # two passes, no temporary array
    if math.isfinite(high) and math.isfinite(low):
        return max(high, -low)
    finite = values[np.isfinite(values)]  # a masked −∞ (or NaN): the slow way
    return float(np.max(np.abs(finite))) if finite.size else None


def largest_magnitude(values: np.ndarray) -> float:
    """max |v| over the finite values (1.0 when there are none)."""
    found = finite_magnitude(values)
    return 1.0 if found is None else found


def diverging_for(values: np.ndarray, theme: Theme) -> ColorScale:
    """A diverging scale symmetric around 0, wide enough for the finite values.

    While an edit holds the scales (:func:`hold_scales`), the scale this place had
    when the edit began.
    """
    site = partial(_site, sys._getframe(1), values.shape, 0)
    held, held_bound = scale_hold.held_bound(values, site)
    bound = held_bound if held else _bound(values, site)
    return ColorScale(theme.diverging, -(bound or 1.0), bound or 1.0)


def _bound(values: np.ndarray, site: partial[scale_hold.Place]) -> float:
    key = frozen_key(values, ("bound",))
    if key is None:
        bound = largest_magnitude(values)
        scale_hold.record_site(site(), bound)  # a panel's own copy: a hold starts from it
        return bound
    hit = BOUNDS.get(key)
    if hit is None:
        hit = LAST_BOUND.equal_to(key, values)
        if hit is None:
            hit = largest_magnitude(values)
            LAST_BOUND.remember(key, values, hit)
        BOUNDS.put(key, values, hit)
    return hit


def diverging_for_all(arrays: Sequence[np.ndarray], theme: Theme) -> ColorScale:
    """``diverging_for`` of all of ``arrays`` together, without joining them (frozen ones are cached)."""
    caller = sys._getframe(1)
    bounds = []
    for index, values in enumerate(arrays):
        site = partial(_site, caller, values.shape, index)
        held, bound = scale_hold.held_bound(values, site)
        if not held:
            bound = _finite_bound(values)
            if frozen_key(values, ()) is None:
                scale_hold.record_site(site(), bound)
        bounds.append(bound)
    found = [bound for bound in bounds if bound is not None]
    bound = max(found) if found else 1.0
    return ColorScale(theme.diverging, -(bound or 1.0), bound or 1.0)


def _finite_bound(values: np.ndarray) -> float | None:
    """The largest |finite value| of ``values``, None when it has none; remembered for frozen arrays."""
    key = frozen_key(values, ("finite bound",))
    if key is not None and FINITE_BOUNDS.has(key):
        return FINITE_BOUNDS.get(key)
    bound = finite_magnitude(values)
    if key is not None:
        FINITE_BOUNDS.put(key, values, bound)
    return bound


def _site(caller: FrameType, shape: tuple[int, ...], index: int) -> scale_hold.Place:
    """Where a scale was asked for: the line, the panel that ran it (its ``self``), the shape, which array."""
    owner = caller.f_locals.get("self")
    return ("site", caller.f_code, caller.f_lineno, id(owner), shape, index)


def hold_scales(model: scale_hold.HasTrace) -> None:
    """Keep every diverging scale as it is now while an edit of ``model`` is under way (a drag).

    Cells whose values leave the held range saturate; untouched cells keep
    their colour. Every call needs a :func:`release_scales`; holds nest.
    """
    scale_hold.hold(model)


def release_scales() -> None:
    """End a hold: if any scale shown during it is now different, every panel recolours once."""
    if scale_hold.release():
        for ref in _live():
            appearance = ref()
            if appearance is not None:
                # Listeners of ``rescaled`` redraw; without any, ``changed`` (restyle and redraw) does it.
                signal = appearance.rescaled if len(appearance.rescaled) else appearance.changed
                signal.emit()


def weights_scale(theme: Theme) -> ColorScale:
    return ColorScale(theme.sequential, 0.0, 1.0)


@dataclass
class Appearance:
    """The look every panel shares: theme and font scale (Ctrl+= / Ctrl+−)."""

    theme: Theme = LIGHT
    font_scale: float = 1.0
    captions: bool = True
    # The caption's size in an export, in proportion to its frame (1 at 1280×720):
    # a 480×270 still keeps room for its panels, a 4K one reads like 720p.
    caption_scale: float = 1.0
    changed = Signal()
    rescaled = Signal()  # a scale hold ended and some colour scale changed: draw again, no restyle

    def __post_init__(self) -> None:
        _APPEARANCES[:] = [*_live(), weakref.ref(self)]  # told when a scale hold ends (release_scales)

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


# Every Appearance alive, weakly (a dataclass with eq is unhashable: no WeakSet).
_APPEARANCES: list[weakref.ref[Appearance]] = []


def _live() -> list[weakref.ref[Appearance]]:
    return [ref for ref in _APPEARANCES if ref() is not None]
