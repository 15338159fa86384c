"""erf, GELU and LayerNorm against the standard library and a loop."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explainer.real.numerics import erf, gelu, layer_norm, softmax


def test_erf_matches_math_erf_to_double_precision() -> None:
    x = np.concatenate([np.linspace(-10.0, 10.0, 40001), [0.0, -0.0, 1.0, -1.0, 1e-300, 8.0, 40.0, -1e6]])
    expected = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(erf(x), expected, rtol=2e-15, atol=3e-16)


def test_erf_keeps_sign_and_shape() -> None:
    x = np.array([[-3.0, -0.5], [0.5, 3.0]])
    result = erf(x)
    assert result.shape == (2, 2)
    np.testing.assert_array_equal(result, -erf(-x))
    assert erf(np.array([0.0]))[0] == 0.0


def test_gelu_is_the_exact_erf_form_not_the_tanh_approximation() -> None:
    x = np.linspace(-6.0, 6.0, 1201)
    exact = np.array([0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0))) for v in x])
    np.testing.assert_allclose(gelu(x), exact, rtol=1e-14, atol=1e-15)
    tanh_form = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    assert np.abs(gelu(x) - tanh_form).max() > 1e-4  # the test can tell the two apart


@pytest.mark.parametrize("eps", [1e-12, 1e-5])
def test_layer_norm_per_row(eps: float) -> None:
    rng = np.random.default_rng(3)
    x, weight, bias = rng.normal(0, 2, (4, 6)), rng.normal(1, 0.2, 6), rng.normal(0, 0.1, 6)
    for row, got in zip(x, layer_norm(x, weight, bias, eps), strict=True):
        mean = sum(row) / 6
        sd = math.sqrt(sum((v - mean) ** 2 for v in row) / 6 + eps)
        np.testing.assert_allclose(
            got, [(v - mean) / sd * w + b for v, w, b in zip(row, weight, bias, strict=True)], atol=1e-14
        )


def test_softmax_rows_sum_to_one_even_for_huge_scores() -> None:
    result = softmax(np.array([[1000.0, 1001.0, -1000.0], [0.0, 0.0, 0.0]]))
    np.testing.assert_allclose(result.sum(axis=-1), 1.0)
    np.testing.assert_allclose(result[1], 1 / 3)
    assert np.isfinite(result).all()
