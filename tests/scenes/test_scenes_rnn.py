"""The RNN scene: states one after another, attention in one product, captions that add up."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from explainer.animation.captions.printed import agrees, half_unit, value
from explainer.model import Document
from explainer.scenes import (
    TimingPoint,
    format_seconds,
    rnn_element_ids,
    rnn_numbers,
    rnn_states,
    rnn_timeline,
)

NUMBERS = rnn_numbers()
VECTOR = r"\[([^\]]*)\]"
TANH = re.compile(rf"h(\S+) = tanh\(x\S+·W_x \+ h\S+·W_h \+ b\) = tanh\({VECTOR}\) (=|≈) {VECTOR}")


def reference_states(x, w_x, w_h, b):
    """h_t = tanh(x_t W_x + h_{t-1} W_h + b), written out component by component."""
    d_h = len(b)
    h = [0.0] * d_h
    states = []
    for row in x:
        h = [
            math.tanh(
                sum(row[i] * w_x[i][j] for i in range(len(row)))
                + sum(h[i] * w_h[i][j] for i in range(d_h))
                + b[j]
            )
            for j in range(d_h)
        ]
        states.append(h)
    return np.array(states)


def test_rnn_states_are_the_recurrence() -> None:
    rng = np.random.default_rng(3)
    x, w_x, w_h, b = (
        rng.normal(size=(5, 3)),
        rng.normal(size=(3, 2)),
        rng.normal(size=(2, 2)),
        rng.normal(size=2),
    )
    np.testing.assert_allclose(rnn_states(x, w_x, w_h, b), reference_states(x, w_x, w_h, b), atol=1e-12)
    h0 = rng.normal(size=2)
    first = np.tanh(x[0] @ w_x + h0 @ w_h + b)
    np.testing.assert_allclose(rnn_states(x, w_x, w_h, b, h0)[0], first)


def test_a_state_depends_on_the_words_before_it() -> None:
    n = NUMBERS
    swapped = n.x[[1, 0, 2, 3]]
    states = rnn_states(swapped, n.w_x, n.w_h, n.b)
    # The same word last, after the same two words in another order: another state.
    assert not np.allclose(states[2], n.h[2])
    assert not np.allclose(states[1], n.h[0])  # "I" read second is not "I" read first


def test_the_numbers_are_the_sentence_through_the_preset() -> None:
    n = NUMBERS
    assert n.tokens == ("I", "hate", "this", "movie") and n.n == 4
    document = Document.from_preset("seed-translate")
    np.testing.assert_array_equal(n.x, document.model.params["x_q"])  # the designed English rows
    np.testing.assert_allclose(n.h, reference_states(n.x, n.w_x, n.w_h, n.b), atol=1e-12)
    previous = np.vstack([np.zeros(len(n.b)), n.h[:-1]])
    np.testing.assert_allclose(n.pre, n.x @ n.w_x + previous @ n.w_h + n.b)
    assert 0.2 < np.abs(n.pre).max() < 2.0  # tanh neither flat nor saturated
    assert not n.h.flags.writeable


def test_attention_is_every_query_at_once() -> None:
    n = NUMBERS
    d_k = n.q.shape[1]
    for i in range(n.n):  # one query at a time, as a loop would
        scores = [float(n.q[i] @ n.k[j]) / math.sqrt(d_k) for j in range(n.n)]
        e = [math.exp(s - max(scores)) for s in scores]
        alpha = [v / sum(e) for v in e]
        np.testing.assert_allclose(n.alpha[i], alpha)
        np.testing.assert_allclose(n.out[i], sum(a * n.v[j] for j, a in enumerate(alpha)))
    document = Document.from_preset("seed-translate")
    document.set_tokens(n.tokens, None)  # the same attention, through the app's model
    trace = document.model.trace
    np.testing.assert_allclose(n.alpha, trace.weights[0])
    np.testing.assert_allclose(n.out, trace.context[0])


def documented_ids(n: int) -> set[str]:
    """The ids the module docstring promises the view."""
    ids = {"attention", "chain-rnn", "chain-attention", "chart"}
    ids |= {f"x{t}" for t in range(1, n + 1)} | {f"h{t}" for t in range(n + 1)}
    ids |= {f"h{t - 1}->h{t}" for t in range(1, n + 1)} | {f"out{t}" for t in range(1, n + 1)}
    return ids


def test_every_step_names_documented_ids() -> None:
    timeline = rnn_timeline(NUMBERS)
    assert rnn_element_ids(4) == documented_ids(4)
    names = [s.name for s in timeline.steps]
    assert names == ["intro", "rnn-1", "rnn-2", "rnn-3", "rnn-4", "attention", "chains", "chart"]
    for step in timeline.steps:
        assert step.lit and step.lit <= documented_ids(4), step.name
        assert set(step.flows) <= documented_ids(4), step.name
        assert step.camera is None
        assert 4.0 <= step.duration <= 6.0
        assert len(step.caption) <= 230, step.name
    for t in range(1, 5):
        step = timeline.steps[t]
        assert step.lit == {f"x{t}", f"h{t}"} and step.flows == (f"h{t - 1}->h{t}",)
    assert {"attention", "out1", "out4"} <= timeline.steps[5].lit
    assert timeline.name == "rnn-vs-attention"


def parse(text: str) -> list[str]:
    return [part.strip() for part in text.split(",")]


@pytest.mark.parametrize("t", [1, 2, 3, 4])
def test_an_rnn_caption_adds_up_from_its_printed_numbers(t: int) -> None:
    caption = rnn_timeline(NUMBERS).steps[t].caption
    match = TANH.search(caption)
    assert match, caption
    index, pre, relation, h = match.group(1), parse(match.group(2)), match.group(3), parse(match.group(4))
    assert index == "₁₂₃₄"[t - 1]
    assert f"“{NUMBERS.tokens[t - 1]}”" in caption
    for printed, true in [*zip(pre, NUMBERS.pre[t - 1], strict=True), *zip(h, NUMBERS.h[t - 1], strict=True)]:
        assert agrees(true, printed), (printed, true)
    for p, printed in zip(pre, h, strict=True):
        if relation == "=":  # a student's tanh of the printed input gives the printed result
            assert agrees(math.tanh(value(p)), printed), caption
        else:
            assert abs(math.tanh(value(p)) - float(value(printed))) <= 2 * half_unit(printed) + half_unit(p)
    if t > 1:
        assert f"h{'₁₂₃'[t - 2]}" in caption  # names the state it waited for


def test_the_attention_caption_prints_the_numbers_of_one_row() -> None:
    caption = rnn_timeline(NUMBERS).steps[5].caption
    assert "softmax(QKᵀ/√d_k)·V" in caption and "all 4 outputs" in caption
    alpha, out = re.search(rf"α = {VECTOR}, out = {VECTOR}", caption).groups()
    i = NUMBERS.tokens.index("hate")
    for printed, true in [
        *zip(parse(alpha), NUMBERS.alpha[i], strict=True),
        *zip(parse(out), NUMBERS.out[i], strict=True),
    ]:
        assert agrees(true, printed)


def test_the_chart_caption_reads_the_timings_when_given() -> None:
    waiting = rnn_timeline(NUMBERS).steps[-1].caption
    assert "Measuring" in waiting
    points = [TimingPoint(8, 2e-5, 3e-5), TimingPoint(1024, 6.1e-3, 2.3e-3)]
    measured = rnn_timeline(NUMBERS, points).steps[-1].caption
    assert "Measuring" not in measured
    assert format_seconds(6.1e-3) in measured and format_seconds(2.3e-3) in measured
