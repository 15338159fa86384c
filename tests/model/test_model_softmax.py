"""Numerics: the softmax is stable, masked keys get exactly 0, a fully masked row is all 0."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.model import AttentionModel, masked_softmax

NEG_INF = -np.inf


def test_huge_scores_give_finite_weights_summing_to_one() -> None:
    scores = np.array([[1e6, -1e6, 0.0], [-1e6, -1e6 + 1.0, -1e6], [1e6, 1e6, 1e6]])
    weights = masked_softmax(scores)
    assert np.all(np.isfinite(weights))
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(weights[0], [1.0, 0.0, 0.0])
    e = np.exp(1.0)
    np.testing.assert_allclose(weights[1], [1 / (e + 2), e / (e + 2), 1 / (e + 2)], rtol=1e-12)
    np.testing.assert_allclose(weights[2], [1 / 3] * 3, rtol=1e-12)


def test_small_scores_match_the_textbook_formula() -> None:
    scores = np.array([[0.5, -1.25, 2.0, 0.0]])
    expected = np.exp(scores) / np.exp(scores).sum()
    np.testing.assert_allclose(masked_softmax(scores), expected, rtol=1e-14)


def test_a_fully_masked_row_is_all_zero_never_nan() -> None:
    weights = masked_softmax(np.array([[NEG_INF, NEG_INF, NEG_INF], [0.0, 1.0, NEG_INF]]))
    np.testing.assert_array_equal(weights[0], [0.0, 0.0, 0.0])
    assert not np.any(np.isnan(weights))
    np.testing.assert_allclose(weights[1], [1 / (1 + np.e), np.e / (1 + np.e), 0.0], rtol=1e-14)


def test_masked_keys_get_exactly_zero_even_when_the_visible_scores_are_very_negative() -> None:
    # exp(0 - row_max) must not be evaluated for masked cells: with row_max = -1000 it overflows.
    weights = masked_softmax(np.array([[-1000.0, NEG_INF], [-972.0, -975.0]]))
    np.testing.assert_array_equal(weights[0], [1.0, 0.0])
    np.testing.assert_allclose(weights[1].sum(), 1.0, rtol=0, atol=1e-15)


def test_softmax_works_on_every_head_at_once() -> None:
    masked = np.zeros((2, 3, 3))
    masked[0] = np.triu(np.full((3, 3), NEG_INF), k=1)
    masked[1, 1] = NEG_INF
    weights = masked_softmax(masked)
    np.testing.assert_allclose(weights[0], [[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-15)
    np.testing.assert_array_equal(weights[1, 1], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(weights[1, [0, 2]], 1 / 3, rtol=1e-15)


@pytest.mark.parametrize("causal", [False, True])
def test_extreme_weights_in_the_model_still_give_a_distribution(causal: bool) -> None:
    m = AttentionModel(["a", "b", "c"], causal=causal, d_model=2, d_k=2)
    m.set_param("x_q", [[1e6, -1e6], [-1e6, 1e6], [1e6, 1e6]])
    m.set_param("w_q", [[[1e6, 0.0], [0.0, 1e6]]])
    m.set_param("w_k", [[[1e6, 0.0], [0.0, -1e6]]])
    trace = m.trace
    assert np.max(np.abs(trace.scores)) > 1e20
    assert np.all(np.isfinite(trace.weights))
    assert np.all(np.isfinite(trace.output))
    np.testing.assert_allclose(trace.weights.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    assert set(np.unique(trace.weights)) <= {0.0, 1.0}


def test_scaling_divides_the_scores_by_the_square_root_of_d_k() -> None:
    m = AttentionModel(["a", "b"], ["c", "d", "e"], d_k=4)
    np.testing.assert_allclose(m.trace.scaled, m.trace.scores / 2.0, rtol=1e-15)
    assert m.trace.scale_factor == 2.0
    m.set_options(scale=False)
    np.testing.assert_array_equal(m.trace.scaled, m.trace.scores)
    assert m.trace.scale_factor == 1.0


def test_causal_mask_hides_later_keys_in_masked_and_mask() -> None:
    m = AttentionModel(["a", "b", "c"], causal=True)
    above = np.triu(np.ones((3, 3), dtype=bool), k=1)
    np.testing.assert_array_equal(m.trace.mask, above)
    assert np.all(m.trace.masked[:, above] == NEG_INF)
    np.testing.assert_array_equal(m.trace.masked[:, ~above], m.trace.scaled[:, ~above])
    m.set_options(causal=False)
    assert not m.trace.mask.any()
    assert np.all(np.isfinite(m.trace.masked))
