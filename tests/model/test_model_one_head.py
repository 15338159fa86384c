"""An edit that feeds one head recomputes that head alone, and the trace is bit for bit a full pass's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_model_properties import Case, cases

from explainer.model import AttentionModel
from explainer.model import trace as trace_module
from explainer.model.trace import PER_HEAD, Trace, compute_trace

TENSORS = (*PER_HEAD, "concat", "output", "mask")
HEAD_PARAMS = ("w_q", "w_k", "w_v", "b_q", "b_k", "b_v", "w_o", "b_o")


def full_pass(model: AttentionModel) -> Trace:
    s = model.state
    keys = s.query_tokens if s.key_tokens is None else s.key_tokens
    return compute_trace(
        s.params, s.query_tokens, keys, self_attention=s.self_attention, causal=s.causal, scale=s.scale
    )


def assert_same_bits(trace: Trace, expected: Trace) -> None:
    for name in TENSORS:
        assert np.array_equal(getattr(trace, name), getattr(expected, name)), name
    assert np.array_equal(np.array(trace.projected), np.array(expected.projected))


@settings(max_examples=120, deadline=None)
@given(cases(), st.data())
def test_edits_of_one_head_give_a_full_pass_bits(case: Case, data: st.DataObject) -> None:
    m = case.model
    assert m.trace.n_heads == m.n_heads  # the base every edit updates
    for _ in range(data.draw(st.integers(1, 4))):
        name = data.draw(st.sampled_from(HEAD_PARAMS))
        shape = m.params[name].shape
        cell = tuple(data.draw(st.integers(0, size - 1)) for size in shape)
        m.set_value(name, cell, data.draw(st.floats(-3, 3, allow_nan=False, width=64)))
        if data.draw(st.booleans()):
            assert_same_bits(m.trace, full_pass(m))
    assert_same_bits(m.trace, full_pass(m))


@pytest.fixture
def counted_heads(monkeypatch) -> list[slice]:
    """The head slices the model computes, in order."""
    seen: list[slice] = []
    attend = trace_module._attend

    def counting(params, heads, mask, scale, known=None):
        seen.append(heads)
        return attend(params, heads, mask, scale, known)

    monkeypatch.setattr(trace_module, "_attend", counting)
    return seen


def four_heads() -> AttentionModel:
    return AttentionModel(["a", "b", "c"], d_model=8, d_k=2, n_heads=4, causal=True)


@pytest.mark.parametrize(
    ("name", "cell", "head"),
    [("w_q", (2, 0, 1), 2), ("b_v", (1, 0), 1), ("w_o", (7, 3), 3), ("w_k", (0, 5, 0), 0)],
)
def test_an_edit_recomputes_only_the_head_it_feeds(counted_heads, name, cell, head) -> None:
    m = four_heads()
    assert m.trace.n_heads == 4
    counted_heads.clear()
    m.set_value(name, cell, 1.25)
    assert counted_heads == [slice(head, head + 1)]
    assert_same_bits(m.trace, full_pass(m))


@pytest.mark.parametrize(
    ("name", "cell", "kept"),
    [
        ("w_q", (1, 0, 0), ("k", "v")),
        ("b_k", (1, 0), ("q", "v")),
        ("w_v", (2, 3, 1), ("q", "k", "scores", "weights")),
        ("w_o", (5, 0), ("q", "k", "v", "scores", "weights", "context")),
    ],
)
def test_what_an_edit_does_not_reach_keeps_its_arrays(name, cell, kept) -> None:
    """The views compare arrays by identity first: untouched tensors must stay the same objects."""
    m = four_heads()
    before = m.trace
    m.set_value(name, cell, 1.75)
    for tensor in kept:
        assert getattr(m.trace, tensor) is getattr(before, tensor), tensor
    assert_same_bits(m.trace, full_pass(m))


def test_b_o_recomputes_no_head_and_x_every_head(counted_heads) -> None:
    m = four_heads()
    assert m.trace.n_heads == 4
    counted_heads.clear()
    m.set_value("b_o", (5,), -2.0)
    assert counted_heads == []
    assert_same_bits(m.trace, full_pass(m))
    counted_heads.clear()
    m.set_value("x_q", (0, 0), 2.0)
    assert counted_heads == [slice(None)]


def test_edits_while_the_trace_is_unread_gather_their_heads(counted_heads) -> None:
    m = four_heads()
    assert m.trace.n_heads == 4
    counted_heads.clear()
    with m.batch():
        m.set_value("w_q", (1, 0, 0), 0.5)
        m.set_value("w_v", (3, 0, 0), 0.5)
    assert counted_heads == [slice(1, 2), slice(3, 4)]
    assert_same_bits(m.trace, full_pass(m))


def test_an_edit_after_a_new_option_computes_everything(counted_heads) -> None:
    m = four_heads()
    assert m.trace.n_heads == 4
    counted_heads.clear()
    with m.batch():
        m.set_options(scale=False)  # every head changes: no base left to update
        m.set_value("w_q", (1, 0, 0), 0.5)
    assert counted_heads == [slice(None)]
    assert_same_bits(m.trace, full_pass(m))


def test_the_output_is_the_heads_shares_plus_b_o() -> None:
    m = four_heads()
    t = m.trace
    np.testing.assert_allclose(t.output, t.concat @ t.w_o + t.b_o, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sum(t.projected) + t.b_o, t.output, rtol=1e-12, atol=1e-12)


def test_a_model_from_a_state_computes_its_trace_only_when_read(counted_heads) -> None:
    """A session's model is built before anyone listens: no pass until the trace is asked for."""
    state = four_heads().state
    counted_heads.clear()
    m = AttentionModel.from_state(state)
    assert counted_heads == []
    assert_same_bits(m.trace, full_pass(m))
    assert counted_heads == [slice(None), slice(None)]  # the model's pass, then full_pass's


def test_one_head_update_is_a_full_pass_whatever_the_arrays_layout() -> None:
    """Fortran-ordered arrays from the API are kept in C order: kept and new heads see one layout."""
    m = AttentionModel(list("abc"), d_model=4, d_k=4, d_v=1, n_heads=4)
    rng = np.random.default_rng(0)
    m.set_param("w_v", np.asfortranarray(rng.normal(size=m.params["w_v"].shape)))
    m.set_param("x_q", np.asfortranarray(rng.normal(size=m.params["x_q"].shape)))
    assert m.params["w_v"].flags.c_contiguous and m.params["x_q"].flags.c_contiguous
    assert m.trace.n_heads == 4
    m.set_value("w_v", (0, 0, 0), 0.5)
    assert_same_bits(m.trace, full_pass(m))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 17), st.data())
def test_pairwise_sums_after_changed_shares_are_a_full_pass(heads: int, data: st.DataObject) -> None:
    """Any heads' shares replaced: the kept sums plus the recomputed ones are the full pass, bit for bit."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    shares = tuple(rng.normal(size=(3, 5)) for _ in range(heads))
    before = trace_module.pairwise_sums(shares)
    changed = data.draw(st.sets(st.integers(0, heads - 1)))
    after_shares = tuple(rng.normal(size=(3, 5)) if h in changed else s for h, s in enumerate(shares))
    after = trace_module.pairwise_sums(after_shares, before, changed)
    full = trace_module.pairwise_sums(after_shares)
    assert [len(level) for level in after] == [len(level) for level in full]
    for level_after, level_full in zip(after, full, strict=True):
        for a, b in zip(level_after, level_full, strict=True):
            assert a.tobytes() == b.tobytes()
    total = after[-1][0] if after else after_shares[0]
    np.testing.assert_allclose(total, np.sum(after_shares, axis=0), rtol=1e-12, atol=1e-12)


def test_pairwise_sums_keep_the_sums_no_changed_share_reaches() -> None:
    """One of 16 heads changed: 4 sums are new (one per level), the other 11 are the very arrays kept."""
    rng = np.random.default_rng(5)
    shares = tuple(rng.normal(size=(2, 2)) for _ in range(16))
    before = trace_module.pairwise_sums(shares)
    after_shares = (*shares[:5], rng.normal(size=(2, 2)), *shares[6:])
    after = trace_module.pairwise_sums(after_shares, before, {5})
    new = [
        (depth, i)
        for depth, level in enumerate(after)
        for i, a in enumerate(level)
        if a is not before[depth][i]
    ]
    assert new == [(0, 2), (1, 1), (2, 0), (3, 0)]
