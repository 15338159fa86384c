"""Every layer's attention weights α of one text, in one pass: the numbers of the model view.

The arithmetic is :func:`explainer.model.trace.compute_trace`'s, step for step and on
parameters frozen the same way, so ``all_attentions(run)[layer]`` is *equal* (not just
close) to ``run.attention_model(layer).trace.weights``: the model view and the
step-by-step view of a layer show the very same α. Only queries and keys are projected;
values, head outputs and W_O are left to the step-by-step view.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..model.state import make_params
from ..model.trace import masked_softmax
from .forward import attention_params

if TYPE_CHECKING:  # types only: runs are made by a checkpoint
    from .run import BertRun

__all__ = ["all_attentions", "layer_attentions"]


def layer_attentions(run: BertRun, layer: int) -> np.ndarray:
    """Layer ``layer``'s attention weights on ``run``'s text, (n_heads, n, n), float64.

    ``α[h, i, j]`` is how much query token i attends to key token j in head h:
    softmax over j of ``q_i · k_j / √d_k``. A single text has no padding, so BERT's
    attention mask hides no key (and the trace, in self-attention without the
    causal mask, hides none either).
    """
    weights = attention_params(run.checkpoint, layer)
    # Frozen as an AttentionModel freezes its state: the same memory layout, the same BLAS results.
    params = make_params(
        {"x_q": run.layer_input(layer), **{name: weights[name] for name in ("w_q", "w_k", "b_q", "b_k")}},
        self_attention=True,
    )
    x = params["x_q"]
    q = np.matmul(x, params["w_q"]) + params["b_q"][:, None, :]
    k = np.matmul(x, params["w_k"]) + params["b_k"][:, None, :]
    scores = np.matmul(q, k.transpose(0, 2, 1))
    return masked_softmax(scores / math.sqrt(q.shape[2]))


def all_attentions(run: BertRun) -> np.ndarray:
    """Every layer's attention weights on ``run``'s text: (n_layers, n_heads, n, n), float64, read-only.

    Each row sums to 1. Layer inputs the run has not computed yet are computed (once:
    the run keeps them), so this costs one forward pass plus the query/key products.

    Parameters
    ----------
    run : BertRun
        A text run through a checkpoint (:meth:`BertCheckpoint.run`).

    Returns
    -------
    numpy.ndarray
        ``result[layer]`` equals ``run.attention_model(layer).trace.weights``.
    """
    n_layers = run.checkpoint.n_layers
    n = len(run.tokens)
    n_heads = run.checkpoint.config.num_attention_heads
    result = np.empty((n_layers, n_heads, n, n))
    for layer in range(n_layers):
        result[layer] = layer_attentions(run, layer)
    result.flags.writeable = False
    return result
