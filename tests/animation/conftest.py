"""Shared fixtures for the animation tests: traces of the shipped presets and of small models."""

from __future__ import annotations

import pytest

from explainer.model import AttentionModel, Trace

PRESETS = AttentionModel.preset_names()


def small_trace(
    n_q: int = 3,
    n_k: int | None = None,
    *,
    n_heads: int = 1,
    causal: bool = False,
    scale: bool = True,
    d_model: int = 4,
    d_k: int = 2,
    seed: int = 0,
) -> Trace:
    """A trace of a small random model; ``n_k=None`` means self-attention."""
    queries = [f"t{i}" for i in range(n_q)]
    keys = None if n_k is None else [f"k{j}" for j in range(n_k)]
    model = AttentionModel(
        queries, keys, d_model=d_model, d_k=d_k, n_heads=n_heads, causal=causal, scale=scale, seed=seed
    )
    return model.trace


@pytest.fixture(scope="session")
def translate() -> Trace:
    """seed-translate: cross-attention, one head, scaled, no mask."""
    return AttentionModel.from_preset("seed-translate").trace


@pytest.fixture(scope="session")
def causal() -> Trace:
    """seed-causal: causal self-attention with two heads."""
    return AttentionModel.from_preset("seed-causal").trace


@pytest.fixture(scope="session", params=PRESETS)
def preset_trace(request: pytest.FixtureRequest) -> Trace:
    """Each shipped preset's trace in turn."""
    return AttentionModel.from_preset(request.param).trace


@pytest.fixture(scope="session")
def make_trace():
    """Factory for small random traces (see :func:`small_trace`)."""
    return small_trace
