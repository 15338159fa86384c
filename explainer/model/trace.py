"""The frozen record of one attention computation: every intermediate tensor."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, eq=False)
class Trace:
    """Every intermediate tensor of one attention forward pass (read-only float64).

    Shapes: ``x_q`` (n_q, d_model), ``x_kv`` (n_k, d_model), ``q`` (n_heads, n_q, d_k),
    ``k`` (n_heads, n_k, d_k), ``v`` (n_heads, n_k, d_v), ``scores``/``scaled``/
    ``masked``/``weights`` (n_heads, n_q, n_k), ``context`` (n_heads, n_q, d_v),
    ``concat`` (n_q, n_heads * d_v), ``output`` (n_q, d_model), ``projected``: per head, an
    (n_q, d_model) array, head h's output times W_O's rows of head h (``output`` is their sum + b_O).
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
    projected: tuple[np.ndarray, ...]

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


def _attend(
    params: Mapping[str, np.ndarray], heads: slice, mask: np.ndarray, scale: bool
) -> dict[str, np.ndarray]:
    """Every per-head tensor of the heads in ``heads``, from projections to each head's share of the output.

    The full pass and a one-head update both go through here, so a head
    recomputed alone is bit for bit what the full pass gives.
    """
    x_q, x_kv = params["x_q"], params["x_kv"]
    q = np.matmul(x_q, params["w_q"][heads]) + params["b_q"][heads, None, :]
    k = np.matmul(x_kv, params["w_k"][heads]) + params["b_k"][heads, None, :]
    v = np.matmul(x_kv, params["w_v"][heads]) + params["b_v"][heads, None, :]
    scores = np.matmul(q, k.transpose(0, 2, 1))
    scaled = scores / math.sqrt(q.shape[2]) if scale else scores
    masked = np.where(mask, -np.inf, scaled) if mask.any() else scaled
    weights = masked_softmax(masked)
    context = np.matmul(weights, v)
    n_heads, d_v = params["w_q"].shape[0], v.shape[2]
    w_o_rows = params["w_o"].reshape(n_heads, d_v, -1)[heads]
    projected = np.matmul(context, w_o_rows)
    return {
        "q": q, "k": k, "v": v, "scores": scores, "scaled": scaled, "masked": masked,
        "weights": weights, "context": context, "projected": projected,
    }  # fmt: skip


def _assemble(
    params: Mapping[str, np.ndarray], per_head: Mapping[str, Any], mask: np.ndarray, previous: Trace
) -> Trace:
    """The trace of ``per_head``'s tensors: head outputs side by side, their shares of the output summed."""
    context = per_head["context"]
    n_heads, n_q, d_v = context.shape
    concat = context.transpose(1, 0, 2).reshape(n_q, n_heads * d_v)
    projected = tuple(_frozen(share) for share in per_head["projected"])
    # Head by head in a fixed order: the same bits whichever heads were recomputed.
    output = projected[0].copy()
    for share in projected[1:]:
        output += share
    output += params["b_o"]
    fields: dict[str, Any] = {name: _frozen(per_head[name]) for name in PER_HEAD}
    fields.update({name: params[name] for name in PARAMETERS}, mask=_frozen(mask), projected=projected)
    return dataclasses.replace(previous, concat=_frozen(concat), output=_frozen(output), **fields)


PARAMETERS = ("x_q", "x_kv", "w_q", "w_k", "w_v", "b_q", "b_k", "b_v", "w_o", "b_o")


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
    n_q, n_k = params["x_q"].shape[0], params["x_kv"].shape[0]
    mask = causal_mask(n_q, n_k) if causal else np.zeros((n_q, n_k), dtype=bool)
    per_head = _attend(params, slice(None), mask, scale)
    arrays = (*PARAMETERS, *PER_HEAD, "mask", "concat", "output")
    empty: dict[str, Any] = {name: np.empty(0) for name in arrays}
    shell = Trace(query_tokens, key_tokens, self_attention, causal, scale, projected=(), **empty)
    return _assemble(params, per_head, mask, shell)


def update_trace(previous: Trace, params: Mapping[str, np.ndarray], heads: Collection[int]) -> Trace:
    """``previous`` after an edit that changed only ``heads`` of ``params`` (or b_O): those heads recomputed.

    ``params`` must have the shapes of ``previous``'s and differ from them only in
    the rows of ``heads`` (W_Q, W_K, W_V and their biases, W_O's rows of the head)
    and in b_O. At the model limits one head is a sixteenth of the work.
    """
    per_head = {name: np.array(getattr(previous, name)) for name in PER_HEAD}
    projected = list(previous.projected)  # 8 MB at the limits: shared head by head, not copied
    for h in heads:
        tensors = _attend(params, slice(h, h + 1), previous.mask, previous.scale)
        projected[h] = tensors.pop("projected")[0]
        for name, array in tensors.items():
            per_head[name][h] = array[0]
    return _assemble(params, {**per_head, "projected": projected}, previous.mask, previous)


PER_HEAD = ("q", "k", "v", "scores", "scaled", "masked", "weights", "context")
