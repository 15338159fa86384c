"""Float64 building blocks of BERT: erf, GELU, LayerNorm, softmax (NumPy has no erf of its own)."""

from __future__ import annotations

import numpy as np

# Cephes' rational approximations of erf (|x| < 1) and erfc (1 <= |x| < 8), double precision:
# tests/real check them against math.erf to 1e-15. Highest power first.
_ERF_P = np.array([
    9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3,
    7.00332514112805075473e3, 5.55923013010394962768e4,
])  # fmt: skip
_ERF_Q = np.array([
    1.0, 3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3,
    2.26290000613890934246e4, 4.92673942608635921086e4,
])  # fmt: skip
_ERFC_P = np.array([
    2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0,
    4.86371970985681366614e1, 1.96520832956077098242e2, 5.26445194995477358631e2,
    9.34528527171957607540e2, 1.02755188689515710272e3, 5.57535335369399327526e2,
])  # fmt: skip
_ERFC_Q = np.array([
    1.0, 1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2,
    9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3,
    1.65666309194161350182e3, 5.57535340817727675546e2,
])  # fmt: skip


def _polynomial(coefficients: np.ndarray, x: np.ndarray) -> np.ndarray:
    result = np.full_like(x, coefficients[0])
    for c in coefficients[1:].tolist():
        result *= x
        result += c
    return result


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, elementwise, to double precision (|x| >= 8 gives ±1 exactly)."""
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    near = np.minimum(a, 1.0)
    near_sq = near * near
    inner = near * _polynomial(_ERF_P, near_sq) / _polynomial(_ERF_Q, near_sq)
    far = np.clip(a, 1.0, 8.0)
    outer = 1.0 - np.exp(-far * far) * _polynomial(_ERFC_P, far) / _polynomial(_ERFC_Q, far)
    return np.asarray(np.copysign(np.where(a < 1.0, inner, outer), x))


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's ``hidden_act: gelu``: x·Φ(x) with the exact erf, not the tanh approximation."""
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """Normalize each row to mean 0, variance 1 (biased variance, as PyTorch), then scale and shift."""
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    return np.asarray(centred / np.sqrt(variance + eps) * weight + bias)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, the row max subtracted first."""
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return np.asarray(exps / exps.sum(axis=-1, keepdims=True))
