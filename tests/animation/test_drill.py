"""A drill-down: one α worked out alone, with the captions of the whole walkthrough's cells."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.animation import CellTimeline, StepKind, Timeline, captions
from explainer.model import AttentionModel


@pytest.mark.parametrize(
    ("preset", "cell", "kinds"),
    [
        ("seed-translate", (0, 1, 3), ["dot", "scale", "softmax", "weighted_sum"]),
        ("seed-causal", (1, 4, 1), ["dot", "scale", "mask", "softmax", "weighted_sum"]),
    ],
)
def test_the_steps_are_the_cells_story_in_pipeline_order(preset, cell, kinds):
    trace = AttentionModel.from_preset(preset).trace
    timeline = CellTimeline(trace, cell)
    assert [step.kind for step in timeline.steps] == kinds
    head, query, key = cell
    dot, *_, share = timeline.steps
    assert (dot.head, dot.query, dot.key) == cell
    assert dot.caption == captions.dot(trace, head, query, key)
    softmax = next(step for step in timeline.steps if step.kind == StepKind.SOFTMAX)
    assert (softmax.query, softmax.key) == (query, None)  # the whole row: α is the row's softmax
    assert share.caption == captions.weighted_sum(trace, head, query, key)


def test_what_the_drill_does_not_compute_is_on_screen_from_the_first_step():
    trace = AttentionModel.from_preset("seed-translate").trace
    timeline = CellTimeline(trace, (0, 1, 3))
    start = timeline.state_at(0.0)
    shown = start.shown("scores")
    assert shown[0, 1, 3]  # appearing: the dot product is the first step
    assert not start.revealed["scores"][0, 1, 3]
    assert start.revealed["scores"][0].sum() == trace.scores[0].size - 1  # every other score is known
    assert start.revealed["q"].all() and start.revealed["k"].all()
    assert not start.shown("weights")[0, 1].any()  # "hate"'s row comes with its softmax
    assert start.revealed["weights"][0, 0].all()
    end = timeline.state_at(timeline.duration)
    assert all(np.asarray(end.shown(name)).all() for name in ("scores", "weights", "context"))


def test_a_masked_or_missing_cell_is_refused_with_what_is_wrong():
    trace = AttentionModel.from_preset("seed-causal").trace
    with pytest.raises(ValueError, match=r"α\(the, cat\) is masked"):
        CellTimeline(trace, (0, 0, 1))
    with pytest.raises(ValueError, match="query: expected 0 to 5, got 9"):
        CellTimeline(trace, (0, 9, 0))


def test_an_edit_keeps_the_drill_on_its_cell_with_new_numbers():
    model = AttentionModel.from_preset("seed-translate")
    timeline = CellTimeline(model.trace, (0, 1, 3))
    model.set_value("w_q", (0, 0, 0), 2.5)
    again = timeline.rebound(model.trace, worked_query=0)
    assert isinstance(again, CellTimeline) and again.cell == (0, 1, 3)
    assert again.steps[0].caption == captions.dot(model.trace, 0, 1, 3)
    assert again.steps[0].caption != timeline.steps[0].caption
    assert len(again.steps) < len(Timeline(model.trace).steps) / 4


def test_without_scaling_the_scaled_scores_are_the_scores_as_they_appear():
    model = AttentionModel.from_preset("seed-translate")
    model.set_options(scale=False)
    timeline = CellTimeline(model.trace, (0, 1, 3))
    assert [step.kind for step in timeline.steps] == ["dot", "softmax", "weighted_sum"]
    for name in ("scaled", "masked"):
        assert np.array_equal(timeline.reveal_at[name], timeline.reveal_at["scores"])
    assert timeline.reveal_at["output"][1] == 2 and timeline.reveal_at["output"][0] == -1
