"""Self, cross and causal attention; the trace and the params cannot be written to."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from attention_reference import Snapshot, watch

from explainer.model import AttentionModel


def test_self_attention_shares_one_embedding_array() -> None:
    m = AttentionModel(["this", "is", "an", "example"])
    assert m.self_attention and m.mode == "self"
    assert m.params["x_kv"] is m.params["x_q"]
    assert m.trace.x_kv is m.trace.x_q
    assert m.key_tokens == m.query_tokens == ["this", "is", "an", "example"]


def test_editing_x_kv_in_self_attention_edits_x_q_too() -> None:
    m = AttentionModel(["this", "is", "an"])
    emitted = watch(m)
    m.set_value("x_kv", (1, 2), 0.5)
    assert m.params["x_q"][1, 2] == 0.5
    assert m.params["x_kv"] is m.params["x_q"]
    trace = m.trace
    np.testing.assert_allclose(trace.q[0], trace.x_q @ trace.w_q[0], rtol=1e-14)
    np.testing.assert_allclose(trace.k[0], trace.x_q @ trace.w_k[0], rtol=1e-14)
    m.set_param("x_kv", np.full((3, 8), 0.25))
    assert np.all(m.params["x_q"] == 0.25)
    m.set_value("x_q", (0, 0), -1.0)
    assert m.params["x_kv"][0, 0] == -1.0
    assert emitted.count == 3


def test_editing_x_kv_in_cross_attention_leaves_x_q_alone() -> None:
    m = AttentionModel(["I", "like"], ["suki"])
    x_q = m.params["x_q"].copy()
    m.set_value("x_kv", (0, 3), 0.5)
    assert m.params["x_kv"][0, 3] == 0.5
    assert np.array_equal(m.params["x_q"], x_q)
    assert m.params["x_kv"] is not m.params["x_q"]


def test_causal_needs_self_attention_in_the_constructor() -> None:
    with pytest.raises(ValueError, match=r"causal.*self-attention"):
        AttentionModel(["I", "like"], ["suki"], causal=True)


def test_causal_model_refuses_key_tokens() -> None:
    m = AttentionModel(["the", "cat", "sat"], causal=True)
    before = Snapshot.of(m)
    emitted = watch(m)
    with pytest.raises(ValueError, match=r"causal.*self-attention"):
        m.set_tokens(["the", "cat"], ["neko"])
    before.assert_same(m)
    assert emitted.count == 0


def test_cross_model_refuses_causal_until_it_becomes_self_attention() -> None:
    m = AttentionModel(["I", "like"], ["suki"])
    before = Snapshot.of(m)
    emitted = watch(m)
    with pytest.raises(ValueError, match=r"causal.*self-attention"):
        m.set_options(causal=True)
    before.assert_same(m)
    assert emitted.count == 0
    with m.batch():
        m.set_tokens(["I", "like"])
        m.set_options(causal=True)
    assert m.mode == "causal"
    assert emitted.count == 1


def test_causal_weights_are_zero_above_the_diagonal_and_switch_off_cleanly() -> None:
    m = AttentionModel(["a", "b", "c", "d"], causal=True, n_heads=2, seed=3)
    above = np.triu(np.ones((4, 4), dtype=bool), k=1)
    assert np.all(m.trace.weights[:, above] == 0.0)
    assert np.all(m.trace.weights[:, 0, 0] == 1.0)
    m.set_options(causal=False)
    assert m.mode == "self"
    assert np.all(m.trace.weights > 0.0)


def test_every_trace_array_is_read_only_float64() -> None:
    m = AttentionModel(["I", "like"], ["suki", "desu", "ocha"], n_heads=2)
    arrays = {
        f.name: getattr(m.trace, f.name)
        for f in dataclasses.fields(m.trace)
        if isinstance(getattr(m.trace, f.name), np.ndarray)
    }
    expected = {"x_q", "x_kv", "q", "k", "v", "scores", "scaled", "masked", "weights", "context", "output"}
    assert expected <= arrays.keys()
    for name, array in arrays.items():
        assert array.dtype == (bool if name == "mask" else np.float64), name
        assert not array.flags.writeable, name
        with pytest.raises(ValueError, match="read-only"):
            array[(0,) * array.ndim] = 1


def test_trace_fields_cannot_be_replaced() -> None:
    trace = AttentionModel(["a"]).trace
    with pytest.raises(dataclasses.FrozenInstanceError):
        trace.weights = np.ones((1, 1, 1))


def test_params_mapping_and_arrays_are_read_only() -> None:
    m = AttentionModel(["I", "like"], ["suki"])
    before = Snapshot.of(m)
    with pytest.raises(TypeError):
        m.params["w_q"] = np.zeros((1, 8, 4))
    with pytest.raises(TypeError):
        del m.params["b_o"]
    for name, array in m.params.items():
        assert array.dtype == np.float64, name
        with pytest.raises(ValueError, match="read-only"):
            array[(0,) * array.ndim] = 1.0
    before.assert_same(m)


def test_an_old_trace_is_a_snapshot_that_later_edits_do_not_touch() -> None:
    m = AttentionModel(["I", "like"], ["suki", "desu"])
    old = m.trace
    weights, w_q = old.weights.copy(), old.w_q.copy()
    m.set_value("w_q", (0, 0, 0), 5.0)
    m.set_param("x_kv", np.ones((2, 8)))
    assert m.trace is not old
    assert np.array_equal(old.weights, weights)
    assert np.array_equal(old.w_q, w_q)
    assert not np.array_equal(m.trace.weights, weights)


def test_trace_records_tokens_and_options() -> None:
    m = AttentionModel(["I", "like"], ["suki"], scale=False)
    t = m.trace
    assert (t.query_tokens, t.key_tokens) == (("I", "like"), ("suki",))
    assert (t.mode, t.self_attention, t.causal, t.scale) == ("cross", False, False, False)
    assert (t.n_heads, t.d_model, t.d_k, t.d_v) == (1, 8, 4, 4)
