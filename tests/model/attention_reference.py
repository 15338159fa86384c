"""Test helpers: a plain float64 attention written independently of the model, and snapshots."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from explainer.model import AttentionModel


def reference_attention(params: dict[str, np.ndarray], *, causal: bool, scale: bool) -> dict[str, np.ndarray]:
    """Attention head by head with loops: q = x W + b, dot products, softmax by exp / sum."""
    x_q, x_kv = params["x_q"], params["x_kv"]
    n_heads, _, d_k = params["w_q"].shape
    n_q, n_k = len(x_q), len(x_kv)
    divisor = math.sqrt(d_k) if scale else 1.0
    out: dict[str, list[np.ndarray]] = {
        name: [] for name in ("q", "k", "v", "scores", "scaled", "masked", "weights")
    }
    contexts = []
    for h in range(n_heads):
        q = x_q @ params["w_q"][h] + params["b_q"][h]
        k = x_kv @ params["w_k"][h] + params["b_k"][h]
        v = x_kv @ params["w_v"][h] + params["b_v"][h]
        scores = np.array([[float(np.dot(q[i], k[j])) for j in range(n_k)] for i in range(n_q)])
        scaled = scores / divisor
        masked = scaled.copy()
        weights = np.zeros((n_q, n_k))
        for i in range(n_q):
            visible = [j for j in range(n_k) if not (causal and j > i)]
            masked[i, [j for j in range(n_k) if j not in visible]] = -np.inf
            top = max(masked[i, j] for j in visible)
            exps = {j: math.exp(masked[i, j] - top) for j in visible}
            total = sum(exps.values())
            for j, e in exps.items():
                weights[i, j] = e / total
        context = np.array([sum(weights[i, j] * v[j] for j in range(n_k)) for i in range(n_q)])
        for name, array in zip(out, (q, k, v, scores, scaled, masked, weights), strict=True):
            out[name].append(array)
        contexts.append(context)
    concat = np.concatenate(contexts, axis=1)
    result = {name: np.stack(arrays) for name, arrays in out.items()}
    result["context"] = np.stack(contexts)
    result["output"] = concat @ params["w_o"] + params["b_o"]
    return result


def assert_close(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    """Within 1e-9 relative; the absolute floor is relative to the array's own magnitude."""
    finite = expected[np.isfinite(expected)]
    magnitude = max(1.0, float(np.max(np.abs(finite)))) if finite.size else 1.0
    np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-12 * magnitude, err_msg=what)


@dataclass
class Recorder:
    """Collects what ``model.changed`` emits."""

    traces: list = field(default_factory=list)

    def __call__(self, trace: object) -> None:
        self.traces.append(trace)

    @property
    def count(self) -> int:
        return len(self.traces)


def watch(model: AttentionModel) -> Recorder:
    recorder = Recorder()
    model.changed.connect(recorder)
    return recorder


@dataclass(frozen=True)
class Snapshot:
    """Copies of everything observable, to prove a refused edit changed nothing."""

    params: dict[str, np.ndarray]
    query_tokens: list[str]
    key_tokens: list[str]
    options: tuple[bool, bool, bool]

    @classmethod
    def of(cls, model: AttentionModel) -> Snapshot:
        return cls(
            {name: array.copy() for name, array in model.params.items()},
            model.query_tokens,
            model.key_tokens,
            (model.self_attention, model.causal, model.scale),
        )

    def assert_same(self, model: AttentionModel) -> None:
        now = Snapshot.of(model)
        assert now.params.keys() == self.params.keys()
        for name, array in self.params.items():
            assert now.params[name].shape == array.shape, name
            assert np.array_equal(now.params[name], array), name
        assert (now.query_tokens, now.key_tokens, now.options) == (
            self.query_tokens,
            self.key_tokens,
            self.options,
        )
