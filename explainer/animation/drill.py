"""A drill-down: one attention weight α(i, j) worked out, instead of the whole walkthrough.

A real layer's walkthrough has over a thousand steps; a student who clicks one
α cell wants that number's story: q_i · k_j term by term, the scaling (and the
mask), the softmax of row i, and v_j's share of the head output. Everything
else is taken as computed already and shown from the first step.
"""

from __future__ import annotations

from functools import partial

from explainer.i18n import N_, _
from explainer.model import Trace

from . import captions
from .easing import Easing, ease_in_out_cubic
from .kinds import StepKind, Tensor
from .steps import DURATIONS
from .timeline import NEVER, Timeline

__all__ = ["CellTimeline"]

Cell = tuple[int, int, int]  # head, query, key


# One whole sentence each (the word order differs between languages).
_HEAD_RANGE = N_("head: expected 0 to {last}, got {index}")
_QUERY_RANGE = N_("query: expected 0 to {last}, got {index}")
_KEY_RANGE = N_("key: expected 0 to {last}, got {index}")


class CellTimeline(Timeline):
    """The steps that compute α(``query``, ``key``) of ``head`` in ``trace``; the rest shown done.

    Raises ValueError for a cell outside the trace or a masked one (its weight
    is 0 by the mask: there is nothing to work out).
    """

    def __init__(self, trace: Trace, cell: Cell, easing: Easing = ease_in_out_cubic):
        head, query, key = (int(c) for c in cell)
        n_heads, n_q, n_k = trace.scores.shape
        for text, index, size in (
            (_HEAD_RANGE, head, n_heads),
            (_QUERY_RANGE, query, n_q),
            (_KEY_RANGE, key, n_k),
        ):
            if not 0 <= index < size:
                raise ValueError(_(text).format(last=size - 1, index=index))
        if trace.mask[query, key]:
            q, k = trace.query_tokens[query], trace.key_tokens[key]
            raise ValueError(
                _(
                    "α({query}, {key}) is masked: “{key}” comes after “{query}”,"
                    " its weight is 0 and nothing computes it"
                ).format(query=q, key=k)
            )
        self.cell: Cell = (head, query, key)
        super().__init__(trace, "matrix", easing, worked_query=query)

    def rebound(self, trace: Trace, worked_query: int | None = None) -> Timeline | None:
        """New numbers for the same cell (an edit while drilled in): the same steps."""
        return super().rebound(trace, self.cell[1])

    def _build(self) -> None:
        trace, (head, query, key) = self.trace, self.cell
        self._add(
            StepKind.DOT, partial(captions.dot, trace, head, query, key), DURATIONS["row"], head, query, key
        )
        if trace.scale:
            self._add(StepKind.SCALE, partial(captions.scale, trace, head), DURATIONS["stage"], head)
        if trace.causal:
            self._add(StepKind.MASK, partial(captions.mask, trace, head), DURATIONS["stage"], head)
        caption = partial(captions.softmax, trace, head, query, None)
        self._add(StepKind.SOFTMAX, caption, DURATIONS["row"], head, query, None)
        caption = partial(captions.weighted_sum, trace, head, query, key)
        self._add(StepKind.WEIGHTED_SUM, caption, DURATIONS["row"], head, query, key)
        # What these steps do not compute is known already: on screen before the first step.
        reveal = self.reveal_at
        for flags in reveal.values():
            flags[flags == NEVER] = -1
        # As in the whole walkthrough: a stage that does not run shows its input unchanged,
        # and one head's output is its head output (so out_i comes with v_j's share).
        if not trace.scale:
            reveal[Tensor.SCALED][:] = reveal[Tensor.SCORES]
        if not trace.causal:
            reveal[Tensor.MASKED][:] = reveal[Tensor.SCALED]
        if trace.n_heads == 1:
            reveal[Tensor.CONCAT][:] = reveal[Tensor.CONTEXT][0]
            if not trace.projects_output:
                reveal[Tensor.OUTPUT][:] = reveal[Tensor.CONTEXT][0]
