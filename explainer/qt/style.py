"""Themes, colormaps and font sizes shared by every panel (and by export)."""

from __future__ import annotations

import math
import sys
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from types import FrameType
from typing import TypeVar

import numpy as np
import pyqtgraph as pg
from psygnal import Signal
from PySide6.QtGui import QColor

from explainer.model.state import same_numbers
from explainer.session import THEMES

from . import scale_hold


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
            hit = _equal_to_last(_LAST_RGBA, key, values)
            if hit is None:
                hit = (values, self._convert(values))  # keeps ``values`` alive: its address stays its own
                _remember_last(_LAST_RGBA, key, hit)
            _RGBA_CACHE.put(key, hit)
        return hit[1]

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


RGBA_CACHE_SIZE = 512
# What each cache below may keep alive. A d_model 1024 edit makes new 8 MB arrays:
# counting entries alone let the caches hold gigabytes after a few hundred edits.
CACHE_BYTES = 64 * 1024 * 1024
CacheKey = tuple[object, ...]
Entry = TypeVar("Entry")


class _KeptCache(dict[CacheKey, tuple[np.ndarray, Entry]]):
    """Entries ``(array, result)`` that keep their array alive, so the address in a key stays its own.

    The oldest entries go beyond ``entries`` of them or ``CACHE_BYTES`` kept
    (an array counts its whole buffer: a view keeps its base alive).
    """

    def __init__(self, entries: int) -> None:
        super().__init__()
        self.entries, self.kept = entries, 0

    def put(self, key: CacheKey, entry: tuple[np.ndarray, Entry]) -> None:
        if key in self:
            self.kept -= _cost(self.pop(key))
        self[key] = entry
        self.kept += _cost(entry)
        while len(self) > 1 and (len(self) > self.entries or self.kept > CACHE_BYTES):
            self.kept -= _cost(self.pop(next(iter(self))))


def _cost(entry: tuple[np.ndarray, object]) -> int:
    root = entry[0]
    while isinstance(root.base, np.ndarray):
        root = root.base
    result = entry[1]
    return int(root.nbytes) + (int(result.nbytes) if isinstance(result, np.ndarray) else 0)


_RGBA_CACHE: _KeptCache[np.ndarray] = _KeptCache(RGBA_CACHE_SIZE)
# The last frozen array converted per scale and place (see _place_key). An edit
# copies every parameter into a new frozen array (new address, same numbers): a
# d_model 1024 W_O is then recognised by one comparison instead of being coloured again.
LAST_CACHE_SIZE = 256
_LAST_RGBA: _KeptCache[np.ndarray] = _KeptCache(LAST_CACHE_SIZE)
_LAST_BOUND: _KeptCache[float] = _KeptCache(LAST_CACHE_SIZE)
MIN_COMPARED = 1024  # smaller arrays are converted again: cheaper than comparing them


def _place_key(key: CacheKey, values: np.ndarray) -> CacheKey:
    """A frozen key without the address: the same place (offset, shape, layout) in an array of the same shape.

    Head h's weights of one trace and of the next are the same place: an edit of
    one head compares the other heads with their last numbers instead of
    colouring all of them again.
    """
    root = values
    while isinstance(root.base, np.ndarray):
        root = root.base
    offset = values.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return (*key[:-4], offset, root.shape, *key[-3:])


def _equal_to_last(
    last: _KeptCache[Entry], key: CacheKey, values: np.ndarray
) -> tuple[np.ndarray, Entry] | None:
    """What was found for an equal array converted last in the same place, else None."""
    if values.size < MIN_COMPARED:
        return None
    hit = last.get(_place_key(key, values))
    if hit is not None and same_numbers(hit[0], values):
        return (values, hit[1])
    return None


def _remember_last(last: _KeptCache[Entry], key: CacheKey, entry: tuple[np.ndarray, Entry]) -> None:
    if entry[0].size >= MIN_COMPARED:
        last.put(_place_key(key, entry[0]), entry)


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
    lut = np.ascontiguousarray(pg.colormap.get(name).getLookupTable(0.0, 1.0, 256, alpha=True), np.uint8)
    lut.flags.writeable = False
    return lut


def largest_magnitude(values: np.ndarray) -> float:
    """max |v| over the finite values (1.0 when there are none)."""
    if values.size == 0:
        return 1.0
    high, low = float(values.max()), float(values.min())  # two passes, no temporary array
    if math.isfinite(high) and math.isfinite(low):
        return max(high, -low)
    finite = values[np.isfinite(values)]  # a masked −∞ (or NaN): the slow way
    return float(np.max(np.abs(finite))) if finite.size else 1.0


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
    key = _frozen_key(values, ("bound",))
    hit = _BOUNDS.get(key) if key is not None else None
    if hit is None and key is not None:
        hit = _equal_to_last(_LAST_BOUND, key, values)
        if hit is not None:
            _BOUNDS.put(key, hit)
    if hit is None:
        hit = (values, largest_magnitude(values))
        if key is not None:
            _remember_last(_LAST_BOUND, key, hit)
            _BOUNDS.put(key, hit)  # keeps ``values`` alive: the address in the key stays this array's
        else:
            scale_hold.record_site(site(), hit[1])  # a panel's own copy: a hold starts from it
    return hit[1]


def diverging_for_all(arrays: Sequence[np.ndarray], theme: Theme) -> ColorScale:
    """``diverging_for`` of all of ``arrays`` together, without joining them (frozen ones are cached)."""
    caller = sys._getframe(1)
    bounds = []
    for index, values in enumerate(arrays):
        site = partial(_site, caller, values.shape, index)
        held, bound = scale_hold.held_bound(values, site)
        if not held:
            bound = _finite_bound(values)
            if _frozen_key(values, ()) is None:
                scale_hold.record_site(site(), bound)
        bounds.append(bound)
    found = [bound for bound in bounds if bound is not None]
    bound = max(found) if found else 1.0
    return ColorScale(theme.diverging, -(bound or 1.0), bound or 1.0)


def _finite_bound(values: np.ndarray) -> float | None:
    """The largest |finite value| of ``values``, None when it has none; remembered for frozen arrays."""
    key = _frozen_key(values, ("finite bound",))
    if key is not None and key in _FINITE_BOUNDS:
        return _FINITE_BOUNDS[key][1]
    finite = values[np.isfinite(values)]
    bound = float(np.max(np.abs(finite))) if finite.size else None
    if key is not None:
        _FINITE_BOUNDS.put(key, (values, bound))  # keeps ``values`` alive: its address stays its own
    return bound


_FINITE_BOUNDS: _KeptCache[float | None] = _KeptCache(RGBA_CACHE_SIZE)
_BOUNDS: _KeptCache[float] = _KeptCache(RGBA_CACHE_SIZE)


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
