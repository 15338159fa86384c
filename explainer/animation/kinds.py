"""Step kinds and tensor names as types, and one table per kind of what a step reveals and lights.

Both are ``StrEnum``: a member equals its string (``StepKind.DOT == "dot"``),
so saved names, CLI arguments and captions keep working, while the code
names them and mypy checks them.
"""

from __future__ import annotations

from enum import StrEnum


class StepKind(StrEnum):
    """What a step of the walkthrough computes, in pipeline order."""

    EMBED = "embed"
    PROJECT_Q = "project_q"
    PROJECT_K = "project_k"
    PROJECT_V = "project_v"
    DOT = "dot"
    SCALE = "scale"
    MASK = "mask"
    SOFTMAX = "softmax"
    WEIGHTED_SUM = "weighted_sum"
    CONCAT_HEADS = "concat_heads"
    OUTPUT_PROJECTION = "output_projection"


class Tensor(StrEnum):
    """A tensor of the trace that the panels reveal and light up cell by cell."""

    X_Q = "x_q"
    X_KV = "x_kv"
    Q = "q"
    K = "k"
    V = "v"
    SCORES = "scores"
    SCALED = "scaled"
    MASKED = "masked"
    WEIGHTS = "weights"
    CONTRIBUTIONS = "contributions"
    CONTEXT = "context"
    CONCAT = "concat"
    OUTPUT = "output"


# Where a step applies within a tensor's flags: the axes it selects, in order.
# "" is the whole tensor; "h" one head; "hi" one head's query row; "hij" one cell;
# "hj" one head's key row. The step's head, query and key fill them in (None: all).
Where = str

PROJECTIONS = {StepKind.PROJECT_Q: Tensor.Q, StepKind.PROJECT_K: Tensor.K, StepKind.PROJECT_V: Tensor.V}

# What each step reveals: its result appears during the step and stays after it.
REVEALS: dict[StepKind, tuple[tuple[Tensor, Where], ...]] = {
    StepKind.EMBED: ((Tensor.X_Q, ""), (Tensor.X_KV, "")),
    StepKind.PROJECT_Q: ((Tensor.Q, "h"),),
    StepKind.PROJECT_K: ((Tensor.K, "h"),),
    StepKind.PROJECT_V: ((Tensor.V, "h"),),
    StepKind.DOT: ((Tensor.SCORES, "hij"),),
    StepKind.SCALE: ((Tensor.SCALED, "h"),),
    StepKind.MASK: ((Tensor.MASKED, "h"),),
    StepKind.SOFTMAX: ((Tensor.WEIGHTS, "hij"),),
    StepKind.WEIGHTED_SUM: ((Tensor.CONTRIBUTIONS, "hij"), (Tensor.CONTEXT, "hi")),
    StepKind.CONCAT_HEADS: ((Tensor.CONCAT, ""),),
    StepKind.OUTPUT_PROJECTION: ((Tensor.OUTPUT, ""),),
}

# What each step lights while it is the current step. The mask step lights the
# masked cells only: the timeline handles that one with the trace's mask.
HIGHLIGHTS: dict[StepKind, tuple[tuple[Tensor, Where], ...]] = {
    StepKind.EMBED: ((Tensor.X_Q, ""), (Tensor.X_KV, "")),
    StepKind.PROJECT_Q: ((Tensor.X_Q, ""), (Tensor.Q, "h")),
    StepKind.PROJECT_K: ((Tensor.X_KV, ""), (Tensor.K, "h")),
    StepKind.PROJECT_V: ((Tensor.X_KV, ""), (Tensor.V, "h")),
    StepKind.DOT: ((Tensor.Q, "hi"), (Tensor.K, "hj"), (Tensor.SCORES, "hij")),
    StepKind.SCALE: ((Tensor.SCORES, "h"), (Tensor.SCALED, "h")),
    StepKind.MASK: (),
    StepKind.SOFTMAX: ((Tensor.MASKED, "hi"), (Tensor.WEIGHTS, "hij")),
    StepKind.WEIGHTED_SUM: (
        (Tensor.WEIGHTS, "hij"),
        (Tensor.V, "hj"),
        (Tensor.CONTRIBUTIONS, "hij"),
        (Tensor.CONTEXT, "hi"),
    ),
    StepKind.CONCAT_HEADS: ((Tensor.CONTEXT, ""), (Tensor.CONCAT, "")),
    StepKind.OUTPUT_PROJECTION: ((Tensor.CONCAT, ""), (Tensor.OUTPUT, "")),
}


def index_for(where: Where, head: int | None, query: int | None, key: int | None) -> tuple[int | slice, ...]:
    """The NumPy index that ``where`` selects for a step at (head, query, key); None selects all."""
    chosen = {"h": head, "i": query, "j": key}
    index: list[int | slice] = []
    for axis in where:
        value = chosen[axis]
        index.append(slice(None) if value is None else value)
    return tuple(index)
