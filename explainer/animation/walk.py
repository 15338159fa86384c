"""What a player and an exporter need of any walkthrough: timed steps in order.

The attention :class:`~explainer.animation.Timeline` and the lecture's scenes
(:mod:`explainer.scenes`) both have it, so one transport and one exporter serve both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["Timed", "Walk"]


class Timed(Protocol):
    """A step: all a clock needs is how long it plays, at 1× speed, in seconds."""

    @property
    def duration(self) -> float: ...


class Walk(Protocol):
    """Steps played one after the other; step ``i`` starts at ``start(i)``."""

    @property
    def steps(self) -> Sequence[Timed]: ...

    @property
    def starts(self) -> Sequence[float]: ...

    @property
    def duration(self) -> float: ...

    def index_at(self, t: float) -> int: ...

    def start(self, index: int) -> float: ...
