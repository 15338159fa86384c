"""Player: the clock of the attention walkthrough, rebuilt when the model's numbers change."""

from __future__ import annotations

from collections.abc import Sequence

from explainer.animation import DEFAULT_DETAIL, CellTimeline, FrameState, Step, Timeline
from explainer.i18n import words
from explainer.model import AttentionModel, Trace

from .clock import END_EPSILON, SPEEDS, Clock

__all__ = ["END_EPSILON", "SPEEDS", "Player"]


class Player(Clock[FrameState]):
    """The clock of the model's attention walkthrough: it rebuilds the timeline when the numbers change."""

    timeline: Timeline

    def __init__(
        self, model: AttentionModel, detail: str = DEFAULT_DETAIL, worked_query: str | None = None
    ) -> None:
        self.model = model
        # The query token the walkthrough works key by key (a preset's lesson names it);
        # None, or a token no longer in the sentence: the timeline's own choice.
        self.worked_query = worked_query
        self.drill: tuple[int, int, int] | None = None  # (head, query, key) while one α is worked out
        self.detail = detail  # the user's way through the whole walkthrough (kept during a drill)
        super().__init__(self._timeline(model.trace, detail))
        model.changed.connect(self._on_model_changed)
        words.changed.connect(self._on_language)  # a step keeps its caption once written

    def set_detail(self, detail: str) -> None:
        if detail != self.timeline.detail or self.drill is not None:
            self.drill = None  # a detail is a way through the whole walkthrough
            self.detail = detail
            self._rebuild(detail)

    def drill_into(self, cell: tuple[int, int, int] | None) -> None:
        """Work out one α (head, query, key) alone, from its first step; None: the whole walkthrough.

        Raises ValueError for a masked or missing cell (nothing changes).
        """
        if cell is not None:
            CellTimeline(self.model.trace, cell)  # refused here, before anything changes
        self.drill = cell
        self.timeline = self._timeline(self.model.trace, self.detail)
        self.timeline_changed.emit(self.timeline)
        self.pause()
        self.t = 0.0 if cell is not None else self._end_of(0)
        self._publish(force_step=True)

    def set_worked_query(self, token: str | None) -> None:
        """Work ``token`` key by key in ``first-query`` detail (None: the walkthrough chooses)."""
        if token != self.worked_query:
            self.worked_query = token
            self._rebuild(self.detail)

    def _worked_index(self, trace: Trace) -> int | None:
        tokens = trace.query_tokens
        return tokens.index(self.worked_query) if self.worked_query in tokens else None

    def _timeline(self, trace: Trace, detail: str) -> Timeline:
        if self.drill is not None:
            try:
                return CellTimeline(trace, self.drill)
            except ValueError:  # the cell left the sentence, or a mask covers it now
                self.drill = None
        return Timeline(trace, detail, worked_query=self._worked_index(trace))

    def stop(self) -> None:
        """Stop the clock and let go of the model (before the window closes)."""
        super().stop()
        self.model.changed.disconnect(self._on_model_changed)
        words.changed.disconnect(self._on_language)

    def _on_language(self, _language: str) -> None:
        """Captions written again in the language chosen: the same steps, new words."""
        self._rebuild(self.detail)

    def _on_model_changed(self, trace: Trace) -> None:
        self._rebuild(self.detail, trace)

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
        self._resume(index, progress, finished)
        self.timeline_changed.emit(self.timeline)
        # The same step (an edit, not a new stage): keep the focus the user chose.
        same = (step.kind, step.head, step.query, step.key) == (
            current.kind,
            current.head,
            current.query,
            current.key,
        )
        self._publish(force_step=not same)


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
