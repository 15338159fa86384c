"""RNN: one step after another · attention: all at once. The numbers and the walk of that scene.

The view draws these elements, by id (:func:`rnn_element_ids`), for a sentence of n words:

- ``"x1"`` … ``"xn"``: the input vectors (one word each);
- ``"h0"`` … ``"hn"``: the RNN's states (h0 is the zero start state);
- ``"h0->h1"`` … ``"h{n-1}->hn"``: the arrows of the recurrence (tokens flow along them);
- ``"attention"``: the one matrix product softmax(QKᵀ/√d_k)·V;
- ``"out1"`` … ``"outn"``: the attention's outputs, one per word;
- ``"chain-rnn"``, ``"chain-attention"``: the longest chains of dependent steps (n and 1);
- ``"chart"``: the measured timings (:mod:`explainer.scenes.timing`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explainer.animation.captions.printed import agrees, num, value
from explainer.i18n import _
from explainer.model import Document

from .architecture_diagrams import TARGET, quoted
from .doors import DOOR_PRESET
from .timeline import SceneStep, SceneTimeline
from .timing import SIZES, TimingPoint, timing_caption

__all__ = ["RnnNumbers", "rnn_element_ids", "rnn_numbers", "rnn_states", "rnn_timeline", "subscript"]

D_HIDDEN = 4
SEED = 1  # the RNN's weights: drawn once, scaled so that tanh is not saturated on these words
WEIGHT_SCALES = (0.7, 0.5, 0.1)  # W_x, W_h, b
# (decimals of the pre-activation, decimals of h), tried in turn until tanh of the
# printed pre-activation rounds to the printed h; after the last, the caption writes ≈.
TRIES = ((2, 2), (3, 2), (3, 3))


def rnn_states(
    x: np.ndarray, w_x: np.ndarray, w_h: np.ndarray, b: np.ndarray, h0: np.ndarray | None = None
) -> np.ndarray:
    """The states of a plain (Elman) RNN: h_t = tanh(x_t·W_x + h_{t−1}·W_h + b), one after another.

    Parameters
    ----------
    x : (n, d_in) array
        One input row per word.
    w_x : (d_in, d_h) array
    w_h : (d_h, d_h) array
    b : (d_h,) array
    h0 : (d_h,) array, optional
        The start state; zeros when None.

    Returns
    -------
    (n, d_h) array: row t is h_{t+1} (the start state is not included).
    """
    h = np.zeros(w_h.shape[0]) if h0 is None else np.asarray(h0, dtype=float)
    states = []
    for row in np.asarray(x, dtype=float):  # each step needs the previous h: no way to batch it
        h = np.tanh(row @ w_x + h @ w_h + b)
        states.append(h)
    return np.array(states).reshape(len(states), w_h.shape[0])


@dataclass(frozen=True, eq=False)
class RnnNumbers:
    """The scene's numbers: an RNN and self-attention over the same words (read-only arrays).

    ``x`` (n, d) are the words' embedding rows (the preset's designed rows);
    ``w_x`` (d, d_h), ``w_h`` (d_h, d_h), ``b`` (d_h,) the RNN's weights; ``pre``
    (n, d_h) its pre-activations x_t·W_x + h_{t−1}·W_h + b and ``h`` (n, d_h) its
    states tanh(pre). ``q``, ``k``, ``v`` (n, d_k) are the self-attention's
    queries, keys and values, ``alpha`` (n, n) its attention weights and ``out``
    (n, d_v) its head outputs α·V, all from one matrix product each.
    """

    tokens: tuple[str, ...]
    x: np.ndarray
    w_x: np.ndarray
    w_h: np.ndarray
    b: np.ndarray
    h: np.ndarray
    pre: np.ndarray
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    alpha: np.ndarray
    out: np.ndarray

    @property
    def n(self) -> int:
        return len(self.tokens)


def _frozen(array: np.ndarray) -> np.ndarray:
    copy = np.array(array, dtype=float)
    copy.flags.writeable = False
    return copy


def rnn_numbers(tokens: Sequence[str] = TARGET) -> RnnNumbers:
    """The numbers of the scene on "I hate this movie" (or ``tokens``), from the seed-translate preset.

    The embeddings and the attention weights are the preset's (switched to
    self-attention on ``tokens``); the RNN's weights come from a fixed seed.
    """
    document = Document.from_preset(DOOR_PRESET)
    document.set_tokens(tuple(tokens), None)
    p = document.model.params
    x = np.array(p["x_q"])
    rng = np.random.default_rng(SEED)
    sx, sh, sb = WEIGHT_SCALES
    w_x = rng.normal(0.0, sx, (x.shape[1], D_HIDDEN))
    w_h = rng.normal(0.0, sh, (D_HIDDEN, D_HIDDEN))
    b = rng.normal(0.0, sb, D_HIDDEN)
    h = rnn_states(x, w_x, w_h, b)
    previous = np.vstack([np.zeros(D_HIDDEN), h[:-1]])
    pre = x @ w_x + previous @ w_h + b
    # Self-attention: every word at once, one matrix product per line (head 0; the preset has one).
    q, k, v = x @ p["w_q"][0] + p["b_q"][0], x @ p["w_k"][0] + p["b_k"][0], x @ p["w_v"][0] + p["b_v"][0]
    scores = q @ k.T / math.sqrt(q.shape[1])
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    alpha = e / e.sum(axis=1, keepdims=True)
    out = alpha @ v
    arrays = (x, w_x, w_h, b, h, pre, q, k, v, alpha, out)
    return RnnNumbers(tuple(tokens), *(_frozen(a) for a in arrays))


def subscript(number: int) -> str:
    """``12`` → ``"₁₂"``."""
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def rnn_element_ids(n: int) -> frozenset[str]:
    """Every id the scene's steps may light or flow along, for a sentence of ``n`` words."""
    ids = {"attention", "chain-rnn", "chain-attention", "chart", "h0"}
    for t in range(1, n + 1):
        ids |= {f"x{t}", f"h{t}", f"h{t - 1}->h{t}", f"out{t}"}
    return frozenset(ids)


def _vector(values: np.ndarray, digits: int) -> str:
    return "[" + ", ".join(num(float(v), digits) for v in values) + "]"


def _tanh_text(pre: np.ndarray, h: np.ndarray) -> str:
    """``tanh([pre]) = [h]``, printed so that tanh of the printed pre gives the printed h (else ≈)."""
    for pre_digits, h_digits in TRIES:
        pre_texts = [num(float(v), pre_digits) for v in pre]
        h_texts = [num(float(v), h_digits) for v in h]
        if all(agrees(math.tanh(value(p)), t) for p, t in zip(pre_texts, h_texts, strict=True)):
            return f"tanh({_vector(pre, pre_digits)}) = {_vector(h, h_digits)}"
    return f"tanh({_vector(pre, 3)}) ≈ {_vector(h, 3)}"


def _rnn_caption(numbers: RnnNumbers, t: int) -> str:
    """Step t (from 1): the arithmetic of h_t from its printed numbers, and what it waited for."""
    s, p = subscript(t), subscript(t - 1)
    formula = f"h{s} = tanh(x{s}·W_x + h{p}·W_h + b) = {_tanh_text(numbers.pre[t - 1], numbers.h[t - 1])}"
    fields = {"t": t, "word": numbers.tokens[t - 1], "formula": formula}
    if t == 1:
        return _("Step {t} reads “{word}”: {formula}, starting from h₀ = 0.").format(**fields)
    if t == numbers.n:
        return _(
            "Step {t} reads “{word}”: {formula}: the last of {n} steps, each waiting for the one before."
        ).format(n=numbers.n, **fields)
    return _("Step {t} reads “{word}”: {formula}: step {t} had to wait for {previous}.").format(
        previous=f"h{p}", **fields
    )


def _attention_caption(numbers: RnnNumbers) -> str:
    n, d_k = numbers.n, numbers.q.shape[1]
    i = numbers.tokens.index("hate") if "hate" in numbers.tokens else 0
    return _(
        "Self-attention on the same words: softmax(QKᵀ/√d_k)·V gives all {n} outputs in one matrix "
        "product, Q ({n}×{d_k}) · Kᵀ ({d_k}×{n}), no waiting. “{word}”: α = {alpha}, out = {out}."
    ).format(
        n=n,
        d_k=d_k,
        word=numbers.tokens[i],
        alpha=_vector(numbers.alpha[i], 2),
        out=_vector(numbers.out[i], 2),
    )


def _chart_caption(timings: Sequence[TimingPoint] | None) -> str:
    if timings:
        return timing_caption(timings)
    return _(
        "The chart times both on this machine, for {fewest} to {most} words: n RNN steps "
        "one after another against one self-attention product. Measuring…"
    ).format(fewest=f"{SIZES[0]:,}", most=f"{SIZES[-1]:,}")


def rnn_timeline(numbers: RnnNumbers, timings: Sequence[TimingPoint] | None = None) -> SceneTimeline:
    """The scene's walk: the RNN's steps one by one, attention at once, the chains, the chart.

    ``timings`` are the measured points (:func:`~explainer.scenes.timing.measure_timings`);
    without them the chart's caption says the timing is being measured.
    """
    n = numbers.n
    xs = {f"x{t}" for t in range(1, n + 1)}
    outs = {f"out{t}" for t in range(1, n + 1)}
    s = subscript
    steps = [
        SceneStep(
            "intro",
            _(
                "An RNN reads {sentence} one word at a time: each state hₜ needs the state "
                "before it, hₜ₋₁. Self-attention computes all the words' outputs at once."
            ).format(sentence=quoted(numbers.tokens)),
            5.0,
            frozenset(xs | {"h0"}),
        )
    ]
    for t in range(1, n + 1):
        caption = _rnn_caption(numbers, t)
        steps.append(
            SceneStep(
                f"rnn-{t}",
                caption,
                5.0 if t > 1 else 6.0,
                frozenset({f"x{t}", f"h{t}"}),
                (f"h{t - 1}->h{t}",),
            )
        )
    steps += [
        SceneStep("attention", _attention_caption(numbers), 6.0, frozenset(xs | outs | {"attention"})),
        SceneStep(
            "chains",
            _(
                "The longest chain of steps that must wait for each other: the RNN's is {n} long "
                "({first} → … → {last}), attention's is 1, however long the sentence. "
                "With n words: n against 1."
            ).format(n=n, first=f"h{s(1)}", last=f"h{s(n)}"),
            5.0,
            frozenset({"chain-rnn", "chain-attention"}),
        ),
        SceneStep("chart", _chart_caption(timings), 6.0, frozenset({"chart"})),
    ]
    return SceneTimeline("rnn-vs-attention", _("RNN: one step after another · attention: all at once"), steps)
