"""Colour scales that stay put while a value is being dragged: each place keeps its scale until the edit ends.

A diverging scale spans the values it colours, so without a hold every frame of
a drag that moves the largest |value| recolours every cell of the matrix. While
a hold is on, ``style.diverging_for`` and ``diverging_for_all`` ask
:func:`held_bound` for the bound each place had when the edit began; a value
that outgrows it saturates. When the hold ends the scales are computed afresh
once (see ``style.release_scales``).

A place is one view of one tensor of the held model's trace (the field, where
in it, which shape and strides: ``trace.w_q[1]`` is a place, and so is its
transpose), whose bound before the edit is read from the same view of the
trace the hold started on. Any other array (a panel's own copy, such as the
unmasked scores) is placed by the line of code that asked and the panel that
ran it; its bound before the edit is the one that line last asked for.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import numpy as np

from .colour_cache import memory_owner

__all__ = ["Place", "finite_bound", "held_bound", "hold", "holding", "record_site", "release"]

Place = tuple[object, ...]
SITES_KEPT = 256  # panels come and go (a test opens hundreds of windows): the oldest are forgotten


class HasTrace(Protocol):
    """What a hold needs of a model: its current trace (an ``AttentionModel``)."""

    @property
    def trace(self) -> object: ...


def finite_bound(values: np.ndarray) -> float | None:
    """The largest |finite value| of ``values``, None when it has none."""
    finite = values[np.isfinite(values)]
    return float(np.max(np.abs(finite))) if finite.size else None


def _address(values: np.ndarray) -> int:
    return int(values.__array_interface__["data"][0])


def _roots(trace: object) -> list[tuple[str, np.ndarray]]:
    """Each array field of a trace and the array that owns its memory, in field order."""
    fields = dataclasses.fields(trace) if dataclasses.is_dataclass(trace) else ()
    arrays = ((f.name, getattr(trace, f.name)) for f in fields)
    return [(name, memory_owner(array)) for name, array in arrays if isinstance(array, np.ndarray)]


def _same_view(
    old_root: np.ndarray, new_root: np.ndarray, values: np.ndarray, offset: int
) -> np.ndarray | None:
    """The view of ``old_root`` that ``values`` is of ``new_root``, or None if their layouts differ."""
    same_layout = (
        old_root.shape == new_root.shape
        and old_root.strides == new_root.strides
        and old_root.dtype == new_root.dtype == values.dtype
        and old_root.flags.c_contiguous
    )
    if not same_layout or offset % values.itemsize:
        return None
    start = old_root.reshape(-1)[offset // values.itemsize :]
    return np.lib.stride_tricks.as_strided(start, values.shape, values.strides, writeable=False)


class _Hold:
    """One edit in progress on one model: the bound each place had when it began."""

    def __init__(self, model: HasTrace, sites: dict[Place, float | None]):
        self.model, self.depth = model, 1
        self.before = dict(_roots(model.trace))  # the numbers as they were when the edit began
        self.sites = sites  # what each line of code last asked for, before the edit
        self.bounds: dict[Place, float | None] = {}
        self.last: dict[Place, np.ndarray] = {}  # what each place showed last: did its range change?
        self._now: tuple[object, list[tuple[str, np.ndarray]]] | None = None

    def _fields_now(self) -> list[tuple[str, np.ndarray]]:
        trace = self.model.trace
        if self._now is None or self._now[0] is not trace:
            self._now = (trace, _roots(trace))
        return self._now[1]

    def bound(self, values: np.ndarray, site: Callable[[], Place]) -> float | None:
        place, before = self._field_place(values)
        if place is None:
            place = site()
            if place not in self.bounds:
                self.bounds[place] = self.sites[place] if place in self.sites else finite_bound(values)
        elif place not in self.bounds:
            self.bounds[place] = finite_bound(before if before is not None else values)
        self.last[place] = values
        return self.bounds[place]

    def _field_place(self, values: np.ndarray) -> tuple[Place | None, np.ndarray | None]:
        """The trace field ``values`` is a view of (with where in it), and the same view before the edit."""
        root = memory_owner(values)
        for name, array in self._fields_now():
            if array is root:
                offset = _address(values) - _address(root)
                place = ("field", name, offset, values.shape, values.strides, values.dtype.str)
                old_root = self.before.get(name)
                return place, None if old_root is None else _same_view(old_root, root, values, offset)
        return None, None

    def changed(self) -> bool:
        """Whether a fresh scale differs from the held one at any place shown during the hold."""
        return any(
            (finite_bound(values) or 1.0) != (self.bounds[place] or 1.0)  # None, 0: a scale of ±1
            for place, values in self.last.items()
        )


_hold: _Hold | None = None
_sites: OrderedDict[Place, float | None] = OrderedDict()


def hold(model: HasTrace) -> None:
    """Keep every scale as it is now until :func:`release` (holds nest)."""
    global _hold
    if _hold is not None:
        _hold.depth += 1
        return
    _hold = _Hold(model, dict(_sites))


def release() -> bool:
    """End a hold; True when the last one ended and some scale shown during it is now different."""
    global _hold
    if _hold is None:
        return False
    _hold.depth -= 1
    if _hold.depth > 0:
        return False
    ended, _hold = _hold, None
    return ended.changed()


def holding() -> bool:
    return _hold is not None


def held_bound(values: np.ndarray, site: Callable[[], Place]) -> tuple[bool, float | None]:
    """``(True, bound)`` the place of ``values`` had when the hold began; ``(False, None)`` without a hold."""
    if _hold is None:
        return False, None
    return True, _hold.bound(values, site)


def record_site(place: Place, bound: float | None) -> None:
    """Remember what a line of code asked for, so that a hold can start from it."""
    _sites[place] = bound
    _sites.move_to_end(place)
    while len(_sites) > SITES_KEPT:
        _sites.popitem(last=False)
