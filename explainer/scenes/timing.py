"""Why transformers are fast, measured on this machine: n RNN steps in a row against one attention product.

An RNN's step t needs h_{t−1}, so n words take n small steps one after another;
self-attention over n words is a few matrix products, whatever n is. Both are
timed here in NumPy at the same width d_model, and :func:`timing_caption` reads
the figures as measured (nothing is assumed about which one wins).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from explainer.i18n import _

__all__ = ["SIZES", "TimingPoint", "format_seconds", "measure_timings", "timing_caption"]

SIZES = (8, 16, 32, 64, 128, 256, 512, 1024)


@dataclass(frozen=True)
class TimingPoint:
    """The best measured times for ``n`` words: the RNN's n steps, and one self-attention."""

    n: int
    rnn_seconds: float
    attention_seconds: float

    @property
    def rnn_steps(self) -> int:
        """Steps that must run one after another: one per word."""
        return self.n

    @property
    def attention_steps(self) -> int:
        """Steps that must run one after another: one matrix product pipeline for all words."""
        return 1


# A small size takes microseconds: one run is at the mercy of the scheduler (the GUI paints
# meanwhile). Runs repeat until this much time is spent (at least ``repeats`` runs, at most
# MAX_RUNS) and the best one counts, as timeit does.
MIN_TOTAL_SECONDS = 0.01
MAX_RUNS = 200


def _best(run: Callable[[], object], repeats: int) -> float:
    best, spent, runs = math.inf, 0.0, 0
    while runs < repeats or (spent < MIN_TOTAL_SECONDS and runs < MAX_RUNS):
        start = time.perf_counter()
        run()
        took = time.perf_counter() - start
        best, spent, runs = min(best, took), spent + took, runs + 1
    return best


def _rnn(x: np.ndarray, w_x: np.ndarray, w_h: np.ndarray) -> np.ndarray:
    h = np.zeros((1, w_h.shape[0]), dtype=x.dtype)
    for t in range(len(x)):  # step t waits for step t − 1's h
        h = np.tanh(x[t : t + 1] @ w_x + h @ w_h)
    return h


def _attention(x: np.ndarray, w_q: np.ndarray, w_k: np.ndarray, w_v: np.ndarray) -> np.ndarray:
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    scores = q @ k.T
    scores *= 1.0 / math.sqrt(k.shape[1])
    # The softmax in place: at 1,024 words the n × n scores are most of the work.
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    out: np.ndarray = scores @ v
    return out


def measure_timings(
    sizes: Sequence[int] = SIZES,
    d_model: int = 64,
    repeats: int = 3,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[TimingPoint]:
    """Time the RNN's n sequential steps and one batched self-attention, for each n in ``sizes``.

    The RNN is a Python loop of (1×d)·(d×d) products and tanh, each step using
    the previous state; the attention is X·W_Q, X·W_K, X·W_V, QKᵀ/√d, softmax,
    ·V on all n rows at once. Each figure is the best of at least ``repeats`` runs
    (``time.perf_counter``; small sizes run until 10 ms are spent). The default
    run takes about a second.

    ``progress(done, total)`` is called after each size. ``cancelled()`` is asked
    before each size: when it returns True the measurement stops and the points
    measured so far are returned (possibly none), so a caller can always draw them.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    if d_model < 1:
        raise ValueError(f"d_model must be at least 1, got {d_model}")
    rng = np.random.default_rng(0)
    scale = 1.0 / math.sqrt(d_model)  # keeps tanh and the softmax out of saturation
    # float32, as models run; both sides get the same precision.
    w_x, w_h, w_q, w_k, w_v = (
        rng.normal(0.0, scale, (d_model, d_model)).astype(np.float32) for _ in range(5)
    )
    points: list[TimingPoint] = []
    for done, n in enumerate(sizes, start=1):
        if cancelled is not None and cancelled():
            break
        if n < 1:
            raise ValueError(f"sizes must be at least 1 word, got {n}")
        x = rng.normal(0.0, 1.0, (n, d_model)).astype(np.float32)
        rnn = _best(partial(_rnn, x, w_x, w_h), repeats)
        attention = _best(partial(_attention, x, w_q, w_k, w_v), repeats)
        points.append(TimingPoint(n, rnn, attention))
        if progress is not None:
            progress(done, len(sizes))
    return points


def format_seconds(seconds: float) -> str:
    """A duration as a caption prints it: ``"6.1 ms"``, ``"35 µs"``, ``"1.20 s"`` (2–3 significant digits)."""
    for unit, size in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= size or unit == "µs":
            amount = seconds / size
            digits = 0 if amount >= 100 else 1 if amount >= 10 else 2
            return f"{amount:.{digits}f} {unit}"
    raise AssertionError("unreachable")


def _versus(point: TimingPoint) -> str:
    """Which was faster at this n, by how much (≈: the ratio of the unrounded times)."""
    fast, slow = sorted((point.rnn_seconds, point.attention_seconds))
    if f"{slow / fast:.1f}" == "1.0":
        return _("about the same")
    ratio = f"{slow / fast:.1f}"
    if point.attention_seconds < point.rnn_seconds:
        return _("≈ {ratio}× faster").format(ratio=ratio)
    return _("≈ {ratio}× slower").format(ratio=ratio)


def _figures(point: TimingPoint) -> str:
    rnn, attention = format_seconds(point.rnn_seconds), format_seconds(point.attention_seconds)
    return _("RNN {rnn}, attention {attention} ({versus})").format(
        rnn=rnn, attention=attention, versus=_versus(point)
    )


def timing_caption(points: Sequence[TimingPoint]) -> str:
    """What the measured ``points`` show, in words, with their figures as measured.

    The largest n first (the RNN's n steps against attention's one product),
    then the smallest n, then where the faster one changes, if it does.
    In the language in use, one whole sentence per lookup.
    """
    if not points:
        return _("Nothing measured yet.")
    last = points[-1]
    text = _(
        "Measured here: at {n} tokens the RNN's {steps} steps one after another took "
        "{rnn}, self-attention's one product {attention} ({versus})."
    ).format(
        n=f"{last.n:,}",
        steps=f"{last.rnn_steps:,}",
        rnn=format_seconds(last.rnn_seconds),
        attention=format_seconds(last.attention_seconds),
        versus=_versus(last),
    )
    if len(points) == 1:
        return text
    text += " " + _("At {n} tokens: {figures}.").format(n=f"{points[0].n:,}", figures=_figures(points[0]))
    faster = [p.attention_seconds < p.rnn_seconds for p in points]
    if faster[-1] and not all(faster):
        since = next(p.n for i, p in enumerate(points) if all(faster[i:]))
        text += " " + _("From {n} tokens on, attention was faster.").format(n=f"{since:,}")
    elif faster[0] and not faster[-1]:
        until = next(p.n for i, p in reversed(list(enumerate(points))) if all(faster[: i + 1]))
        text += " " + _(
            "Attention was faster up to {n} tokens; beyond, its n × n scores outgrow what this "
            "CPU computes at once (a GPU computes them in parallel)."
        ).format(n=f"{until:,}")
    return text
