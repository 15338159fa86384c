"""The presenter layout as data: the step's panels large, the rest in a strip, and a camera between steps."""

from __future__ import annotations

import itertools

import pytest

from explainer.animation import StepKind
from explainer.animation.presenter import (
    CAMERA_SECONDS,
    PANEL_ORDER,
    SHOTS,
    STRIP,
    camera_progress,
    layout_at,
    layout_for,
)


def area(rect) -> float:
    return rect.w * rect.h


def overlap(a, b) -> float:
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return max(0.0, w) * max(0.0, h)


@pytest.mark.parametrize("kind", list(StepKind))
def test_every_step_kind_puts_its_panels_large_and_the_rest_in_the_strip(kind):
    layout = layout_for(kind)
    assert set(layout) == set(PANEL_ORDER)
    main = [name for name, placed in layout.items() if placed.main]
    assert main == [framing.panel for framing in SHOTS[kind]]
    main_area = sum(area(layout[name].rect) for name in main)
    assert main_area == pytest.approx(1.0 - STRIP)  # the step's panels take most of the board
    for placed in layout.values():
        rect = placed.rect
        assert rect.x >= 0 and rect.y >= 0 and rect.x + rect.w <= 1 + 1e-9 and rect.y + rect.h <= 1 + 1e-9
        if not placed.main:
            assert rect.w == pytest.approx(STRIP) and rect.x == pytest.approx(1 - STRIP)
    for a, b in itertools.combinations(layout.values(), 2):
        assert overlap(a.rect, b.rect) < 1e-9


def test_the_strip_keeps_pipeline_order():
    layout = layout_for(StepKind.SOFTMAX)
    strip = [name for name in PANEL_ORDER if not layout[name].main]
    tops = [layout[name].rect.y for name in strip]
    assert tops == sorted(tops) and strip == ["embeddings", "projections", "scores", "weighted_sum", "output"]


def test_a_hidden_panel_leaves_its_room_to_the_others():
    panels = [name for name in PANEL_ORDER if name != "output"]
    layout = layout_for(StepKind.CONCAT_HEADS, panels)  # no W_O to show: every panel evenly
    assert set(layout) == set(panels)
    assert sum(area(placed.rect) for placed in layout.values()) == pytest.approx(1.0)


def test_the_camera_moves_from_the_last_steps_layout_and_arrives():
    before, after = layout_for(StepKind.PROJECT_V), layout_for(StepKind.DOT)
    start = layout_at(StepKind.PROJECT_V, StepKind.DOT, 0.0, 2.0)
    assert start["scores"].rect.w == 0 and start["projections"].rect == before["projections"].rect
    assert start["projections"].part_from == "v" and start["projections"].part == "all"
    assert start["projections"].main  # it shrinks into the strip as the scores grow
    middle = layout_at(StepKind.PROJECT_V, StepKind.DOT, CAMERA_SECONDS * 0.75, 2.0)
    widths = [before["scores"].rect.w, middle["scores"].rect.w, after["scores"].rect.w]
    assert widths[0] < widths[1] < widths[2]  # the scores panel grows as the camera moves
    assert layout_at(StepKind.PROJECT_V, StepKind.DOT, CAMERA_SECONDS, 2.0) == after
    assert layout_at(None, StepKind.EMBED, 0.0, 2.0) == layout_for(StepKind.EMBED)


def test_the_leaving_panel_shrinks_first_and_the_arriving_one_grows_after():
    """They never cover each other: the projections leave the stage before the scores take it."""
    half = layout_at(StepKind.PROJECT_V, StepKind.DOT, CAMERA_SECONDS * 0.45, 2.0)
    leaving, arriving = half["projections"].rect, half["scores"].rect
    assert arriving.w == 0  # out of the strip, not grown yet
    assert leaving.w < layout_for(StepKind.PROJECT_V)["projections"].rect.w  # already shrinking
    for t in (0.1, 0.3, 0.5, 0.7, 0.9):
        placed = layout_at(StepKind.PROJECT_V, StepKind.DOT, CAMERA_SECONDS * t, 2.0)
        assert overlap(placed["projections"].rect, placed["scores"].rect) < 1e-9, t


def test_camera_progress_is_eased_monotonic_and_short_for_short_steps():
    samples = [camera_progress(t / 100, 3.0) for t in range(0, 101)]
    assert samples[0] == 0.0 and samples[-1] == 1.0
    assert all(a <= b for a, b in itertools.pairwise(samples))
    assert camera_progress(0.2, 0.5) == 1.0  # a 0.5 s step: the move takes 40 % of it, 0.2 s
    assert camera_progress(0.1, 0.5) == pytest.approx(0.5)
