"""What is revealed, appearing and highlighted at each moment of the walkthrough."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.animation import DETAIL_MODES, Timeline, flag_shapes


def lit_cells(flags: dict[str, np.ndarray]) -> set[tuple]:
    """Every flagged cell as (tensor name, *index)."""
    return {(name, *map(int, index)) for name, array in flags.items() for index in np.argwhere(array)}


def mid(timeline: Timeline, index: int) -> float:
    return timeline.start(index) + timeline.steps[index].duration / 2


def find(timeline: Timeline, kind: str, head=None, query=None, key=None) -> int:
    wanted = (kind, head, query, key)
    return next(i for i, s in enumerate(timeline.steps) if (s.kind, s.head, s.query, s.key) == wanted)


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_flags_have_the_documented_shapes(preset_trace, detail):
    timeline = Timeline.from_trace(preset_trace, detail=detail)
    shapes = flag_shapes(preset_trace)
    h, n_q, n_k = preset_trace.scores.shape
    assert shapes["scores"] == (h, n_q, n_k) and shapes["q"] == (h, n_q) and shapes["v"] == (h, n_k)
    state = timeline.state_at(timeline.duration / 3)
    for flags in (state.revealed, state.appearing, state.highlighted):
        assert {name: a.shape for name, a in flags.items()} == shapes
        assert all(a.dtype == bool for a in flags.values())


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_everything_is_shown_at_the_end(preset_trace, detail):
    timeline = Timeline.from_trace(preset_trace, detail=detail)
    state = timeline.state_at(timeline.duration)
    for name in flag_shapes(preset_trace):
        assert state.shown(name).all(), name


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_only_the_embeddings_appear_at_the_start(preset_trace, detail):
    state = Timeline.from_trace(preset_trace, detail=detail).state_at(0.0)
    assert state.step.kind == "embed"
    assert not any(a.any() for a in state.revealed.values())
    for name, appearing in state.appearing.items():
        assert appearing.all() if name in ("x_q", "x_kv") else not appearing.any(), name


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_revealed_cells_stay_revealed(causal, detail):
    timeline = Timeline.from_trace(causal, detail=detail)
    times = sorted(
        {*np.linspace(0, timeline.duration, 301), *(timeline.start(i) for i in range(len(timeline.steps)))}
    )
    previous = timeline.state_at(times[0])
    for t in times[1:]:
        state = timeline.state_at(t)
        for name in previous.revealed:
            assert not (previous.revealed[name] & ~state.revealed[name]).any(), (name, t)
            assert not (previous.shown(name) & ~state.shown(name)).any(), (name, t)
        previous = state


def test_each_steps_appearing_cells_are_revealed_from_the_next_step(causal):
    timeline = Timeline.from_trace(causal, detail="first-query")
    for i in range(len(timeline.steps) - 1):
        now, after = timeline.state_at(mid(timeline, i)), timeline.state_at(timeline.start(i + 1))
        assert any(a.any() for a in now.appearing.values()), timeline.steps[i]
        for name in now.appearing:
            assert not (now.appearing[name] & now.revealed[name]).any()
            np.testing.assert_array_equal(after.revealed[name], now.revealed[name] | now.appearing[name])


def test_dot_step_reveals_and_lights_its_cell(translate):
    timeline = Timeline.from_trace(translate, detail="full")
    for i in range(4):
        for j in range(4):
            state = timeline.state_at(mid(timeline, find(timeline, "dot", 0, i, j)))
            appearing = lit_cells(state.appearing)
            # Scaling is on, so only the raw score appears now; the scaled one comes at the scale step.
            assert appearing == {("scores", 0, i, j)}
            assert lit_cells(state.highlighted) == {("q", 0, i), ("k", 0, j), ("scores", 0, i, j)}
            assert state.shown("q")[0].all() and state.shown("k")[0].all()


def test_dot_step_of_a_second_head(causal):
    timeline = Timeline.from_trace(causal, detail="full")
    state = timeline.state_at(mid(timeline, find(timeline, "dot", 1, 3, 2)))
    assert ("scores", 1, 3, 2) in lit_cells(state.appearing)
    assert lit_cells(state.highlighted) == {("q", 1, 3), ("k", 1, 2), ("scores", 1, 3, 2)}


def test_dot_row_and_matrix_steps_light_the_row_and_the_matrix(translate):
    rows = Timeline.from_trace(translate, detail="first-query")
    state = rows.state_at(mid(rows, find(rows, "dot", 0, 2)))
    expected = {("q", 0, 2)} | {("k", 0, j) for j in range(4)} | {("scores", 0, 2, j) for j in range(4)}
    assert lit_cells(state.highlighted) == expected
    assert lit_cells(state.appearing) == {("scores", 0, 2, j) for j in range(4)}
    matrix = Timeline.from_trace(translate, detail="matrix")
    state = matrix.state_at(mid(matrix, find(matrix, "dot", 0)))
    assert state.highlighted["q"].all() and state.highlighted["k"].all() and state.highlighted["scores"].all()
    assert state.appearing["scores"].all()


@pytest.mark.parametrize(("h", "i", "j"), [(0, 0, 0), (0, 3, 1), (1, 5, 4)])
def test_weighted_sum_step_lights_value_weight_and_output(causal, h, i, j):
    timeline = Timeline.from_trace(causal, detail="full")
    state = timeline.state_at(mid(timeline, find(timeline, "weighted_sum", h, i, j)))
    required = {("v", h, j), ("weights", h, i, j), ("context", h, i)}
    allowed = required | {("contributions", h, i, j)}
    assert required <= lit_cells(state.highlighted) <= allowed
    assert state.appearing["contributions"][h, i, j]
    # out_i appears with its last share (causal: key i), never beside a partial sum.
    assert state.shown("context")[h, i] == (j == i)
    # All the weights of the head are known before any of them is used.
    assert state.revealed["weights"][h].all()


def test_causal_mask_step_lights_exactly_the_masked_cells(causal):
    timeline = Timeline.from_trace(causal)
    for h in range(causal.n_heads):
        state = timeline.state_at(mid(timeline, find(timeline, "mask", h)))
        expected = {("masked", h, int(i), int(j)) for i, j in np.argwhere(causal.mask)}
        assert expected, "the preset must mask something"
        assert lit_cells(state.highlighted) == expected
        assert state.appearing["masked"][h].all() and not state.appearing["masked"][1 - h].any()


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_scaled_and_masked_scores_wait_for_their_own_steps(causal, detail):
    timeline = Timeline.from_trace(causal, detail=detail)
    last_dot = max(i for i, s in enumerate(timeline.steps) if s.kind == "dot" and s.head == 0)
    scale, mask = find(timeline, "scale", 0), find(timeline, "mask", 0)
    assert last_dot < scale < mask
    during_dots = timeline.state_at(mid(timeline, last_dot))
    assert during_dots.shown("scores")[0].all()
    assert not during_dots.shown("scaled").any() and not during_dots.shown("masked").any()
    during_scale = timeline.state_at(mid(timeline, scale))
    assert during_scale.appearing["scaled"][0].all() and not during_scale.shown("masked").any()
    during_mask = timeline.state_at(mid(timeline, mask))
    assert during_mask.revealed["scaled"][0].all() and during_mask.appearing["masked"][0].all()


def test_skipped_stages_show_their_input_unchanged(make_trace):
    timeline = Timeline.from_trace(make_trace(3, scale=False, causal=False), detail="full")
    for name in ("scaled", "masked"):
        np.testing.assert_array_equal(timeline.reveal_at[name], timeline.reveal_at["scores"])


def test_softmax_step_lights_the_row_it_normalises(translate):
    timeline = Timeline.from_trace(translate, detail="full")
    state = timeline.state_at(mid(timeline, find(timeline, "softmax", 0, 1, 3)))
    assert lit_cells(state.highlighted) == {("masked", 0, 1, j) for j in range(4)} | {("weights", 0, 1, 3)}
    assert lit_cells(state.appearing) == {("weights", 0, 1, 3)}
    assert state.revealed["masked"].all()


def test_scale_projection_and_embed_highlights(translate):
    timeline = Timeline.from_trace(translate)
    scale = timeline.state_at(mid(timeline, find(timeline, "scale", 0)))
    assert {name for name, _, *_ in lit_cells(scale.highlighted)} == {"scores", "scaled"}
    assert scale.appearing["scaled"].all() and scale.revealed["scores"].all()
    project_k = timeline.state_at(mid(timeline, find(timeline, "project_k", 0)))
    assert {name for name, *_ in lit_cells(project_k.highlighted)} == {"x_kv", "k"}
    assert project_k.appearing["k"].all() and not project_k.shown("v").any()
    embed = timeline.state_at(0.5)
    assert {name for name, *_ in lit_cells(embed.highlighted)} == {"x_q", "x_kv"}


def test_concat_and_output_projection_come_last(causal):
    timeline = Timeline.from_trace(causal)
    concat = timeline.state_at(mid(timeline, len(timeline.steps) - 2))
    assert concat.step.kind == "concat_heads"
    assert concat.revealed["context"].all() and concat.appearing["concat"].all()
    assert not concat.shown("output").any()
    assert {name for name, *_ in lit_cells(concat.highlighted)} == {"context", "concat"}
    output = timeline.state_at(timeline.duration)
    assert output.appearing["output"].all()
    assert {name for name, *_ in lit_cells(output.highlighted)} == {"concat", "output"}


def test_one_head_shows_its_output_with_the_weighted_sum(translate):
    timeline = Timeline.from_trace(translate, detail="rows")
    state = timeline.state_at(mid(timeline, find(timeline, "weighted_sum", 0, 1)))
    assert state.shown("output")[1] and not state.shown("output")[2]
    np.testing.assert_array_equal(state.shown("concat"), state.shown("context")[0])
