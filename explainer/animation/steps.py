"""What one step of the walkthrough is: a kind, where it applies, a caption, a duration."""

from __future__ import annotations

from dataclasses import dataclass

STEP_KINDS = (
    "embed",
    "project_q",
    "project_k",
    "project_v",
    "dot",
    "scale",
    "mask",
    "softmax",
    "weighted_sum",
    "concat_heads",
    "output_projection",
)

DETAIL_MODES = ("full", "first-query", "rows", "matrix")
DEFAULT_DETAIL = "first-query"

# Seconds per step at 1× speed, by granularity: one cell, one row, a whole matrix.
DURATIONS = {"cell": 1.2, "row": 1.6, "matrix": 2.5, "stage": 2.5, "embed": 3.0}


@dataclass(frozen=True)
class Step:
    """One step of the walkthrough.

    ``head``, ``query`` and ``key`` are indices, or None where the step covers
    all of them (``query=None`` on a ``dot`` step: the whole score matrix).
    """

    kind: str
    head: int | None
    query: int | None
    key: int | None
    caption: str
    duration: float

    @property
    def granularity(self) -> str:
        if self.query is None:
            return "matrix"
        return "row" if self.key is None else "cell"


def cells(detail: str, n_q: int, n_k: int) -> list[tuple[int | None, int | None]]:
    """The (query, key) pairs a per-cell stage walks through in ``detail`` mode."""
    if detail == "full":
        return [(i, j) for i in range(n_q) for j in range(n_k)]
    if detail == "first-query":
        return [(0, j) for j in range(n_k)] + [(i, None) for i in range(1, n_q)]
    if detail == "rows":
        return [(i, None) for i in range(n_q)]
    if detail == "matrix":
        return [(None, None)]
    raise ValueError(f"detail: expected one of {', '.join(DETAIL_MODES)}, got {detail!r}")
