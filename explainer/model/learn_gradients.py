"""The loss of learning (cross-entropy of α to a target) and its exact gradients.

The loss is the cross-entropy between the target rows T (:class:`AttentionTarget`)
and the attention weights α, averaged over the N targeted rows of the learned heads::

    L = −(1/N) Σ_(head, i targeted) Σ_j T_ij log α_ij

The gradients are exact, written out in NumPy. With Z = S / c the scaled, masked
scores (S = Q Kᵀ, c = √d_k, or 1 without the scaling), for a targeted row i
(rows of T sum to 1; a masked cell has α = T = 0, so it gets no gradient)::

    ∂L/∂Z_ij = (α_ij − T_ij) / N        ∂L/∂S = (∂L/∂Z) / c
    ∂L/∂Q = (∂L/∂S) K                   ∂L/∂K = (∂L/∂S)ᵀ Q
    ∂L/∂W_Q = X_qᵀ ∂L/∂Q   ∂L/∂b_Q = Σ_i ∂L/∂Q_i   (and the same for K with X_kv)

∂L/∂b_K is always zero: b_K adds q_i · b_K to every score of row i, and softmax
ignores a shift of a whole row. Import from :mod:`explainer.model.learn`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from .attention import AttentionModel
from .learn_target import AttentionTarget, ModelLike, make_target
from .state import ModelState
from .trace import Trace, causal_mask

__all__ = ["LossAndGradients", "attention_loss", "loss_and_gradients"]

WEIGHTS = ("w_q", "w_k")
WEIGHTS_AND_BIASES = ("w_q", "w_k", "b_q", "b_k")


class LossAndGradients(NamedTuple):
    """The loss and ∂loss/∂p for each learned parameter p (full shape, zero on heads not learned)."""

    loss: float
    gradients: Mapping[str, np.ndarray]


@dataclasses.dataclass(frozen=True, eq=False)
class Problem:
    """What stays fixed during a run: inputs, mask, scaling and the stacked target."""

    x_q: np.ndarray
    x_kv: np.ndarray
    hidden: np.ndarray | None  # True where a key is masked (causal), for the learned heads
    divisor: float
    heads: np.ndarray
    target: np.ndarray  # (learned heads, n_q, n_k)
    row_weight: np.ndarray  # (learned heads, n_q, 1): 1/N on a targeted row, else 0
    names: tuple[str, ...]


def prepare(
    source: ModelLike, target: AttentionTarget, biases: bool
) -> tuple[Problem, dict[str, np.ndarray]]:
    """The fixed problem and writable copies of the parameters that learn."""
    state = source.state if isinstance(source, AttentionModel) else source
    checked = make_target(state, dict(target.rows))  # the target must fit the model as it is now
    values = {name: param_copy(state, name) for name in ("x_q", "x_kv", *WEIGHTS_AND_BIASES)}
    heads = np.array(checked.heads)
    stacked = np.stack([checked.rows[h] for h in checked.heads])
    targeted = stacked.sum(axis=2, keepdims=True) > 0
    n_q, n_k = stacked.shape[1:]
    problem = Problem(
        x_q=values["x_q"],
        x_kv=values["x_kv"],
        hidden=causal_mask(n_q, n_k) if state.causal else None,
        divisor=math.sqrt(values["w_q"].shape[2]) if state.scale else 1.0,
        heads=heads,
        target=stacked,
        row_weight=targeted / np.count_nonzero(targeted),
        names=WEIGHTS_AND_BIASES if biases else WEIGHTS,
    )
    return problem, {name: values[name] for name in WEIGHTS_AND_BIASES}


def evaluate(problem: Problem, params: Mapping[str, np.ndarray]) -> tuple[float, dict[str, np.ndarray], bool]:
    """Loss, gradients of the learned names, and whether every targeted row's argmax is on target."""
    h = problem.heads
    q = problem.x_q @ params["w_q"][h] + params["b_q"][h][:, None, :]
    k = problem.x_kv @ params["w_k"][h] + params["b_k"][h][:, None, :]
    z = q @ k.transpose(0, 2, 1) / problem.divisor
    if problem.hidden is not None:
        z = np.where(problem.hidden, -np.inf, z)
    # A log-softmax (the row max subtracted) keeps log α finite however large the
    # scores grow; causal self-attention always leaves the diagonal visible.
    shifted = z - z.max(axis=2, keepdims=True)
    log_alpha = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    alpha = np.exp(log_alpha)
    t = problem.target
    loss = -float(np.sum(problem.row_weight * t * np.where(t > 0, log_alpha, 0.0)))
    d_scores = (alpha - t) * problem.row_weight / problem.divisor
    d_q = d_scores @ k
    d_k = d_scores.transpose(0, 2, 1) @ q
    parts = {"w_q": problem.x_q.T @ d_q, "w_k": problem.x_kv.T @ d_k, "b_q": d_q.sum(axis=1)}
    # Σ_j ∂L/∂K_j = Σ_i (Σ_j ∂L/∂S_ij) q_i = 0: each row of ∂L/∂S sums to 0. Summed in
    # floating point it would be ±1e-17, which would move b_K by noise; it is exactly 0.
    parts["b_k"] = np.zeros((len(h), d_k.shape[2]))
    gradients = {}
    for name in problem.names:
        full = np.zeros_like(params[name])
        full[h] = parts[name]
        gradients[name] = full
    on_target = np.take_along_axis(t, alpha.argmax(axis=2)[:, :, None], axis=2) > 0
    met = bool(np.all(on_target | (problem.row_weight == 0)))
    return loss, gradients, met


def loss_and_gradients(
    source: ModelLike, target: AttentionTarget, *, biases: bool = False
) -> LossAndGradients:
    """The cross-entropy of α to ``target`` and its exact gradients.

    Parameters
    ----------
    source : AttentionModel, ModelState or Trace
        The model (its current numbers).
    target : AttentionTarget
        What α should be; its heads are the heads that learn.
    biases : bool
        Also return ∂loss/∂b_Q and ∂loss/∂b_K (the latter is always zero).

    Returns
    -------
    LossAndGradients
        ``loss`` and ``gradients["w_q"]``, ``["w_k"]`` (and ``["b_q"]``, ``["b_k"]``),
        each shaped like its parameter, zero on the heads that do not learn.
    """
    problem, params = prepare(source, target, biases)
    loss, gradients, _met = evaluate(problem, params)
    return LossAndGradients(loss, MappingProxyType(gradients))


def attention_loss(source: ModelLike, target: AttentionTarget) -> float:
    """The cross-entropy of ``source``'s α to ``target`` (what the loss curve plots)."""
    return loss_and_gradients(source, target).loss


def param_copy(state: ModelState | Trace, name: str) -> np.ndarray:
    """A writable float64 copy of parameter ``name``."""
    value = getattr(state, name) if isinstance(state, Trace) else state.params[name]
    return np.array(value, dtype=np.float64)
