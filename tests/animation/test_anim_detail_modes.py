"""Detail modes: how many steps each stage takes, in which order, and what an unknown mode does."""

from __future__ import annotations

import pytest

from explainer.animation import DEFAULT_DETAIL, DETAIL_MODES, Timeline
from explainer.animation.steps import cells

CELL_KINDS = ("dot", "softmax", "weighted_sum")
# (n_q, n_k or None for self-attention, n_heads, causal, scale)
SHAPES = [
    (1, None, 1, False, True),
    (4, None, 1, True, True),
    (3, 5, 1, False, False),
    (5, 2, 3, False, True),
    (6, None, 2, True, False),
]


def cells_per_stage(detail: str, n_q: int, n_k: int) -> int:
    return {"full": n_q * n_k, "first-query": n_k + n_q - 1, "rows": n_q, "matrix": 1}[detail]


def test_modes_and_default():
    assert DETAIL_MODES == ("full", "first-query", "rows", "matrix")
    assert DEFAULT_DETAIL == "first-query"


@pytest.mark.parametrize("detail", DETAIL_MODES)
@pytest.mark.parametrize(("n_q", "n_k", "n_heads", "causal", "scale"), SHAPES)
def test_step_counts(make_trace, detail, n_q, n_k, n_heads, causal, scale):
    trace = make_trace(n_q, n_k, n_heads=n_heads, causal=causal, scale=scale)
    keys = n_q if n_k is None else n_k
    timeline = Timeline.from_trace(trace, detail=detail)
    steps = timeline.steps
    per_stage = cells_per_stage(detail, n_q, keys)
    # With a causal mask, softmax and the weighted sum skip masked (query, key) cells.
    worked = cells(detail, n_q, keys, timeline.worked_query)
    masked = sum(1 for i, j in worked if i is not None and j is not None and trace.mask[i, j])
    for head in range(n_heads):
        for kind in CELL_KINDS:
            expected = per_stage - (masked if kind != "dot" else 0)
            assert sum(s.kind == kind and s.head == head for s in steps) == expected, (kind, head)
    per_head = 3 + 3 * per_stage - 2 * masked + scale + causal
    tail = (n_heads > 1) + trace.projects_output
    assert len(steps) == 1 + n_heads * per_head + tail


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_full_walks_every_dot_product_in_reading_order(make_trace, kind):
    trace = make_trace(3, 4, n_heads=2)
    steps = Timeline.from_trace(trace, detail="full").steps
    for head in range(2):
        cells = [(s.query, s.key) for s in steps if s.kind == kind and s.head == head]
        assert cells == [(i, j) for i in range(3) for j in range(4)]


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_first_query_in_full_then_rows(make_trace, kind):
    trace = make_trace(4, 3)
    steps = Timeline.from_trace(trace, detail="first-query").steps
    cells = [(s.query, s.key) for s in steps if s.kind == kind]
    assert cells == [(0, 0), (0, 1), (0, 2), (1, None), (2, None), (3, None)]


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_first_query_with_a_causal_mask_works_the_last_query(make_trace, kind):
    # The first query sees only itself; the last one sees every key.
    steps = Timeline.from_trace(make_trace(4, causal=True), detail="first-query").steps
    cells_ = [(s.query, s.key) for s in steps if s.kind == kind]
    assert cells_ == [(0, None), (1, None), (2, None), (3, 0), (3, 1), (3, 2), (3, 3)]


def test_a_named_worked_query_is_worked_key_by_key(make_trace):
    steps = Timeline(make_trace(4, 3), "first-query", worked_query=1).steps
    cells_ = [(s.query, s.key) for s in steps if s.kind == "dot"]
    assert cells_ == [(0, None), (1, 0), (1, 1), (1, 2), (2, None), (3, None)]
    with pytest.raises(ValueError, match="worked_query: expected 0 to 3, got 4"):
        Timeline(make_trace(4, 3), "first-query", worked_query=4)


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_rows_one_step_per_query(make_trace, kind):
    steps = Timeline.from_trace(make_trace(4, 3), detail="rows").steps
    assert [(s.query, s.key) for s in steps if s.kind == kind] == [(i, None) for i in range(4)]


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_matrix_one_step_per_stage(make_trace, kind):
    steps = Timeline.from_trace(make_trace(4, 3, n_heads=2), detail="matrix").steps
    assert [(s.head, s.query, s.key) for s in steps if s.kind == kind] == [(0, None, None), (1, None, None)]


def test_default_detail_is_first_query(make_trace):
    trace = make_trace(3, 4)
    default = Timeline.from_trace(trace)
    assert default.detail == "first-query"
    assert default.steps == Timeline.from_trace(trace, detail="first-query").steps
    assert default.steps == Timeline(trace).steps


def test_more_detail_takes_longer(make_trace):
    trace = make_trace(3, 4, n_heads=2, causal=False)
    durations = [Timeline.from_trace(trace, detail=d).duration for d in DETAIL_MODES]
    assert durations == sorted(durations, reverse=True)
    assert len(set(durations)) == len(durations)


@pytest.mark.parametrize("bad", ["cells", "Full", "", "first_query", None])
def test_unknown_detail_raises_naming_the_options(make_trace, bad):
    trace = make_trace(2)
    for build in (lambda: Timeline.from_trace(trace, detail=bad), lambda: Timeline(trace, bad)):
        with pytest.raises(ValueError, match="detail") as error:
            build()
        message = str(error.value)
        assert all(mode in message for mode in DETAIL_MODES), message
        assert repr(bad) in message
