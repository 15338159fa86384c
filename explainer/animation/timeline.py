"""Timeline: the walkthrough as data, and FrameState: what is on screen at time t."""

from __future__ import annotations

import bisect
import copy
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from typing import overload

import numpy as np

from explainer.i18n import _
from explainer.model import Trace

from . import captions
from .easing import Easing, ease_in_out_cubic
from .kinds import HIGHLIGHTS, PROJECTIONS, REVEALS, StepKind, Tensor, index_for
from .steps import DEFAULT_DETAIL, DETAIL_MODES, DURATIONS, Step, cells

NEVER = np.iinfo(np.int32).max
CellPairs = list[tuple[int | None, int | None]]
CellCaption = Callable[[Trace, int, int | None, int | None], str]

# Reveal and highlight flags per tensor, without the feature axis: one flag per
# token row (x_q, q, context …) or per (query, key) cell (these):
CELL_TENSORS = (Tensor.SCORES, Tensor.SCALED, Tensor.MASKED, Tensor.WEIGHTS, Tensor.CONTRIBUTIONS)


def _bound_to(caption: object, trace: Trace) -> bool:
    return isinstance(caption, partial) and bool(caption.args) and caption.args[0] is trace


class _ReboundSteps(Sequence[Step]):
    """A built timeline's steps with captions written from another trace, made when first read."""

    def __init__(self, layout: Sequence[Step], captions: Sequence[object], trace: Trace):
        self._layout, self._captions, self._trace = layout, captions, trace
        self._made: list[Step | None] = [None] * len(layout)

    def __len__(self) -> int:
        return len(self._layout)

    @overload
    def __getitem__(self, index: int) -> Step: ...

    @overload
    def __getitem__(self, index: slice) -> list[Step]: ...

    def __getitem__(self, index: int | slice) -> Step | list[Step]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        k = operator.index(index)
        if k < 0:
            k += len(self._layout)
        if not 0 <= k < len(self._layout):
            raise IndexError("step index out of range")
        step = self._made[k]
        if step is None:
            old, caption = self._layout[k], self._captions[k]
            assert isinstance(caption, partial)
            written = partial(caption.func, self._trace, *caption.args[1:], **caption.keywords)
            step = self._made[k] = Step(old.kind, old.head, old.query, old.key, written, old.duration)
        return step

    def __iter__(self) -> Iterator[Step]:
        for k in range(len(self._layout)):
            yield self[k]


def flag_shapes(trace: Trace) -> dict[str, tuple[int, ...]]:
    """The shape of the reveal / highlight flags of every tensor of ``trace``."""
    h, n_q, n_k = trace.scores.shape
    per_head = {Tensor.Q: n_q, Tensor.K: n_k, Tensor.V: n_k, Tensor.CONTEXT: n_q}
    shapes: dict[str, tuple[int, ...]] = {
        Tensor.X_Q: (n_q,),
        Tensor.X_KV: (n_k,),
        Tensor.CONCAT: (n_q,),
        Tensor.OUTPUT: (n_q,),
    }
    shapes.update({tensor: (h, rows) for tensor, rows in per_head.items()})
    shapes.update({tensor: (h, n_q, n_k) for tensor in CELL_TENSORS})
    return {tensor: shapes[tensor] for tensor in Tensor}


@dataclass(frozen=True, eq=False)
class FrameState:
    """What the panels draw at one instant.

    ``revealed[name]`` flags cells finished before this step; ``appearing[name]``
    flags cells this step reveals (drawn at ``eased`` progress);
    ``highlighted[name]`` flags cells this step lights up. Flag arrays have the
    shapes of :func:`flag_shapes`.
    """

    t: float
    index: int
    step: Step
    progress: float
    eased: float
    revealed: Mapping[str, np.ndarray]
    appearing: Mapping[str, np.ndarray]
    highlighted: Mapping[str, np.ndarray]

    def shown(self, name: str) -> np.ndarray:
        """Cells visible now: finished or appearing."""
        return np.asarray(self.revealed[name] | self.appearing[name])


class Timeline:
    """The steps of one trace's walkthrough; :meth:`state_at` samples it at time t.

    Parameters
    ----------
    trace : Trace
        The numbers the captions quote.
    detail : str
        ``"full"`` (every dot product), ``"first-query"`` (the worked query in
        full, the rest a row at a time), ``"rows"`` or ``"matrix"`` (one step
        per stage).
    worked_query : int, optional
        The query ``first-query`` works key by key. By default the first one, or
        with a causal mask the last (it sees every key; the first sees only itself).

    Notes
    -----
    With a causal mask, the softmax and weighted-sum stages skip the masked
    (query, key) cells: their weight is 0 and they add nothing, so they appear
    with the first visible cell of their row instead of taking a step each.
    """

    def __init__(
        self,
        trace: Trace,
        detail: str = DEFAULT_DETAIL,
        easing: Easing = ease_in_out_cubic,
        worked_query: int | None = None,
    ):
        if detail not in DETAIL_MODES:
            raise ValueError(
                _("detail: expected one of {modes}, got {detail}").format(
                    modes=", ".join(DETAIL_MODES), detail=repr(detail)
                )
            )
        n_q = trace.scores.shape[1]
        if worked_query is not None and not 0 <= worked_query < n_q:
            raise ValueError(
                _("worked_query: expected 0 to {last}, got {value}").format(last=n_q - 1, value=worked_query)
            )
        self.trace = trace
        self.detail = detail
        self.worked_query = worked_query if worked_query is not None else (n_q - 1 if trace.causal else 0)
        self.easing = easing
        self._shapes = flag_shapes(trace)
        self.reveal_at = {name: np.full(shape, NEVER, dtype=np.int32) for name, shape in self._shapes.items()}
        self._layout: list[Step] = []
        self.steps: Sequence[Step] = self._layout
        # Each step's caption as given (a function of this trace): ``rebound`` writes
        # them again from new numbers without building the steps again.
        self._captions: list[str | Callable[[], str]] = []
        self._rebindable: bool | None = None  # every caption a function of the trace (see rebound)
        self._build()
        self.starts = [0.0, *accumulate(step.duration for step in self.steps)][:-1]
        self.duration = self.starts[-1] + self.steps[-1].duration

    @classmethod
    def from_trace(cls, trace: Trace, detail: str = DEFAULT_DETAIL) -> Timeline:
        return cls(trace, detail)

    def rebound(self, trace: Trace, worked_query: int | None = None) -> Timeline | None:
        """The same walkthrough over ``trace``'s numbers, or None when ``trace`` needs other steps.

        An edit changes numbers, not steps: with the same shapes, options, mask
        and worked query, the steps, their timing and what they reveal are this
        timeline's, and each caption is written from ``trace`` when first shown.
        That is what ``Timeline(trace, self.detail, ...)`` gives, without
        building thousands of steps again on every edit of a large model.
        """
        old = self.trace
        n_q = trace.scores.shape[1]
        worked = worked_query if worked_query is not None else (n_q - 1 if trace.causal else 0)
        if (
            worked != self.worked_query
            or (trace.scale, trace.causal, trace.projects_output)
            != (old.scale, old.causal, old.projects_output)
            or flag_shapes(trace) != self._shapes
            or not np.array_equal(trace.mask, old.mask)
        ):
            return None
        if self._rebindable is None:  # once per build: rebound copies share the captions
            base = self._base_trace()
            self._rebindable = all(_bound_to(caption, base) for caption in self._captions)
        if not self._rebindable:
            return None  # a caption that is no function of the trace: build afresh
        timeline = copy.copy(self)  # reveal_at, starts and the layout are never written after building
        timeline.trace = trace
        timeline.steps = _ReboundSteps(self._layout, self._captions, trace)
        return timeline

    def _base_trace(self) -> Trace:
        """The trace the captions in ``_captions`` were given (the first build's)."""
        first = self._captions[0] if self._captions else None
        return first.args[0] if isinstance(first, partial) and first.args else self.trace

    # -------------------------------------------------------------- sampling
    def index_at(self, t: float) -> int:
        """The step playing at time ``t`` (clamped to the first and last step)."""
        return max(0, min(len(self.steps) - 1, bisect.bisect_right(self.starts, t) - 1))

    def start(self, index: int) -> float:
        return self.starts[max(0, min(len(self.steps) - 1, index))]

    def state_at(self, t: float) -> FrameState:
        """Everything revealed, appearing and highlighted at time ``t`` (pure)."""
        t = min(max(float(t), 0.0), self.duration)
        index = self.index_at(t)
        step = self.steps[index]
        progress = min(1.0, (t - self.starts[index]) / step.duration)
        return FrameState(
            t=t,
            index=index,
            step=step,
            progress=progress,
            eased=self.easing(progress),
            revealed={name: at < index for name, at in self.reveal_at.items()},
            appearing={name: at == index for name, at in self.reveal_at.items()},
            highlighted=self.highlights(step),
        )

    def highlights(self, step: Step) -> dict[str, np.ndarray]:
        """The cells ``step`` lights up, one flag array per tensor (see :data:`HIGHLIGHTS`)."""
        lit = {name: np.zeros(shape, dtype=bool) for name, shape in self._shapes.items()}
        for tensor, where in HIGHLIGHTS[step.kind]:
            lit[tensor][index_for(where, step.head, step.query, step.key)] = True
        if step.kind == StepKind.MASK:  # the cells the mask hides, not a block of them
            lit[Tensor.MASKED][step.head] = self.trace.mask
        return lit

    # -------------------------------------------------------------- building
    def _add(
        self,
        kind: StepKind,
        caption: str | Callable[[], str],
        duration: float,
        head: int | None = None,
        query: int | None = None,
        key: int | None = None,
    ) -> None:
        """Append a step; what it reveals comes from :data:`REVEALS`."""
        index = len(self._layout)
        self._layout.append(Step(kind, head, query, key, caption, duration))
        self._captions.append(caption)
        for tensor, where in REVEALS[kind]:
            target = self.reveal_at[tensor][index_for(where, head, query, key)]
            if np.ndim(target) == 0:
                self.reveal_at[tensor][index_for(where, head, query, key)] = min(int(target), index)
            else:
                np.minimum(target, index, out=target)

    def _build(self) -> None:
        trace = self.trace
        n_q, n_k = trace.scores.shape[1:]
        pairs = cells(self.detail, n_q, n_k, self.worked_query)
        self._add(StepKind.EMBED, partial(captions.embed, trace), DURATIONS["embed"])
        for head in range(trace.n_heads):
            for kind, tensor in PROJECTIONS.items():
                caption = partial(captions.project, trace, str(tensor), head)
                self._add(kind, caption, DURATIONS["stage"], head)
            self._cell_stage(StepKind.DOT, head, pairs, captions.dot)
            if trace.scale:
                self._add(StepKind.SCALE, partial(captions.scale, trace, head), DURATIONS["stage"], head)
            if trace.causal:
                self._add(StepKind.MASK, partial(captions.mask, trace, head), DURATIONS["stage"], head)
            self._cell_stage(StepKind.SOFTMAX, head, pairs, captions.softmax)
            self._cell_stage(StepKind.WEIGHTED_SUM, head, pairs, captions.weighted_sum)
        if trace.n_heads > 1:
            self._add(StepKind.CONCAT_HEADS, partial(captions.concat_heads, trace), DURATIONS["stage"])
        else:  # one head: "concatenating" it is the head output itself
            self.reveal_at[Tensor.CONCAT][:] = self.reveal_at[Tensor.CONTEXT][0]
        if trace.projects_output:
            self._add(
                StepKind.OUTPUT_PROJECTION, partial(captions.output_projection, trace), DURATIONS["stage"]
            )
        else:  # one head, W_O = I, b_O = 0: the output is the head output, shown with the weighted sum
            self.reveal_at[Tensor.OUTPUT][:] = self.reveal_at[Tensor.CONTEXT][0]
        # Stages that were skipped (no scaling, no mask) show their input unchanged;
        # a stage that ran reveals its own result at its own step.
        if not trace.scale:
            self.reveal_at[Tensor.SCALED][:] = self.reveal_at[Tensor.SCORES]
        if not trace.causal:
            self.reveal_at[Tensor.MASKED][:] = self.reveal_at[Tensor.SCALED]

    def _cell_stage(self, kind: StepKind, head: int, pairs: CellPairs, caption_of: CellCaption) -> None:
        mask = self.trace.mask if kind in (StepKind.SOFTMAX, StepKind.WEIGHTED_SUM) else None
        skipped: list[tuple[int, int]] = []
        first_of_row: dict[int, int] = {}
        last_of_row: dict[int, int] = {}
        for query, key in pairs:
            if mask is not None and query is not None and key is not None and mask[query, key]:
                skipped.append((query, key))  # weight 0, nothing to add: no step of its own
                continue
            if query is not None:
                first_of_row.setdefault(query, len(self.steps))
                last_of_row[query] = len(self.steps)
            caption = partial(caption_of, self.trace, head, query, key)
            self._add(kind, caption, DURATIONS[Step.scope(query, key)], head, query, key)
        for query, key in skipped:
            for tensor, _where in REVEALS[kind]:
                if tensor in CELL_TENSORS:
                    cell = self.reveal_at[tensor][head, query, key]
                    self.reveal_at[tensor][head, query, key] = min(int(cell), first_of_row[query])
        if kind == StepKind.WEIGHTED_SUM:  # out_i is known when its last share is added, not before
            for query, last in last_of_row.items():
                self.reveal_at[Tensor.CONTEXT][head, query] = last
