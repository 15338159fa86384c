"""Timeline: the walkthrough as data, and FrameState: what is on screen at time t."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from itertools import accumulate

import numpy as np

from explainer.model import Trace

from . import captions
from .easing import Easing, ease_in_out_cubic
from .steps import DEFAULT_DETAIL, DETAIL_MODES, DURATIONS, Step, cells

NEVER = np.iinfo(np.int32).max

# Reveal and highlight flags per tensor, without the feature axis: one flag per
# token row (x_q, q, context …) or per (query, key) cell (scores, weights …).
ROW_TENSORS = ("x_q", "x_kv", "q", "k", "v", "context", "concat", "output")
CELL_TENSORS = ("scores", "scaled", "masked", "weights", "contributions")


def flag_shapes(trace: Trace) -> dict[str, tuple[int, ...]]:
    """The shape of the reveal / highlight flags of every tensor of ``trace``."""
    h, n_q, n_k = trace.scores.shape
    return {
        "x_q": (n_q,),
        "x_kv": (n_k,),
        "q": (h, n_q),
        "k": (h, n_k),
        "v": (h, n_k),
        "scores": (h, n_q, n_k),
        "scaled": (h, n_q, n_k),
        "masked": (h, n_q, n_k),
        "weights": (h, n_q, n_k),
        "contributions": (h, n_q, n_k),
        "context": (h, n_q),
        "concat": (n_q,),
        "output": (n_q,),
    }


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
        return self.revealed[name] | self.appearing[name]


class Timeline:
    """The steps of one trace's walkthrough; :meth:`state_at` samples it at time t.

    Parameters
    ----------
    trace : Trace
        The numbers the captions quote.
    detail : str
        ``"full"`` (every dot product), ``"first-query"`` (the first query in
        full, the rest a row at a time), ``"rows"`` or ``"matrix"`` (one step
        per stage).
    """

    def __init__(self, trace: Trace, detail: str = DEFAULT_DETAIL, easing: Easing = ease_in_out_cubic):
        if detail not in DETAIL_MODES:
            raise ValueError(f"detail: expected one of {', '.join(DETAIL_MODES)}, got {detail!r}")
        self.trace = trace
        self.detail = detail
        self.easing = easing
        self._shapes = flag_shapes(trace)
        self.reveal_at = {name: np.full(shape, NEVER, dtype=np.int32) for name, shape in self._shapes.items()}
        self.steps: list[Step] = []
        self._build()
        self.starts = [0.0, *accumulate(step.duration for step in self.steps)][:-1]
        self.duration = self.starts[-1] + self.steps[-1].duration

    @classmethod
    def from_trace(cls, trace: Trace, detail: str = DEFAULT_DETAIL) -> Timeline:
        return cls(trace, detail)

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
        """The cells ``step`` lights up, one flag array per tensor."""
        lit = {name: np.zeros(shape, dtype=bool) for name, shape in self._shapes.items()}
        h = slice(None) if step.head is None else step.head
        i = slice(None) if step.query is None else step.query
        j = slice(None) if step.key is None else step.key
        kind = step.kind
        if kind == "embed":
            lit["x_q"][:] = lit["x_kv"][:] = True
        elif kind in ("project_q", "project_k", "project_v"):
            which = kind[-1]
            lit["x_q" if which == "q" else "x_kv"][:] = True
            lit[which][h] = True
        elif kind == "dot":
            lit["q"][h, i] = lit["k"][h, j] = lit["scores"][h, i, j] = True
        elif kind == "scale":
            lit["scores"][h] = lit["scaled"][h] = True
        elif kind == "mask":
            lit["masked"][h] = self.trace.mask
        elif kind == "softmax":
            lit["masked"][h, i] = lit["weights"][h, i, j] = True
        elif kind == "weighted_sum":
            lit["weights"][h, i, j] = lit["v"][h, j] = lit["contributions"][h, i, j] = True
            lit["context"][h, i] = True
        elif kind == "concat_heads":
            lit["context"][:] = lit["concat"][:] = True
        elif kind == "output_projection":
            lit["concat"][:] = lit["output"][:] = True
        return lit

    # -------------------------------------------------------------- building
    def _add(
        self,
        kind: str,
        caption: str | Callable[[], str],
        duration: float,
        head=None,
        query=None,
        key=None,
        reveal=(),
    ) -> None:
        index = len(self.steps)
        self.steps.append(Step(kind, head, query, key, caption, duration))
        for name, where in reveal:
            target = self.reveal_at[name][where]
            if np.ndim(target) == 0:
                self.reveal_at[name][where] = min(int(target), index)
            else:
                np.minimum(target, index, out=target)

    def _build(self) -> None:
        trace = self.trace
        n_q, n_k = trace.scores.shape[1:]
        pairs = cells(self.detail, n_q, n_k)
        self._add("embed", captions.embed(trace), DURATIONS["embed"], reveal=[("x_q", ...), ("x_kv", ...)])
        for head in range(trace.n_heads):
            for which in "qkv":
                caption = partial(captions.project, trace, which, head)
                self._add(f"project_{which}", caption, DURATIONS["stage"], head, reveal=[(which, head)])
            self._cell_stage("dot", head, pairs, captions.dot)
            if trace.scale:
                self._add(
                    "scale", captions.scale(trace, head), DURATIONS["stage"], head, reveal=[("scaled", head)]
                )
            if trace.causal:
                self._add(
                    "mask", captions.mask(trace, head), DURATIONS["stage"], head, reveal=[("masked", head)]
                )
            self._cell_stage("softmax", head, pairs, captions.softmax)
            self._cell_stage("weighted_sum", head, pairs, captions.weighted_sum)
        if trace.n_heads > 1:
            self._add(
                "concat_heads", captions.concat_heads(trace), DURATIONS["stage"], reveal=[("concat", ...)]
            )
            self._add(
                "output_projection",
                captions.output_projection(trace),
                DURATIONS["stage"],
                reveal=[("output", ...)],
            )
        else:
            # One head: the output is the head's context, shown with the weighted sum.
            self.reveal_at["concat"][:] = self.reveal_at["context"][0]
            self.reveal_at["output"][:] = self.reveal_at["context"][0]
        # Stages that were skipped (no scaling, no mask) show their input unchanged;
        # a stage that ran reveals its own result at its own step.
        if not trace.scale:
            self.reveal_at["scaled"][:] = self.reveal_at["scores"]
        if not trace.causal:
            self.reveal_at["masked"][:] = self.reveal_at["scaled"]

    def _cell_stage(self, kind: str, head: int, pairs, caption_of) -> None:
        target = {"dot": "scores", "softmax": "weights", "weighted_sum": "contributions"}[kind]
        for query, key in pairs:
            i = slice(None) if query is None else query
            j = slice(None) if key is None else key
            reveal: list[tuple[str, tuple]] = [(target, (head, i, j))]
            if kind == "weighted_sum":
                reveal.append(("context", (head, i)))
            self._add(
                kind,
                partial(caption_of, self.trace, head, query, key),
                DURATIONS[Step.scope(query, key)],
                head,
                query,
                key,
                reveal,
            )
