"""Clock: turns wall-clock time into walkthrough time (the only place that does).

One clock plays any walkthrough of timed steps: the attention timeline (see
:class:`~explainer.qt.player.Player`, which adds the model) and the lecture's
scenes. The transport bar and the window's keys drive whichever is on screen.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from psygnal import Signal
from PySide6.QtCore import QElapsedTimer, QTimer

from explainer.animation.walk import Walk

SPEEDS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
END_EPSILON = 1e-6  # "the end of step i" is just before step i + 1 starts


class Sample(Protocol):
    """What a walkthrough's state at one instant has, for the clock."""

    @property
    def t(self) -> float: ...

    @property
    def index(self) -> int: ...

    @property
    def progress(self) -> float: ...


S = TypeVar("S", bound=Sample)
S_co = TypeVar("S_co", bound=Sample, covariant=True)


class Playable(Walk, Protocol[S_co]):
    """A walkthrough a clock can play: timed steps, sampled at time t."""

    def state_at(self, t: float) -> S_co: ...


class Clock(Generic[S]):
    """Plays, pauses and steps through a walkthrough at 60 frames per second.

    Pressing next plays that one step and stops at its end, as a presenter
    clicker expects; ``play()`` runs on through all steps.
    """

    # A new step emits step_changed just before the frame_changed of the same frame.
    frame_changed = Signal(object)  # the state at t
    step_changed = Signal(int)
    playing_changed = Signal(bool)
    timeline_changed = Signal(object)

    def __init__(self, timeline: Playable[S]) -> None:
        self.timeline = timeline
        # Open on the first step finished, so the first click of a presenter's remote moves on to step 2.
        self.t = self._end_of(0)
        self.speed = 1.0
        self.loop = False
        self._stop_at: float | None = None
        self._state: S | None = None
        self._index = 0
        self._timer = QTimer()
        self._timer.setInterval(16)
        self._timer.timeout.connect(self._on_tick)
        self._clock = QElapsedTimer()

    # ---------------------------------------------------------------- state
    @property
    def state(self) -> S:
        if self._state is None:
            self._state = self.timeline.state_at(self.t)
        return self._state

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def index(self) -> int:
        return self.timeline.index_at(self.t)

    # ---------------------------------------------------------------- transport
    def play(self) -> None:
        if self.t >= self.timeline.duration and not self.loop:
            self.seek(0.0)
        self._stop_at = None
        self._start()

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self._stop_at = None
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def next_step(self) -> None:
        """Play the next step and stop at its end (a presenter clicker's PageDown)."""
        index = self.index
        if self._stop_at is not None or self._at_end_of(index):
            index += 1  # the current step is finished (or finishing): go on to the next
        if index >= len(self.timeline.steps):
            self.seek(self.timeline.duration)
            return
        self._timer.stop()
        if index != self.index:
            self.seek(self.timeline.start(index))
        # else: part-way through this step (scrubbed or playing there): play on to its end
        self._stop_at = self._end_of(index)
        self._start()

    def previous_step(self) -> None:
        """Show the previous step, finished (PageUp)."""
        self.pause()
        index = self.index - 1
        self.seek(self._end_of(index) if index >= 0 else 0.0)

    def first(self) -> None:
        """The first step, finished (Home)."""
        self.go_to_step(0)

    def last(self) -> None:
        self.pause()
        self.seek(self.timeline.duration)

    def go_to_step(self, index: int) -> None:
        """Jump to the end of step ``index`` (the scrubber's ticks)."""
        self.pause()
        self.seek(self._end_of(max(0, min(index, len(self.timeline.steps) - 1))))

    def seek(self, t: float) -> None:
        self.t = min(max(0.0, float(t)), self.timeline.duration)
        self._publish()

    def show(self, state: S) -> None:
        """Show a state made elsewhere (export's last frame: the step finished)."""
        self.t = state.t
        self._publish(state)

    def set_speed(self, speed: float) -> None:
        self.speed = min(4.0, max(0.25, float(speed)))

    def set_loop(self, loop: bool) -> None:
        self.loop = bool(loop)

    def set_timeline(self, timeline: Playable[S]) -> None:
        """New steps of the same walkthrough (new numbers): stay on the same step, as far into it."""
        index, progress, finished = self.index, self.state.progress, self._at_end_of(self.index)
        self.timeline = timeline
        index = min(index, len(timeline.steps) - 1)
        self._resume(index, progress, finished)
        self.timeline_changed.emit(timeline)
        self._publish(force_step=True)

    def stop(self) -> None:
        """Stop the clock (before the window closes)."""
        self._timer.stop()

    # ---------------------------------------------------------------- internals
    def _resume(self, index: int, progress: float, finished: bool) -> None:
        if finished:
            self.t = self._end_of(index)
        else:
            duration = self.timeline.steps[index].duration
            self.t = min(self.timeline.start(index) + progress * duration, self.timeline.duration)
        if self._stop_at is not None:
            self._stop_at = self._end_of(index)

    def _end_of(self, index: int) -> float:
        if index >= len(self.timeline.steps) - 1:
            return self.timeline.duration
        return self.timeline.start(index + 1) - END_EPSILON

    def _at_end_of(self, index: int) -> bool:
        return self.t >= self._end_of(index) - 1e-9

    def _start(self) -> None:
        self._clock.start()
        if not self.playing:
            self._timer.start()
            self.playing_changed.emit(True)

    def _on_tick(self) -> None:
        dt = self._clock.restart() / 1000.0 * self.speed
        t = self.t + dt
        if self._stop_at is not None and t >= self._stop_at:
            self.seek(self._stop_at)
            self.pause()
            return
        if t >= self.timeline.duration:
            if self.loop:
                t = 0.0
            else:
                self.seek(self.timeline.duration)
                self.pause()
                return
        self.seek(t)

    def _publish(self, state: S | None = None, force_step: bool = False) -> None:
        self._state = state or self.timeline.state_at(self.t)
        if self._state.index != self._index or force_step:
            self._index = self._state.index
            self.step_changed.emit(self._index)
        self.frame_changed.emit(self._state)
