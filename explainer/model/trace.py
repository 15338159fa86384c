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
    ``mask`` is True where a key is hidden from a query. ``share_sums``: the shares added
    pairwise, level by level, up to their total (see :func:`pairwise_sums`).

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
    share_sums: tuple[tuple[np.ndarray, ...], ...]

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
    params: Mapping[str, np.ndarray],
    heads: slice,
    mask: np.ndarray,
    scale: bool,
    known: Mapping[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Every per-head tensor of the heads in ``heads``, from projections to each head's share of the output.

    ``known``: those of them an edit left as they were (taken, not computed).
    The full pass and a one-head update both go through here, so a head
    recomputed alone is bit for bit what the full pass gives.
    """
    t = dict(known or {})
    x_q, x_kv = params["x_q"], params["x_kv"]
    if "q" not in t:
        t["q"] = np.matmul(x_q, params["w_q"][heads]) + params["b_q"][heads, None, :]
    if "k" not in t:
        t["k"] = np.matmul(x_kv, params["w_k"][heads]) + params["b_k"][heads, None, :]
    if "v" not in t:
        t["v"] = np.matmul(x_kv, params["w_v"][heads]) + params["b_v"][heads, None, :]
    if "weights" not in t:
        t["scores"] = np.matmul(t["q"], t["k"].transpose(0, 2, 1))
        t["scaled"] = t["scores"] / math.sqrt(t["q"].shape[2]) if scale else t["scores"]
        t["masked"] = np.where(mask, -np.inf, t["scaled"]) if mask.any() else t["scaled"]
        t["weights"] = masked_softmax(t["masked"])
    if "context" not in t:
        t["context"] = np.matmul(t["weights"], t["v"])
    if "projected" not in t:
        n_heads, d_v = params["w_q"].shape[0], t["v"].shape[2]
        t["projected"] = np.matmul(t["context"], params["w_o"].reshape(n_heads, d_v, -1)[heads])
    return t


# What an edit of each input of a head makes stale: a W_Q edit leaves K and V as they were.
STALE = {
    "q": {"q", "scores", "scaled", "masked", "weights", "context", "projected"},
    "k": {"k", "scores", "scaled", "masked", "weights", "context", "projected"},
    "v": {"v", "context", "projected"},
    "o": {"projected"},
}


def pairwise_sums(
    shares: tuple[np.ndarray, ...],
    previous: tuple[tuple[np.ndarray, ...], ...] = (),
    changed: Collection[int] | None = None,
) -> tuple[tuple[np.ndarray, ...], ...]:
    """``shares`` added in pairs, level by level: ((s0+s1, s2+s3, …), …, (total,)); () for one share.

    A fixed order, so the total has the same bits however many heads were
    recomputed. ``previous``: the levels before an edit that changed only the
    shares in ``changed`` (None: all); their sums are kept, so one head's edit
    adds log2(heads) pairs instead of all 16 shares (0.4 ms at the limits).
    """
    levels: list[tuple[np.ndarray, ...]] = []
    below, dirty = shares, set(range(len(shares)) if changed is None else changed)
    while len(below) > 1:
        kept = previous[len(levels)] if len(levels) < len(previous) else None
        above: list[np.ndarray] = []
        for i in range(0, len(below), 2):
            if i + 1 == len(below):
                above.append(below[i])  # the odd one out goes up as it is
            elif kept is not None and not {i, i + 1} & dirty:
                above.append(kept[i // 2])
            else:
                above.append(_frozen(below[i] + below[i + 1]))
        levels.append(tuple(above))
        below, dirty = levels[-1], {i // 2 for i in dirty}
    return tuple(levels)


def _assemble(
    params: Mapping[str, np.ndarray],
    per_head: Mapping[str, Any],
    mask: np.ndarray,
    previous: Trace,
    changed: Collection[int] | None = None,
) -> Trace:
    """The trace of ``per_head``'s tensors: head outputs side by side, their shares of the output summed.

    ``changed``: the heads whose shares differ from ``previous``'s (None: a full pass).
    """
    context = per_head["context"]
    n_heads, n_q, d_v = context.shape
    concat = context.transpose(1, 0, 2).reshape(n_q, n_heads * d_v)
    projected = tuple(_frozen(share) for share in per_head["projected"])
    sums = pairwise_sums(projected, previous.share_sums if changed is not None else (), changed)
    output = (sums[-1][0] if sums else projected[0]) + params["b_o"]
    fields: dict[str, Any] = {name: _frozen(per_head[name]) for name in PER_HEAD}
    fields.update({name: params[name] for name in PARAMETERS}, mask=_frozen(mask), projected=projected)
    return dataclasses.replace(
        previous, concat=_frozen(concat), output=_frozen(output), share_sums=sums, **fields
    )


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
    shell = Trace(
        query_tokens, key_tokens, self_attention, causal, scale, projected=(), share_sums=(), **empty
    )
    return _assemble(params, per_head, mask, shell)


def update_trace(
    previous: Trace, params: Mapping[str, np.ndarray], edited: Mapping[int, Collection[str]]
) -> Trace:
    """``previous`` after an edit of some heads' inputs (or of b_O): only what those inputs feed, recomputed.

    ``edited`` maps a head to the inputs of it that changed: "q", "k", "v" (W and b
    of that projection) or "o" (W_O's rows of the head). ``params`` must have the
    shapes of ``previous``'s and differ only there (and in b_O). Tensors no edit
    reaches keep their arrays: the views see the same array and draw nothing anew.
    """
    stale = {h: set().union(*(STALE[part] for part in parts)) for h, parts in edited.items()}
    touched = set().union(*stale.values()) - {"projected"}
    per_head = {
        name: np.array(getattr(previous, name)) if name in touched else getattr(previous, name)
        for name in PER_HEAD
    }
    projected = list(previous.projected)  # 8 MB at the limits: shared head by head, not copied
    for h, names in stale.items():
        known = {name: getattr(previous, name)[h : h + 1] for name in PER_HEAD if name not in names}
        if "projected" not in names:
            known["projected"] = previous.projected[h][None]
        tensors = _attend(params, slice(h, h + 1), previous.mask, previous.scale, known)
        projected[h] = tensors["projected"][0]
        for name in names - {"projected"}:
            per_head[name][h] = tensors[name][0]
    return _assemble(params, {**per_head, "projected": projected}, previous.mask, previous, set(stale))


PER_HEAD = ("q", "k", "v", "scores", "scaled", "masked", "weights", "context")
