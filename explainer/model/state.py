"""An immutable snapshot of everything the model holds: tokens, options, parameters."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from . import limits
from .vocabulary import vocabulary, word_key


def frozen_copy(array: np.ndarray) -> np.ndarray:
    """A read-only float64 copy, safe to share between snapshots and traces."""
    # C order always: a head kept by a one-head update and one computed anew must see the same layout.
    result = np.array(array, dtype=np.float64, copy=True, order="C")
    result.flags.writeable = False
    return result


@dataclass(frozen=True, eq=False)
class ModelState:
    """Tokens, options, read-only parameters and the seed; ``key_tokens`` is None for self-attention.

    In self-attention ``params["x_kv"]`` is the very same array as ``params["x_q"]``.
    ``seed`` draws the weights of new sizes and the embeddings of new tokens; it
    is part of the snapshot so that undo and sessions bring it back too.
    """

    query_tokens: tuple[str, ...]
    key_tokens: tuple[str, ...] | None
    causal: bool
    scale: bool
    params: Mapping[str, np.ndarray] = field(repr=False)
    seed: int = 0

    @property
    def self_attention(self) -> bool:
        return self.key_tokens is None

    def same_as(self, other: ModelState) -> bool:
        """True when both snapshots hold the same tokens, options, numbers and seed."""
        if (self.query_tokens, self.key_tokens, self.causal, self.scale, self.seed) != (
            other.query_tokens,
            other.key_tokens,
            other.causal,
            other.scale,
            other.seed,
        ):
            return False
        return all(
            self.params[name] is other.params[name] or same_numbers(self.params[name], other.params[name])
            for name in self.params
        )


def same_numbers(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal shape and values; a sample of cells first, so an edited 8 MB W_Q differs at once."""
    if a.shape != b.shape:
        return False
    if a.size >= 4096:
        step = a.size // 64
        if not np.array_equal(a.reshape(-1)[::step], b.reshape(-1)[::step]):
            return False
    return bool(np.array_equal(a, b))


class CellEdit(NamedTuple):
    """One cell set by ``set_value``: the parameter, the cell, and the array the new one replaced."""

    name: str
    cell: tuple[int, ...]
    replaced: np.ndarray


def make_params(
    values: Mapping[str, np.ndarray],
    self_attention: bool,
    unchanged: Mapping[str, np.ndarray] | None = None,
) -> Mapping[str, np.ndarray]:
    """Freeze a parameter dict; in self-attention x_kv becomes x_q itself.

    An array that *is* one of ``unchanged`` (the current snapshot's own frozen
    arrays) is shared, not copied: editing one cell of a 1024-wide model must
    not copy the other nine parameters (34 MB at the model limits).
    """
    kept = unchanged or {}
    params = {
        name: array if kept.get(name) is array else frozen_copy(array) for name, array in values.items()
    }
    if self_attention:
        params["x_kv"] = params["x_q"]
    return MappingProxyType(params)


# A new token's row is ROW_RMS·√d_model long (each number about ±0.5). At d_model 4 that
# is 1, the length of the presets' designed rows, so a sentence typed into a preset keeps
# the preset's score range (measured: |q·k/√d_k| ≤ 2.9, the largest α 0.66). With
# random_weights (σ² = 1/d_model) a scaled score then has a standard deviation of
# ROW_RMS² = 1/4 at every size (measured |score| ≤ 1.6 at d_model 4, 8, 64), so softmax
# never saturates; with the 1/√d_k scaling off the scores grow by √d_k and the rows
# sharpen as d_k grows, as on the presets. A larger ROW_RMS sharpens the default
# weights' rows but saturates sentences typed into the presets (hash rows of length
# √d_model gave scores up to 18 there, α rows of 1.00/0.00).
ROW_RMS = 0.5


def token_embedding(token: str, d_model: int, seed: int) -> np.ndarray:
    """The row a new token gets: the same word, the same row, in every run and process.

    A word in the shipped table (:mod:`explainer.model.vocabulary`, looked up
    case-insensitively without outer punctuation) takes its first
    ``min(d_model, 16)`` principal components of all-MiniLM-L6-v2's token
    embeddings, so similar words get similar rows. Other words, and components
    beyond the table's 16, are seeded noise from a CRC-32 of the word (never
    Python's salted ``hash``) with the table's spread per component; past 16 the
    noise together carries at most as much as the table's part. The row is then
    scaled to length ``ROW_RMS·√d_model`` and rounded to 2 decimals, as shown.
    """
    table = vocabulary()
    key = word_key(token)
    known = table.vector(key)
    k = table.n_components
    head = min(d_model, k)
    spread = np.empty(d_model)
    spread[:head] = table.spread[:head]
    if d_model > k:
        rms = float(np.sqrt(np.mean(table.spread**2)))
        spread[k:] = rms * min(1.0, np.sqrt(k / (d_model - k)))
    rng = np.random.default_rng([zlib.crc32(key.encode("utf-8")), seed])
    row = rng.normal(0.0, 1.0, d_model) * spread
    if known is not None and np.any(known[:head]):
        row[:head] = known[:head]
    scaled: np.ndarray = np.round(row * (ROW_RMS * np.sqrt(d_model) / np.linalg.norm(row)), 2)
    return scaled


def random_weights(d_model: int, d_k: int, d_v: int, n_heads: int, seed: int) -> dict[str, np.ndarray]:
    """Projection weights scaled by 1/√d_model and rounded so the numbers read well."""
    rng = np.random.default_rng(seed)
    spread = 1.0 / np.sqrt(d_model)

    def draw(*shape: int, sigma: float = spread) -> np.ndarray:
        return np.round(rng.normal(0.0, sigma, shape), 2)

    return {
        "w_q": draw(n_heads, d_model, d_k),
        "w_k": draw(n_heads, d_model, d_k),
        "w_v": draw(n_heads, d_model, d_v),
        "b_q": np.zeros((n_heads, d_k)),
        "b_k": np.zeros((n_heads, d_k)),
        "b_v": np.zeros((n_heads, d_v)),
        "w_o": draw(n_heads * d_v, d_model, sigma=1.0 / np.sqrt(n_heads * d_v)),
        "b_o": np.zeros(d_model),
    }


def checked_state(state: ModelState, unchanged: Mapping[str, np.ndarray] | None = None) -> ModelState:
    """``state`` validated as any edit is (tokens, options, shapes, values, seed) and frozen.

    Arrays that *are* ones of ``unchanged`` (the model's own frozen arrays) are shared, not copied.

    Raises ValueError naming the parameter, index or shape expected and what was given.
    """
    queries = limits.check_tokens(state.query_tokens, "query_tokens")
    keys = None if state.key_tokens is None else limits.check_tokens(state.key_tokens, "key_tokens")
    limits.check_causal(state.causal, keys)
    limits.check_params(state.params, len(queries), len(keys) if keys is not None else None)
    return ModelState(
        queries,
        keys,
        bool(state.causal),
        bool(state.scale),
        make_params(state.params, keys is None, unchanged),
        limits.check_seed(state.seed),
    )
