"""Which picture each frame of an export shows: the walkthrough paced for slides. Pure, no Qt.

A step plays for its duration divided by the speed, then its finished state is
held (``hold`` seconds); the last step's finished state is held for the final
hold instead (the longer of the two), and always for at least one frame. A held
state is one :class:`Shot` lasting many frames: it is rendered once, and a GIF
shows it as one image with a long delay.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass

from explainer.animation import FrameState, Timeline
from explainer.animation.walk import Walk
from explainer.i18n import _

__all__ = [
    "DEFAULT_FINAL_HOLD",
    "MAX_FPS",
    "MAX_HOLD",
    "MAX_SPEED",
    "MIN_FPS",
    "MIN_SPEED",
    "FrameSchedule",
    "Pacing",
    "Shot",
    "check_fps",
    "check_hold",
    "check_speed",
    "finished_state",
]

MIN_FPS, MAX_FPS = 1.0, 120.0
MIN_SPEED, MAX_SPEED = 0.1, 10.0
# A minute of one still picture is more than any slide needs; the video player can pause.
MAX_HOLD = 60.0
# What the command line and the dialog hold the last frame for: a looping GIF or a
# slide's video must not jump away from the finished picture the moment it is reached.
DEFAULT_FINAL_HOLD = 2.0
# Frame times closer than this (in frames) to a boundary count as on it: float sums
# of step durations are not exact (2.5 + 1.2 + … ) and must not add a frame.
FRAME_EPS = 1e-6


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]  # anything float() takes; the rest is refused below
    except (TypeError, ValueError):
        return math.nan


def check_fps(fps: object) -> float:
    """``fps`` as a float, or ValueError unless it is a frame rate from 1 to 120."""
    value = _number(fps)
    if not MIN_FPS <= value <= MAX_FPS:  # also refuses NaN
        raise ValueError(
            _("fps: expected a number from {least} to {most}, got {value}").format(
                least=f"{MIN_FPS:g}", most=f"{MAX_FPS:g}", value=repr(fps)
            )
        )
    return value


def check_speed(value: object, name: str = "speed") -> float:
    """``value`` as a playback speed (0.5 half speed, 2 twice as fast), or ValueError naming ``name``."""
    speed = _number(value)
    if not MIN_SPEED <= speed <= MAX_SPEED:  # also refuses NaN
        raise ValueError(
            _(
                "{name}: expected a playback speed from {least} to {most} "
                "(0.5 is half speed, 2 twice as fast), got {value}"
            ).format(name=name, least=f"{MIN_SPEED:g}", most=f"{MAX_SPEED:g}", value=repr(value))
        )
    return speed


def check_hold(value: object, name: str = "hold") -> float:
    """``value`` as a hold in seconds, 0 to :data:`MAX_HOLD`, or ValueError naming ``name``."""
    seconds = _number(value)
    if not 0.0 <= seconds <= MAX_HOLD:  # also refuses NaN
        raise ValueError(
            _("{name}: expected seconds from 0 to {most}, got {value}").format(
                name=name, most=f"{MAX_HOLD:g}", value=repr(value)
            )
        )
    return seconds


@dataclass(frozen=True)
class Pacing:
    """How an export is paced; the default plays the walkthrough as the app does, holding nothing.

    Parameters
    ----------
    speed : float
        Playback speed, 0.1 to 10: a step lasts its duration divided by ``speed``.
    hold : float
        Seconds of video each step's finished state stays on screen after the step.
    final_hold : float
        Seconds the last frame stays at the end of the video (the last step's
        hold is the longer of ``hold`` and ``final_hold``).

    Holds are seconds of the video: they do not change with ``speed``.
    """

    speed: float = 1.0
    hold: float = 0.0
    final_hold: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "speed", check_speed(self.speed))
        object.__setattr__(self, "hold", check_hold(self.hold))
        object.__setattr__(self, "final_hold", check_hold(self.final_hold, "final hold"))

    @property
    def end_hold(self) -> float:
        """How long the last step's finished state is held."""
        return max(self.hold, self.final_hold)


@dataclass(frozen=True)
class Shot:
    """One picture of an export: step ``step`` at time ``t`` (None: finished), for ``frames`` frames."""

    step: int
    t: float | None
    frames: int


@dataclass(frozen=True)
class _Segment:
    step: int
    first: int  # its first frame
    played: int  # the frame after its animation (where its hold begins)
    end: int  # the frame after its hold
    seconds: float  # the video time its animation starts at


def _frame_at(seconds: float, fps: float) -> int:
    """The first frame at or after ``seconds`` of video."""
    return max(0, math.ceil(seconds * fps - FRAME_EPS))


class FrameSchedule:
    """The frames of an export of steps ``indices`` at ``fps``, paced by ``pacing``.

    Frame ``k`` is at video time ``k / fps``. During a step's animation it shows
    the timeline at ``start + (k / fps - video start) * speed``; then the step's
    finished state for its hold. The last step ends finished for
    ``pacing.end_hold`` seconds, at least one frame. With the default pacing
    that is ``(end - start) * fps + 1`` frames, the last the last step
    finished. Building the schedule costs one pass over the steps, not the frames.

    Parameters
    ----------
    timeline : Walk
        The walkthrough being exported: the attention :class:`Timeline` or a scene's.
    indices : range
        Non-empty 0-based step indices, as :func:`~explainer.export.select_steps` returns.
    fps : float
        Frames per second, 1 to 120.
    pacing : Pacing
        Speed and holds.

    Attributes
    ----------
    frames : int
        How many frames the video has.
    pictures : int
        How many different pictures are rendered (a held state counts once).
    """

    def __init__(self, timeline: Walk, indices: range, fps: float, pacing: Pacing | None = None):
        self.fps = check_fps(fps)
        self.pacing = pacing if pacing is not None else Pacing()
        if len(indices) == 0:
            raise ValueError(_("steps: the range is empty; nothing to export"))
        if not 0 <= indices[0] <= indices[-1] < len(timeline.steps):
            raise ValueError(
                _("steps: expected indices within 0..{last}, got {indices}").format(
                    last=len(timeline.steps) - 1, indices=indices
                )
            )
        self.timeline, self.indices = timeline, indices
        self._segments: list[_Segment] = []
        seconds, frame, pictures = 0.0, 0, 0
        for index in indices:
            playing = timeline.steps[index].duration / self.pacing.speed
            last = index == indices[-1]
            hold = self.pacing.end_hold if last else self.pacing.hold
            played = _frame_at(seconds + playing, self.fps)
            end = _frame_at(seconds + playing + hold, self.fps)
            if last:
                end = max(end, played + 1)  # the export stops on the last step finished
            self._segments.append(_Segment(index, frame, played, end, seconds))
            pictures += (played - frame) + (end > played)
            seconds += playing + hold
            frame = end
        self.frames = frame
        self.pictures = pictures

    def shots(self) -> Iterator[Shot]:
        """Every picture in order, each with the number of frames it lasts (they add up to :attr:`frames`)."""
        speed, fps = self.pacing.speed, self.fps
        for segment in self._segments:
            start = self.timeline.start(segment.step)
            end = start + self.timeline.steps[segment.step].duration
            finished = segment.end - segment.played
            for k in range(segment.first, segment.played):
                # From this step's own start: rounding elsewhere cannot show a neighbour.
                t = max(start, start + (k / fps - segment.seconds) * speed)
                if t < end:
                    yield Shot(segment.step, t, 1)
                else:  # a float hair past the end: part of the finished hold
                    finished += 1
            if finished:
                yield Shot(segment.step, None, finished)

    def state(self, shot: Shot) -> FrameState:
        """What the panels draw for ``shot`` (an attention walkthrough's; a scene samples its own)."""
        if not isinstance(self.timeline, Timeline):
            raise TypeError("FrameSchedule.state: frame states are an attention timeline's")
        if shot.t is None:
            return finished_state(self.timeline, shot.step)
        return self.timeline.state_at(shot.t)

    def states(self) -> Iterator[tuple[FrameState, int]]:
        """``(state, frames)`` for each shot, one at a time (a long export holds one)."""
        for shot in self.shots():
            yield self.state(shot), shot.frames

    def times(self) -> list[float]:
        """The timeline time of every frame; a finished state counts as its step's end."""
        return [self._time(shot) for shot in self.shots() for _frame in range(shot.frames)]

    def _time(self, shot: Shot) -> float:
        if shot.t is not None:
            return shot.t
        return self.timeline.start(shot.step) + self.timeline.steps[shot.step].duration

    def split(self) -> list[FrameSchedule]:
        """One schedule per step, each paced as this one and ending on its step finished."""
        return [FrameSchedule(self.timeline, range(i, i + 1), self.fps, self.pacing) for i in self.indices]


def finished_state(timeline: Timeline, index: int, t: float | None = None) -> FrameState:
    """Step ``index`` complete: its caption and highlights, everything it reveals fully drawn.

    At the end of a step the timeline has moved on to the next one (its caption,
    its highlights); an export that holds or stops there must show this step.
    ``t`` is the time the state reports (default: the step's end).
    """
    start = timeline.start(index)
    state = timeline.state_at(start)
    end = start + timeline.steps[index].duration
    return dataclasses.replace(
        state, t=end if t is None else float(t), progress=1.0, eased=timeline.easing(1.0)
    )
