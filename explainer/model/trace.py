"""The frozen record of one attention computation: every intermediate tensor."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Trace:
    """Every intermediate tensor of one attention forward pass (read-only float64).

    Shapes: ``x_q`` (n_q, d_model), ``x_kv`` (n_k, d_model), ``q`` (n_heads, n_q, d_k),
    ``k`` (n_heads, n_k, d_k), ``v`` (n_heads, n_k, d_v), ``scores``/``scaled``/
    ``masked``/``weights`` (n_heads, n_q, n_k), ``context`` (n_heads, n_q, d_v),
    ``concat`` (n_q, n_heads * d_v), ``output`` (n_q, d_model).
    ``mask`` is True where a key is hidden from a query.

    ``context[h]`` is head h's *head output* (its α-weighted sum of the values);
    ``output`` is the *output*: the head outputs side by side (``concat``) · W_O + b_O.
    With one head and W_O = I, b_O = 0 the two are the same (:attr:`projects_output`).
    """

    query_tokens: tuple[str, ...]
    key_tokens: tuple[str, ...]
    self_attention: bool
    causal: bool
    scale: bool
    x_q: np.ndarray
    x_kv: np.ndarray
    w_q: np.ndarray
    w_k: np.ndarray
    w_v: np.ndarray
    b_q: np.ndarray
    b_k: np.ndarray
    b_v: np.ndarray
    w_o: np.ndarray
    b_o: np.ndarray
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    scores: np.ndarray
    scaled: np.ndarray
    mask: np.ndarray
    masked: np.ndarray
    weights: np.ndarray
    context: np.ndarray
    concat: np.ndarray
    output: np.ndarray

    @property
    def projects_output(self) -> bool:
        """Whether the output differs from the head output: several heads, or W_O ≠ I, or b_O ≠ 0."""
        if self.n_heads > 1 or np.any(self.b_o != 0):
            return True
        return self.w_o.shape[0] != self.w_o.shape[1] or not np.array_equal(self.w_o, np.eye(len(self.w_o)))

    @property
    def n_heads(self) -> int:
        return int(self.q.shape[0])

    @property
    def d_model(self) -> int:
        return int(self.x_q.shape[1])

    @property
    def d_k(self) -> int:
        return int(self.q.shape[2])

    @property
    def d_v(self) -> int:
        return int(self.v.shape[2])

    @property
    def scale_factor(self) -> float:
        """What the scores are divided by: √d_k, or 1 when scaling is off."""
        return math.sqrt(self.d_k) if self.scale else 1.0

    @property
    def mode(self) -> str:
        """``"causal"``, ``"self"`` or ``"cross"``."""
        if self.causal:
            return "causal"
        return "self" if self.self_attention else "cross"


def causal_mask(n_q: int, n_k: int) -> np.ndarray:
    """True above the diagonal: query i may not see keys j > i."""
    return np.triu(np.ones((n_q, n_k), dtype=bool), k=1)


def masked_softmax(masked: np.ndarray) -> np.ndarray:
    """Softmax over the last axis; -inf entries get 0, a fully masked row is all 0.

    Subtracting the row max keeps exp() finite for scores of any size.
    """
    finite = np.isfinite(masked)
    row_max = np.max(np.where(finite, masked, -np.inf), axis=-1, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    exps = np.where(finite, np.exp(np.where(finite, masked, row_max) - row_max), 0.0)
    sums = exps.sum(axis=-1, keepdims=True)
    return np.asarray(np.divide(exps, sums, out=np.zeros_like(exps), where=sums > 0))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def compute_trace(
    params: Mapping[str, np.ndarray],
    query_tokens: tuple[str, ...],
    key_tokens: tuple[str, ...],
    *,
    self_attention: bool,
    causal: bool,
    scale: bool,
) -> Trace:
    """Run attention on ``params`` and keep every intermediate tensor."""
    x_q, x_kv = params["x_q"], params["x_kv"]
    q = _frozen(np.matmul(x_q, params["w_q"]) + params["b_q"][:, None, :])
    k = _frozen(np.matmul(x_kv, params["w_k"]) + params["b_k"][:, None, :])
    v = _frozen(np.matmul(x_kv, params["w_v"]) + params["b_v"][:, None, :])
    scores = _frozen(np.matmul(q, k.transpose(0, 2, 1)))
    d_k = q.shape[2]
    scaled = _frozen(scores / math.sqrt(d_k)) if scale else scores
    if causal:
        mask = causal_mask(x_q.shape[0], x_kv.shape[0])
    else:
        mask = np.zeros((x_q.shape[0], x_kv.shape[0]), dtype=bool)
    masked = _frozen(np.where(mask, -np.inf, scaled)) if causal else scaled
    weights = _frozen(masked_softmax(masked))
    context = _frozen(np.matmul(weights, v))
    n_heads, n_q, d_v = context.shape
    concat = _frozen(context.transpose(1, 0, 2).reshape(n_q, n_heads * d_v))
    output = _frozen(concat @ params["w_o"] + params["b_o"])
    return Trace(
        query_tokens=query_tokens,
        key_tokens=key_tokens,
        self_attention=self_attention,
        causal=causal,
        scale=scale,
        mask=_frozen(mask),
        q=q,
        k=k,
        v=v,
        scores=scores,
        scaled=scaled,
        masked=masked,
        weights=weights,
        context=context,
        concat=concat,
        output=output,
        **{name: params[name] for name in ("x_q", "x_kv", "w_q", "w_k", "w_v")},
        **{name: params[name] for name in ("b_q", "b_k", "b_v", "w_o", "b_o")},
    )
