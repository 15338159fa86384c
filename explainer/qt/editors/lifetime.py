"""A widget deleted with its dock, without close(), must stop listening instead of crashing."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from psygnal import SignalInstance


def still_alive(widget: object, signal: SignalInstance, slot: Callable[..., object]) -> bool:
    """True while ``widget``'s C++ side exists; otherwise disconnect ``slot`` and say False."""
    if shiboken6.isValid(widget):
        return True
    signal.disconnect(slot)
    return False
