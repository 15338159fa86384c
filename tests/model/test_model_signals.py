"""`changed`: one emission per effective edit, none for no-ops, one per batch."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest
from attention_reference import Snapshot, watch

from explainer.model import AttentionModel, Trace

Edit = Callable[[AttentionModel], object]


def cross_model() -> AttentionModel:
    return AttentionModel(["I", "like", "tea"], ["ocha", "suki"], d_model=4, d_k=3, n_heads=2)


def test_an_effective_edit_emits_the_new_trace_once() -> None:
    m = cross_model()
    emitted = watch(m)
    m.set_value("w_q", (1, 2, 0), 0.75)
    assert emitted.count == 1
    trace = emitted.traces[0]
    assert isinstance(trace, Trace)
    assert trace is m.trace
    assert trace.w_q[1, 2, 0] == 0.75
    np.testing.assert_allclose(trace.q[1], trace.x_q @ trace.w_q[1] + trace.b_q[1], rtol=1e-14)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda m: m.set_value("w_k", (0, 1, 2), 0.5), id="set_value"),
        pytest.param(lambda m: m.set_param("b_o", [1.0, 2.0, 3.0, 4.0]), id="set_param"),
        pytest.param(lambda m: m.set_tokens(["I", "like", "tea", "!"], ["ocha", "suki"]), id="set_tokens"),
        pytest.param(lambda m: m.set_tokens(["I", "like", "tea"]), id="set_tokens self"),
        pytest.param(lambda m: m.set_options(scale=False), id="set_options"),
        pytest.param(lambda m: m.set_dims(n_heads=3), id="set_dims"),
        pytest.param(lambda m: m.randomize(7), id="randomize"),
    ],
)
def test_every_kind_of_effective_edit_emits_once(edit: Edit) -> None:
    m = cross_model()
    emitted = watch(m)
    edit(m)
    assert emitted.count == 1
    assert emitted.traces[0] is m.trace


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda m: m.set_value("w_q", (0, 0, 0), float(m.params["w_q"][0, 0, 0])), id="same value"
        ),
        pytest.param(lambda m: m.set_value("b_o", 2, 0), id="same value as int"),
        pytest.param(lambda m: m.set_param("w_v", m.params["w_v"].tolist()), id="same array as list"),
        pytest.param(lambda m: m.set_param("x_kv", np.array(m.params["x_kv"])), id="same array copy"),
        pytest.param(lambda m: m.set_tokens(["I", "like", "tea"], ["ocha", "suki"]), id="same tokens"),
        pytest.param(lambda m: m.set_tokens([" I", "like ", "tea"], ("ocha", "suki")), id="same after strip"),
        pytest.param(lambda m: m.set_options(causal=False, scale=True), id="same options"),
        pytest.param(lambda m: m.set_options(), id="no options"),
        pytest.param(lambda m: m.set_dims(d_model=4, d_k=3, n_heads=2), id="same dims"),
        pytest.param(lambda m: m.randomize(0), id="same seed, nothing edited"),
        pytest.param(lambda m: m.restore(m.state), id="restore current"),
    ],
)
def test_an_edit_that_changes_nothing_emits_nothing(edit: Edit) -> None:
    m = cross_model()
    before, state = Snapshot.of(m), m.state
    emitted = watch(m)
    edit(m)
    assert emitted.count == 0
    before.assert_same(m)
    assert m.state.same_as(state)


def test_a_batch_of_edits_emits_exactly_once_with_all_of_them() -> None:
    m = cross_model()
    emitted = watch(m)
    with m.batch():
        m.set_value("w_q", (0, 0, 0), 0.5)
        m.set_value("w_k", (1, 3, 2), -0.5)
        m.set_options(scale=False)
        m.set_tokens(["I", "like", "green", "tea"], ["ocha", "suki"])
        assert emitted.count == 0
    assert emitted.count == 1
    trace = emitted.traces[0]
    assert trace is m.trace
    assert (trace.w_q[0, 0, 0], trace.w_k[1, 3, 2], trace.scale) == (0.5, -0.5, False)
    assert trace.query_tokens == ("I", "like", "green", "tea")
    assert trace.weights.shape == (2, 4, 2)


def test_nested_batches_emit_once_at_the_outer_end() -> None:
    m = cross_model()
    emitted = watch(m)
    with m.batch():
        m.set_value("b_o", 0, 1.0)
        with m.batch():
            m.set_value("b_o", 1, 2.0)
        assert emitted.count == 0
        m.set_value("b_o", 2, 3.0)
    assert emitted.count == 1
    np.testing.assert_array_equal(emitted.traces[0].b_o, [1.0, 2.0, 3.0, 0.0])


def test_a_batch_that_ends_where_it_started_emits_nothing() -> None:
    m = cross_model()
    before = Snapshot.of(m)
    emitted = watch(m)
    original = float(m.params["w_o"][2, 1])
    with m.batch():
        m.set_value("w_o", (2, 1), original + 1.0)
        m.set_options(scale=False)
        m.set_tokens(["I", "like", "tea"])
        m.set_tokens(["I", "like", "tea"], ["ocha", "suki"])
        m.set_options(scale=True)
        m.set_value("w_o", (2, 1), original)
    assert emitted.count == 0
    before.assert_same(m)


def test_an_empty_batch_emits_nothing() -> None:
    m = cross_model()
    emitted = watch(m)
    with m.batch():
        pass
    assert emitted.count == 0


def test_a_drag_of_many_values_is_one_recompute_per_batch() -> None:
    m = cross_model()
    emitted = watch(m)
    for frame in range(3):
        with m.batch():
            for step in range(10):
                m.set_value("w_v", (0, 1, 1), frame + step / 10)
    assert emitted.count == 3
    assert [t.w_v[0, 1, 1] for t in emitted.traces] == [0.9, 1.9, 2.9]


def test_restore_goes_back_and_emits_once() -> None:
    m = cross_model()
    start = m.state
    before = Snapshot.of(m)
    m.set_value("w_q", (0, 0, 0), 9.0)
    m.set_tokens(["new", "words"])
    emitted = watch(m)
    m.restore(start)
    assert emitted.count == 1
    before.assert_same(m)


def test_the_seed_is_part_of_the_state() -> None:
    m = cross_model()
    start = m.state
    assert (start.seed, m.seed) == (0, 0)
    m.randomize(5)
    assert (m.state.seed, m.seed) == (5, 5)
    with pytest.raises(AttributeError):
        m.seed = 6  # type: ignore[misc]  # read-only: the seed changes through an edit
    # Two states alike but for the seed are not the same: restoring one changes the seed, once.
    other = dataclasses.replace(start, seed=12)
    assert not other.same_as(start) and start.same_as(dataclasses.replace(start))
    emitted = watch(m)
    m.restore(start)
    m.restore(other)
    assert emitted.count == 2
    assert m.seed == 12
    assert m.state.same_as(other)
    m.restore(other)
    assert emitted.count == 2
    # A model built from a state takes its seed from it.
    assert AttentionModel.from_state(other).seed == 12
    assert AttentionModel.from_state(other).state.same_as(other)


def test_a_state_with_a_refused_seed_changes_nothing() -> None:
    m = cross_model()
    before, state = Snapshot.of(m), m.state
    emitted = watch(m)
    with pytest.raises(ValueError, match="seed"):
        m.restore(dataclasses.replace(state, seed=-1))
    with pytest.raises(ValueError, match="seed"):
        AttentionModel.from_state(dataclasses.replace(state, seed=-1))
    assert m.state is state
    assert emitted.count == 0
    before.assert_same(m)
