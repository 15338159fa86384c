"""The presenter view as data: which panels a step is about, where each sits, and the camera between steps.

A *shot* names the panels a step kind is about, the part of each to frame
(``"q"``: the Q = X·W_Q row of the projections) and their relative widths.
:func:`layout_for` turns a shot into rectangles on a unit board: the step's
panels side by side over most of it, every other panel shrunk into a column
at the right in pipeline order. :func:`layout_at` blends the previous step's
layout into the current one during the first moments of a step, so moving
from step to step is a camera move (as in 3Blue1Brown's videos), not a cut.
Pure data, no Qt: the window and export place their panels from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .easing import ease_in_out_cubic
from .kinds import StepKind

PANEL_ORDER = ("embeddings", "projections", "scores", "softmax", "weighted_sum", "output")
STRIP = 0.14  # width of the column of other panels, as a fraction of the board
CAMERA_SECONDS = 0.6  # a camera move takes this long, or 40 % of a shorter step
CAMERA_SHARE = 0.4


@dataclass(frozen=True)
class Framing:
    """One panel of a shot: the part of it to frame and its share of the width."""

    panel: str
    part: str = "all"
    weight: float = 1.0


SHOTS: dict[StepKind, tuple[Framing, ...]] = {
    StepKind.EMBED: (Framing("embeddings"),),
    StepKind.PROJECT_Q: (Framing("projections", "q"),),
    StepKind.PROJECT_K: (Framing("projections", "k"),),
    StepKind.PROJECT_V: (Framing("projections", "v"),),
    # q_i and k_j beside the score cell they make (the scores panel shows them)
    StepKind.DOT: (Framing("scores"),),
    StepKind.SCALE: (Framing("scores"),),
    StepKind.MASK: (Framing("scores"),),
    # the score row, its exps, their sum and the α row, beside the α matrix
    StepKind.SOFTMAX: (Framing("softmax", "row"),),
    # α row, values, shares and out_i
    StepKind.WEIGHTED_SUM: (Framing("weighted_sum", "sum"),),
    StepKind.CONCAT_HEADS: (Framing("output"),),
    StepKind.OUTPUT_PROJECTION: (Framing("output"),),
}


@dataclass(frozen=True)
class Rect:
    """A rectangle on the unit board (0..1 both ways, y down)."""

    x: float
    y: float
    w: float
    h: float

    def blend(self, other: Rect, u: float) -> Rect:
        return Rect(*(a + (b - a) * u for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.w, self.h)


@dataclass(frozen=True)
class Placement:
    """Where a panel sits and what part of it the camera frames (``part_from`` → ``part`` at ``u``)."""

    rect: Rect
    part: str
    part_from: str
    u: float  # camera progress between part_from and part (1: arrived)
    main: bool  # one of the step's panels (large), else shrunk into the strip


Layout = Mapping[str, Placement]


def layout_for(kind: StepKind, panels: Sequence[str] = PANEL_ORDER) -> dict[str, Placement]:
    """The arrived layout of a step of ``kind`` over the board's ``panels``."""
    shot = [framing for framing in SHOTS[kind] if framing.panel in panels]
    if not shot:  # the step's panel is hidden (e.g. no W_O): frame every panel evenly
        shot = [Framing(name) for name in panels]
    main = {framing.panel for framing in shot}
    others = [name for name in panels if name not in main]
    main_width = 1.0 - (STRIP if others else 0.0)
    total = sum(framing.weight for framing in shot)
    placed: dict[str, Placement] = {}
    x = 0.0
    for framing in shot:
        width = main_width * framing.weight / total
        placed[framing.panel] = Placement(Rect(x, 0.0, width, 1.0), framing.part, framing.part, 1.0, True)
        x += width
    for row, name in enumerate(others):
        rect = Rect(main_width, row / len(others), STRIP, 1.0 / len(others))
        placed[name] = Placement(rect, "all", "all", 1.0, False)
    return placed


def camera_progress(t_in_step: float, step_duration: float) -> float:
    """How far the camera has moved into a step: eased, 1 once the move is over."""
    move = min(CAMERA_SECONDS, CAMERA_SHARE * step_duration)
    if move <= 0 or t_in_step >= move:
        return 1.0
    return ease_in_out_cubic(max(0.0, t_in_step / move))


def blend_layouts(before: Layout, after: Layout, u: float) -> dict[str, Placement]:
    """``before`` moving into ``after`` at progress ``u`` (panels of ``after`` only).

    A panel leaving the stage shrinks into the strip in the first half of the
    move; the one arriving leaves the strip and grows from the middle of its
    place in the second half, so the two never cover each other. A panel that
    stays large pans across the whole move.
    """
    blended: dict[str, Placement] = {}
    for name, arrived in after.items():
        start = before.get(name)
        if start is None or u >= 1.0:
            blended[name] = arrived
            continue
        if start.main and not arrived.main:
            v = min(1.0, 2.0 * u)
        elif arrived.main and not start.main:
            v = max(0.0, 2.0 * u - 1.0)
            blended[name] = Placement(grown(arrived.rect, v), arrived.part, arrived.part, 1.0, True)
            continue
        else:
            v = u
        blended[name] = Placement(
            start.rect.blend(arrived.rect, v), arrived.part, start.part, v, arrived.main or start.main
        )
    return blended


def grown(rect: Rect, v: float) -> Rect:
    """``rect`` at ``v`` of its size, around its centre (0: a point)."""
    cx, cy = rect.x + rect.w / 2, rect.y + rect.h / 2
    return Rect(cx - rect.w * v / 2, cy - rect.h * v / 2, rect.w * v, rect.h * v)


def layout_at(
    previous: StepKind | None,
    kind: StepKind,
    t_in_step: float,
    step_duration: float,
    panels: Sequence[str] = PANEL_ORDER,
) -> dict[str, Placement]:
    """The layout ``t_in_step`` seconds into a step of ``kind`` that follows one of ``previous``."""
    after = layout_for(kind, panels)
    if previous is None:
        return after
    u = camera_progress(t_in_step, step_duration)
    return blend_layouts(layout_for(previous, panels), after, u)
