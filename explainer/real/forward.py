"""BERT's forward pass in float64 NumPy: embeddings, then encoder layers one at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .numerics import gelu, layer_norm, softmax
from .tokens import Encoded

if TYPE_CHECKING:  # types only: a checkpoint makes runs, runs never make checkpoints
    from .checkpoint import BertCheckpoint


def embed(checkpoint: BertCheckpoint, encoded: Encoded) -> np.ndarray:
    """Word + position + token-type embeddings, then LayerNorm: the input of layer 0, (n, hidden)."""
    f = checkpoint.float64
    n = len(encoded.ids)
    words = np.asarray(checkpoint.weights["embeddings.word_embeddings.weight"][encoded.ids], dtype=np.float64)
    x = words + f("embeddings.position_embeddings.weight")[:n]
    x = x + f("embeddings.token_type_embeddings.weight")[encoded.type_ids]
    eps = checkpoint.config.layer_norm_eps
    return layer_norm(x, f("embeddings.LayerNorm.weight"), f("embeddings.LayerNorm.bias"), eps)


def attention_params(checkpoint: BertCheckpoint, layer: int) -> dict[str, np.ndarray]:
    """Layer ``layer``'s self-attention weights in the explainer's row-vector, per-head layout.

    PyTorch's Linear computes ``x @ weight.T + bias`` with ``weight`` (out, in); head h owns
    output columns ``h*d_k … (h+1)*d_k - 1``. So ``w_q[h] = weight.T[:, h*d_k:(h+1)*d_k]``,
    ``b_q[h]`` the same slice of the bias, and ``w_o = dense.weight.T`` (heads concatenated in order).
    """
    f = checkpoint.float64
    n_heads, d_k = checkpoint.config.num_attention_heads, checkpoint.config.head_size
    hidden = checkpoint.config.hidden_size
    prefix = f"encoder.layer.{layer}.attention."
    params: dict[str, np.ndarray] = {}
    for short, name in (("q", "query"), ("k", "key"), ("v", "value")):
        weight = f(f"{prefix}self.{name}.weight")
        params[f"w_{short}"] = weight.T.reshape(hidden, n_heads, d_k).transpose(1, 0, 2)
        params[f"b_{short}"] = f(f"{prefix}self.{name}.bias").reshape(n_heads, d_k)
    params["w_o"] = f(f"{prefix}output.dense.weight").T
    params["b_o"] = f(f"{prefix}output.dense.bias")
    return params


def self_attention(params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """All heads of scaled dot-product self-attention, concatenated, through the output dense."""
    q = np.matmul(x, params["w_q"]) + params["b_q"][:, None, :]
    k = np.matmul(x, params["w_k"]) + params["b_k"][:, None, :]
    v = np.matmul(x, params["w_v"]) + params["b_v"][:, None, :]
    weights = softmax(np.matmul(q, k.transpose(0, 2, 1)) / np.sqrt(q.shape[2]))
    context = np.matmul(weights, v)
    n_heads, n, d_v = context.shape
    return np.asarray(context.transpose(1, 0, 2).reshape(n, n_heads * d_v) @ params["w_o"] + params["b_o"])


def encoder_layer(checkpoint: BertCheckpoint, layer: int, x: np.ndarray) -> np.ndarray:
    """One full layer: attention, residual + LayerNorm, GELU feed-forward, residual + LayerNorm."""
    f = checkpoint.float64
    eps = checkpoint.config.layer_norm_eps
    p = f"encoder.layer.{layer}."
    attended = x + self_attention(attention_params(checkpoint, layer), x)
    attended = layer_norm(
        attended, f(f"{p}attention.output.LayerNorm.weight"), f(f"{p}attention.output.LayerNorm.bias"), eps
    )
    inner = gelu(attended @ f(f"{p}intermediate.dense.weight").T + f(f"{p}intermediate.dense.bias"))
    out = attended + inner @ f(f"{p}output.dense.weight").T + f(f"{p}output.dense.bias")
    return layer_norm(out, f(f"{p}output.LayerNorm.weight"), f(f"{p}output.LayerNorm.bias"), eps)
