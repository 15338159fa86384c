"""A scene's walkthrough: steps with captions, sampled at time t. Pure data, no Qt.

A scene step names what it is about (``lit``: the ids of the elements drawn
highlighted), what moves (``flows``: the ids of the arrows tokens travel along
while the step plays) and where the camera looks (``camera``: the id of one
part of the scene, or None for the whole of it).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from explainer.animation.easing import ease_in_out_cubic

__all__ = ["SceneFrame", "SceneStep", "SceneTimeline"]


@dataclass(frozen=True)
class SceneStep:
    """One step of a scene: an id, the caption, how long it plays, what it lights and moves."""

    name: str
    caption: str
    duration: float
    lit: frozenset[str] = field(default_factory=frozenset)
    flows: tuple[str, ...] = ()
    camera: str | None = None

    def __post_init__(self) -> None:
        if not self.duration > 0:
            raise ValueError(f"step {self.name!r}: duration must be positive, got {self.duration!r}")


@dataclass(frozen=True)
class SceneFrame:
    """A scene at one instant: step ``index`` at ``progress`` (0–1), ``eased`` for motion."""

    t: float
    index: int
    step: SceneStep
    progress: float
    eased: float
    previous: SceneStep | None  # the step before (a camera moves from its framing)


class SceneTimeline:
    """The steps of a scene in order; :meth:`state_at` samples it at time t (pure)."""

    def __init__(self, name: str, title: str, steps: Sequence[SceneStep]):
        if not steps:
            raise ValueError(f"scene {name!r}: no steps")
        self.name, self.title = name, title
        self.steps: tuple[SceneStep, ...] = tuple(steps)
        self.starts = [0.0, *accumulate(step.duration for step in self.steps)][:-1]
        self.duration = self.starts[-1] + self.steps[-1].duration

    def index_at(self, t: float) -> int:
        """The step playing at time ``t`` (clamped to the first and last step)."""
        return max(0, min(len(self.steps) - 1, bisect.bisect_right(self.starts, t) - 1))

    def start(self, index: int) -> float:
        return self.starts[max(0, min(len(self.steps) - 1, index))]

    def state_at(self, t: float) -> SceneFrame:
        t = min(max(float(t), 0.0), self.duration)
        index = self.index_at(t)
        step = self.steps[index]
        progress = min(1.0, (t - self.starts[index]) / step.duration)
        previous = self.steps[index - 1] if index > 0 else None
        return SceneFrame(t, index, step, progress, ease_in_out_cubic(progress), previous)
