"""The scenes by name: what the window's scene menu and the command line ask for."""

from __future__ import annotations

from collections.abc import Sequence

from .architecture import architecture_timeline
from .rnn import rnn_numbers, rnn_timeline
from .timeline import SceneTimeline
from .timing import TimingPoint

__all__ = ["SCENE_NAMES", "scene_timeline"]

SCENE_NAMES = ("architecture", "rnn-vs-attention")


def scene_timeline(name: str, timings: Sequence[TimingPoint] | None = None) -> SceneTimeline:
    """The timeline of scene ``name``; ``timings`` (measured points) only matter to "rnn-vs-attention".

    Raises ValueError for a name that is not one of :data:`SCENE_NAMES`.
    """
    if name == "architecture":
        return architecture_timeline()
    if name == "rnn-vs-attention":
        return rnn_timeline(rnn_numbers(), timings)
    raise ValueError(f"unknown scene {name!r}; expected one of {', '.join(SCENE_NAMES)}")
