"""Step kinds, where they apply, their durations and captions, and which stages exist when."""

from __future__ import annotations

import dataclasses
import math
from itertools import groupby

import numpy as np
import pytest

from explainer.animation import DETAIL_MODES, STEP_KINDS, Step, Timeline
from explainer.model import AttentionModel

CELL_KINDS = ("dot", "softmax", "weighted_sum")
HEAD_KINDS = ("project_q", "project_k", "project_v", "scale", "mask")
GLOBAL_KINDS = ("embed", "concat_heads", "output_projection")


def test_step_kinds_are_the_pipeline_in_order():
    assert STEP_KINDS == (
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


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_every_step_is_well_formed(preset_trace, detail):
    trace = preset_trace
    n_heads, n_q, n_k = trace.scores.shape
    for step in Timeline.from_trace(trace, detail=detail).steps:
        assert step.kind in STEP_KINDS
        assert isinstance(step.caption, str) and step.caption.strip(), step
        assert step.duration > 0 and math.isfinite(step.duration), step
        if step.kind in GLOBAL_KINDS:
            assert (step.head, step.query, step.key) == (None, None, None), step
            continue
        assert step.head in range(n_heads), step
        if step.kind in HEAD_KINDS:
            assert (step.query, step.key) == (None, None), step
        else:
            assert step.kind in CELL_KINDS
            assert step.query is None or step.query in range(n_q), step
            assert step.key is None or step.key in range(n_k), step
            # A single key only makes sense within a single query's row.
            assert step.key is None or step.query is not None, step


def _stage_outline(steps: list[Step]) -> list[tuple[str, int | None]]:
    """The steps with consecutive repeats of the same (kind, head) merged."""
    return [key for key, _ in groupby((s.kind, s.head) for s in steps)]


@pytest.mark.parametrize("n_heads", [1, 2, 3])
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("scale", [False, True])
@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_stages_follow_the_pipeline(make_trace, n_heads, causal, scale, detail):
    trace = make_trace(3, n_heads=n_heads, causal=causal, scale=scale)
    steps = Timeline.from_trace(trace, detail=detail).steps
    per_head = ["project_q", "project_k", "project_v", "dot"]
    per_head += ["scale"] * scale + ["mask"] * causal + ["softmax", "weighted_sum"]
    expected: list[tuple[str, int | None]] = [("embed", None)]
    for head in range(n_heads):
        expected += [(kind, head) for kind in per_head]
    if n_heads > 1:
        expected += [("concat_heads", None)]
    if trace.projects_output:  # several heads, or one head with W_O ≠ I
        expected += [("output_projection", None)]
    assert _stage_outline(steps) == expected


@pytest.mark.parametrize("causal", [False, True])
def test_mask_only_when_causal(make_trace, causal):
    steps = Timeline.from_trace(make_trace(4, n_heads=2, causal=causal)).steps
    masks = [s for s in steps if s.kind == "mask"]
    assert [s.head for s in masks] == ([0, 1] if causal else [])


def test_cross_attention_has_no_mask(translate):
    assert not translate.causal
    assert all(s.kind != "mask" for s in Timeline.from_trace(translate, detail="full").steps)


@pytest.mark.parametrize("scale", [False, True])
def test_scale_only_when_scaling_is_on(make_trace, scale):
    steps = Timeline.from_trace(make_trace(3, n_heads=2, scale=scale)).steps
    assert [s.head for s in steps if s.kind == "scale"] == ([0, 1] if scale else [])


@pytest.mark.parametrize("n_heads", [1, 2, 4])
def test_concat_and_output_projection_only_with_several_heads(make_trace, n_heads):
    steps = Timeline.from_trace(make_trace(3, n_heads=n_heads)).steps
    tail = [s.kind for s in steps if s.kind in ("concat_heads", "output_projection")]
    assert tail == (["concat_heads", "output_projection"] if n_heads > 1 else ["output_projection"])
    assert steps[-1].kind == "output_projection"  # a random W_O is shown, even with one head


def test_one_head_with_w_o_identity_has_no_projection_and_shows_the_head_output():
    model = AttentionModel(["a", "b", "c"], d_model=4, d_k=4, d_v=4)
    model.set_param("w_o", np.eye(4))
    trace = model.trace
    assert not trace.projects_output
    np.testing.assert_array_equal(trace.output, trace.context[0])  # what the app shows is the output
    kinds = {s.kind for s in Timeline.from_trace(trace).steps}
    assert not kinds & {"concat_heads", "output_projection"}


@pytest.mark.parametrize("name", AttentionModel.preset_names())
def test_the_presets_show_the_output_they_compute(name):
    trace = AttentionModel.from_preset(name).trace
    if trace.n_heads == 1:  # W_O = I: the head output is the output
        assert not trace.projects_output
        np.testing.assert_array_equal(trace.output, trace.context[0])
    else:
        assert Timeline.from_trace(trace).steps[-1].kind == "output_projection"


def test_causal_preset_has_every_kind(causal):
    kinds = {s.kind for s in Timeline.from_trace(causal, detail="full").steps}
    assert kinds == set(STEP_KINDS)


def test_embed_comes_first_and_only_once(preset_trace):
    steps = Timeline.from_trace(preset_trace).steps
    assert steps[0].kind == "embed"
    assert sum(s.kind == "embed" for s in steps) == 1


def test_granularity_and_durations_follow_the_scope(causal):
    steps = Timeline.from_trace(causal, detail="first-query").steps
    by_granularity: dict[str, set[float]] = {}
    for step in steps:
        expected = "matrix" if step.query is None else "row" if step.key is None else "cell"
        assert step.granularity == expected
        by_granularity.setdefault(step.granularity, set()).add(step.duration)
    assert set(by_granularity) == {"cell", "row", "matrix"}
    # One dot product takes less time than a row, and a row less than the slowest whole-matrix step.
    assert max(by_granularity["cell"]) < min(by_granularity["row"])
    assert max(by_granularity["row"]) < max(by_granularity["matrix"])


def test_steps_are_immutable(translate):
    step = Timeline.from_trace(translate).steps[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.duration = 0.0  # type: ignore[misc]
