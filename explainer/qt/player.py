"""Player: turns wall-clock time into timeline time (the only place that does)."""

from __future__ import annotations

from collections.abc import Sequence

from psygnal import Signal
from PySide6.QtCore import QElapsedTimer, QTimer

from explainer.animation import DEFAULT_DETAIL, FrameState, Step, Timeline
from explainer.model import AttentionModel, Trace

SPEEDS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
END_EPSILON = 1e-6  # "the end of step i" is just before step i + 1 starts


class Player:
    """Plays, pauses and steps through the model's timeline at 60 frames per second.

    Pressing next plays that one step and stops at its end, as a presenter
    clicker expects; ``play()`` runs on through all steps.
    """

    # A new step emits step_changed just before the frame_changed of the same
    # frame: the board sets the step's focus on the first and draws on the second.
    frame_changed = Signal(object)  # FrameState
    step_changed = Signal(int)
    playing_changed = Signal(bool)
    timeline_changed = Signal(object)  # Timeline

    def __init__(
        self, model: AttentionModel, detail: str = DEFAULT_DETAIL, worked_query: str | None = None
    ) -> None:
        self.model = model
        # The query token the walkthrough works key by key (a preset's lesson names it);
        # None, or a token no longer in the sentence: the timeline's own choice.
        self.worked_query = worked_query
        self.timeline = self._timeline(model.trace, detail)
        # Open on the first step finished (the tokens on screen), so the first
        # click of a presenter's remote moves on to step 2.
        self.t = self._end_of(0)
        self.speed = 1.0
        self.loop = False
        self._stop_at: float | None = None
        self._state: FrameState | None = None
        self._index = 0
        self._timer = QTimer()
        self._timer.setInterval(16)
        self._timer.timeout.connect(self._on_tick)
        self._clock = QElapsedTimer()
        model.changed.connect(self._on_model_changed)

    # ---------------------------------------------------------------- state
    @property
    def state(self) -> FrameState:
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
        """The first step, finished: the embeddings on screen (Home)."""
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

    def show(self, state: FrameState) -> None:
        """Show a frame state made elsewhere (export's last frame: the step finished)."""
        self.t = state.t
        self._publish(state)

    def set_speed(self, speed: float) -> None:
        self.speed = min(4.0, max(0.25, float(speed)))

    def set_loop(self, loop: bool) -> None:
        self.loop = bool(loop)

    def set_detail(self, detail: str) -> None:
        if detail != self.timeline.detail:
            self._rebuild(detail)

    def set_worked_query(self, token: str | None) -> None:
        """Work ``token`` key by key in ``first-query`` detail (None: the walkthrough chooses)."""
        if token != self.worked_query:
            self.worked_query = token
            self._rebuild(self.timeline.detail)

    def _worked_index(self, trace: Trace) -> int | None:
        tokens = trace.query_tokens
        return tokens.index(self.worked_query) if self.worked_query in tokens else None

    def _timeline(self, trace: Trace, detail: str) -> Timeline:
        return Timeline(trace, detail, worked_query=self._worked_index(trace))

    def stop(self) -> None:
        """Stop the clock and let go of the model (before the window closes)."""
        self._timer.stop()
        self.model.changed.disconnect(self._on_model_changed)

    # ---------------------------------------------------------------- internals
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

    def _on_model_changed(self, trace: Trace) -> None:
        self._rebuild(self.timeline.detail, trace)

    def _rebuild(self, detail: str, trace: Trace | None = None) -> None:
        """New numbers or detail: keep the same step and progress where possible."""
        index, progress = self.index, self.state.progress
        current, finished = self.timeline.steps[index], self._at_end_of(index)
        trace = trace or self.model.trace
        same_detail = detail == self.timeline.detail
        rebound = self.timeline.rebound(trace, self._worked_index(trace)) if same_detail else None
        if rebound is not None:  # only the numbers changed: the very same steps, the same index
            self.timeline = rebound
        else:
            self.timeline = self._timeline(trace, detail)
            index = _matching_step(self.timeline.steps, current, finished, index)
        step = self.timeline.steps[index]
        if finished:
            self.t = self._end_of(index)
        else:
            self.t = min(self.timeline.start(index) + progress * step.duration, self.timeline.duration)
        if self._stop_at is not None:
            self._stop_at = self._end_of(index)
        self.timeline_changed.emit(self.timeline)
        # The same step (an edit, not a new stage): keep the focus the user chose.
        same = (step.kind, step.head, step.query, step.key) == (
            current.kind,
            current.head,
            current.query,
            current.key,
        )
        self._publish(force_step=not same)

    def _publish(self, state: FrameState | None = None, force_step: bool = False) -> None:
        self._state = state or self.timeline.state_at(self.t)
        if self._state.index != self._index or force_step:
            self._index = self._state.index
            self.step_changed.emit(self._index)
        self.frame_changed.emit(self._state)


def _matching_step(steps: Sequence[Step], old: Step, finished: bool, index: int) -> int:
    """The step of ``steps`` (a timeline's) that shows what ``old`` shows (``finished``: at its end).

    Step numbers differ between detail modes (a row is one step in "rows", n_k
    in "full"), so the step is found by what it computes: the same stage of the
    same head over an overlapping (query, key). A finished step maps to the last
    such step, one under way to the first. Without a match, keep the number.
    """

    def overlaps(a: int | None, b: int | None) -> bool:
        return a is None or b is None or a == b

    matches = [
        k
        for k, step in enumerate(steps)
        if step.kind == old.kind
        and step.head == old.head
        and overlaps(step.query, old.query)
        and overlaps(step.key, old.key)
    ]
    if not matches:
        return min(index, len(steps) - 1)
    return matches[-1] if finished else matches[0]
