"""An immutable snapshot of everything the model holds: tokens, options, parameters."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from . import limits


def frozen_copy(array: np.ndarray) -> np.ndarray:
    """A read-only float64 copy, safe to share between snapshots and traces."""
    result = np.array(array, dtype=np.float64, copy=True)
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
            self.params[name] is other.params[name]
            or (
                self.params[name].shape == other.params[name].shape
                and np.array_equal(self.params[name], other.params[name])
            )
            for name in self.params
        )


def make_params(values: Mapping[str, np.ndarray], self_attention: bool) -> Mapping[str, np.ndarray]:
    """Freeze a parameter dict; in self-attention x_kv becomes x_q itself."""
    params = {name: frozen_copy(array) for name, array in values.items()}
    if self_attention:
        params["x_kv"] = params["x_q"]
    return MappingProxyType(params)


def token_embedding(token: str, d_model: int, seed: int) -> np.ndarray:
    """A deterministic embedding for a token the model has not seen: same word, same row."""
    rng = np.random.default_rng([zlib.crc32(token.encode("utf-8")), seed])
    return np.round(rng.normal(0.0, 1.0, d_model), 2)


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


def checked_state(state: ModelState) -> ModelState:
    """``state`` validated as any edit is (tokens, options, shapes, values, seed) and frozen.

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
        make_params(state.params, keys is None),
        limits.check_seed(state.seed),
    )
