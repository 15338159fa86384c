"""What the colour scales remember about frozen arrays: their colours and bounds, by address and by place.

Trace and parameter arrays are frozen, so the same memory means the same
numbers: redrawing a head need not recolour a 384-wide matrix again.

By address (:class:`ByAddress`): an entry goes when its array's memory does,
because the address may then be another array's. Entries never keep an array
alive: at d_model 1024 every edit makes a new 8 MB W_Q, and kept ones made each
edit claim fresh memory from the system (18 ms per 8 MB here) for the first
dozen edits.

By place (:class:`ByPlace`): the last array coloured at the same place (offset,
shape, layout of the same-shaped parent). After an edit of one head, the other
heads' new arrays hold the numbers they held before: one comparison with a
compact copy of the last ones reuses their colours.
"""

from __future__ import annotations

import weakref
from typing import Generic, TypeVar

import numpy as np

from explainer.model.state import same_numbers

__all__ = [
    "BOUNDS",
    "FINITE_BOUNDS",
    "LAST_BOUND",
    "LAST_RGBA",
    "RGBA",
    "ByAddress",
    "ByPlace",
    "frozen_key",
    "memory_owner",
    "same_frozen_slice",
]

Key = tuple[object, ...]
Result = TypeVar("Result")

ENTRIES = 512
PLACES = 256
PLACE_BYTES = 64 * 1024 * 1024  # what the copies of one ByPlace may hold
MIN_COMPARED = 1024  # smaller arrays are converted again: cheaper than comparing them


def frozen_key(values: np.ndarray, scale: Key) -> Key | None:
    """A key for ``values`` if no one can change them (read-only all the way down), else None."""
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


def memory_owner(values: np.ndarray) -> np.ndarray:
    """The array that owns ``values``'s memory (``values`` itself, or the base of its views)."""
    while isinstance(values.base, np.ndarray):
        values = values.base
    return values


def same_frozen_slice(a: np.ndarray, b: np.ndarray) -> bool:
    """The same cells of one read-only array: equal without reading them (a trace's ``k[h]`` drawn again)."""
    key = frozen_key(a, ())
    return key is not None and key == frozen_key(b, ())


class ByAddress(Generic[Result]):
    """Results by a frozen array's key, each dropped when the memory it was found for is freed."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self.entries = entries
        self._found: dict[Key, tuple[Result, weakref.finalize[..., object]]] = {}

    def has(self, key: Key) -> bool:
        return key in self._found

    def get(self, key: Key) -> Result | None:
        hit = self._found.get(key)
        return None if hit is None else hit[0]

    def put(self, key: Key, values: np.ndarray, result: Result) -> None:
        self._drop(key)
        self._found[key] = (result, weakref.finalize(memory_owner(values), self._found.pop, key, None))
        while len(self._found) > self.entries:
            self._drop(next(iter(self._found)))

    def _drop(self, key: Key) -> None:
        """Forget ``key`` and its finalizer: one finalizer per entry, not one per put."""
        hit = self._found.pop(key, None)
        if hit is not None:
            hit[1].detach()


class ByPlace(Generic[Result]):
    """The last result per place, with a compact copy of the numbers it was found for."""

    def __init__(self, places: int = PLACES) -> None:
        self.places = places
        self._last: dict[Key, tuple[np.ndarray, Result]] = {}
        self._bytes = 0

    def equal_to(self, key: Key, values: np.ndarray) -> Result | None:
        """The result of the last array in ``values``'s place if it held the same numbers, else None."""
        if values.size < MIN_COMPARED:
            return None
        hit = self._last.get(_place(key, values))
        return hit[1] if hit is not None and same_numbers(hit[0], values) else None

    def remember(self, key: Key, values: np.ndarray, result: Result) -> None:
        if values.size < MIN_COMPARED:
            return
        place = _place(key, values)
        if place in self._last:
            self._bytes -= self._last.pop(place)[0].nbytes
        # A view of W_Q's head would keep all of W_Q alive: keep its own numbers instead.
        kept = values if values.base is None else values.copy()
        self._last[place] = (kept, result)
        self._bytes += kept.nbytes
        while len(self._last) > 1 and (len(self._last) > self.places or self._bytes > PLACE_BYTES):
            self._bytes -= self._last.pop(next(iter(self._last)))[0].nbytes


def _place(key: Key, values: np.ndarray) -> Key:
    """``key`` without the address: the same offset, shape and layout in a parent of the same shape."""
    root = memory_owner(values)
    offset = values.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return (*key[:-4], offset, root.shape, *key[-3:])


RGBA: ByAddress[np.ndarray] = ByAddress()
LAST_RGBA: ByPlace[np.ndarray] = ByPlace()
BOUNDS: ByAddress[float] = ByAddress()
LAST_BOUND: ByPlace[float] = ByPlace()
FINITE_BOUNDS: ByAddress[float | None] = ByAddress()
