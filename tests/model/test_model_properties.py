"""Property tests: random shapes, modes and weights against a plain float64 reference."""

from __future__ import annotations

from dataclasses import dataclass

import hypothesis.extra.numpy as hnp
import numpy as np
from attention_reference import assert_close, reference_attention
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.model import AttentionModel

ELEMENTS = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False, width=64)


@dataclass
class Case:
    model: AttentionModel
    params: dict[str, np.ndarray]


@st.composite
def cases(draw: st.DrawFn, modes: tuple[str, ...] = ("self", "cross", "causal")) -> Case:
    mode = draw(st.sampled_from(modes))
    n_q = draw(st.integers(1, 8))
    n_k = n_q if mode != "cross" else draw(st.integers(1, 8))
    d_model, d_k, d_v = draw(st.integers(1, 8)), draw(st.integers(1, 6)), draw(st.integers(1, 6))
    n_heads = draw(st.integers(1, 3))
    queries = [f"q{i}" for i in range(n_q)]
    keys = None if mode != "cross" else [f"k{j}" for j in range(n_k)]
    model = AttentionModel(
        queries,
        keys,
        d_model=d_model,
        d_k=d_k,
        d_v=d_v,
        n_heads=n_heads,
        causal=mode == "causal",
        scale=draw(st.booleans()),
    )
    shapes = {name: array.shape for name, array in model.params.items()}
    if mode != "cross":
        del shapes["x_kv"]
    params = {}
    for name, shape in shapes.items():
        params[name] = draw(hnp.arrays(np.float64, shape, elements=ELEMENTS))
        model.set_param(name, params[name])
    params["x_kv"] = params.get("x_kv", params["x_q"])
    return Case(model, params)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_trace_matches_the_plain_reference(case: Case) -> None:
    m = case.model
    trace = m.trace
    expected = reference_attention(case.params, causal=m.causal, scale=m.scale)
    assert np.array_equal(trace.x_q, case.params["x_q"])
    assert np.array_equal(trace.x_kv, case.params["x_kv"])
    for name, array in expected.items():
        actual = getattr(trace, name)
        assert actual.shape == array.shape, name
        assert actual.dtype == np.float64, name
        assert_close(actual, array, name)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_weights_are_a_distribution_over_visible_keys(case: Case) -> None:
    weights = case.model.trace.weights
    n_q, n_k = weights.shape[1:]
    assert np.all(weights >= 0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    if case.model.causal:
        above = np.triu(np.ones((n_q, n_k), dtype=bool), k=1)
        assert np.all(weights[:, above] == 0.0)
        assert np.all(case.model.trace.masked[:, above] == -np.inf)
        assert np.all(weights[:, 0, 0] == 1.0)


@settings(max_examples=100, deadline=None)
@given(cases(modes=("cross",)), st.randoms(use_true_random=False))
def test_permuting_keys_permutes_weight_columns_and_keeps_the_output(case: Case, rng) -> None:
    m = case.model
    before = m.trace
    perm = list(range(len(m.key_tokens)))
    rng.shuffle(perm)
    m.set_tokens(m.query_tokens, [m.key_tokens[j] for j in perm])
    after = m.trace
    # Each key token carried its embedding row along with it.
    assert np.array_equal(after.x_kv, before.x_kv[perm])
    assert_close(after.weights, before.weights[:, :, perm], "weights")
    assert_close(after.output, before.output, "output")


@settings(max_examples=100, deadline=None)
@given(cases(modes=("self",)), st.randoms(use_true_random=False))
def test_self_attention_is_permutation_equivariant(case: Case, rng) -> None:
    m = case.model
    before = m.trace
    perm = list(range(len(m.query_tokens)))
    rng.shuffle(perm)
    m.set_tokens([m.query_tokens[i] for i in perm])
    after = m.trace
    assert np.array_equal(after.x_q, before.x_q[perm])
    assert_close(after.weights, before.weights[:, perm][:, :, perm], "weights")
    assert_close(after.output, before.output[perm], "output")


@settings(max_examples=100, deadline=None)
@given(cases())
def test_switching_scaling_off_sharpens_every_row(case: Case) -> None:
    # Dividing by √d_k is a softmax temperature ≥ 1: without it the top weight can only grow.
    m = case.model
    m.set_options(scale=True)
    scaled = m.trace
    m.set_options(scale=False)
    unscaled = m.trace
    assert np.array_equal(unscaled.scaled, unscaled.scores)
    assert_close(scaled.scaled, scaled.scores / np.sqrt(m.d_k), "scaled")
    assert np.all(unscaled.weights.max(axis=-1) >= scaled.weights.max(axis=-1) - 1e-12)
