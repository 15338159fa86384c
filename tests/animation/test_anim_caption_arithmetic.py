"""Redo every caption's arithmetic from its printed numbers: presets, detail modes, random models.

The reading and the checks live in caption_parser / caption_checks / caption_cells,
written apart from explainer.animation.captions: a caption shape they do not
know fails the test, so a changed caption cannot pass unread.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from caption_checks import Checker, check_timeline
from caption_parser import NUM
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.animation import DETAIL_MODES, Timeline
from explainer.model import AttentionModel, Document

WORDS = ("the", "cat", "sat", "a", "mat", "kirai")  # few words: repeated tokens get numbered names
SIZES = (0.05, 0.3, 1.0, 3.0, 30.0)  # weight scales: tiny scores, readable ones, saturated ones


@pytest.mark.parametrize("detail", DETAIL_MODES)
@pytest.mark.parametrize("name", AttentionModel.preset_names())
def test_every_preset_caption_adds_up(name, detail):
    document = Document.from_preset(name)
    trace = document.model.trace
    lesson = document.lesson
    worked = lesson.worked_query if lesson is not None else None
    for query in {None, None if worked is None else trace.query_tokens.index(worked)}:
        assert check_timeline(Timeline(trace, detail, worked_query=query)) > 5


@st.composite
def models(draw) -> AttentionModel:
    """A small model with random tokens, sizes and weights (several magnitudes, biases or none)."""
    tokens = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10)
    cross = draw(st.booleans())
    model = AttentionModel(
        draw(tokens),
        draw(tokens) if cross else None,
        d_model=draw(st.integers(1, 6)),
        d_k=draw(st.integers(1, 10)),
        d_v=draw(st.integers(1, 10)),
        n_heads=draw(st.integers(1, 2)),
        causal=not cross and draw(st.booleans()),
        scale=draw(st.booleans()),
        seed=draw(st.integers(0, 2**16)),
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size = draw(st.sampled_from(SIZES))
    biases = draw(st.booleans())
    with model.batch():
        for name, value in model.params.items():
            if name == "x_kv" and model.self_attention:
                continue  # the same array as x_q
            if name.startswith("b_") and not biases:
                continue
            model.set_param(name, np.round(rng.normal(0.0, size, value.shape), 4))
    return model


@settings(max_examples=300, deadline=None, database=None)
@given(model=models(), detail=st.sampled_from(DETAIL_MODES), data=st.data())
def test_every_random_model_caption_adds_up(model, detail, data):
    worked = data.draw(st.integers(0, len(model.query_tokens) - 1))
    check_timeline(Timeline(model.trace, detail, worked_query=worked))


def bumped(text: str, match: re.Match[str]) -> str:
    """``text`` with one printed number's last digit changed by 2 (a true value at a tie fits ±1)."""
    number = match.group(0)
    last = int(number[-1])
    return text[: match.start()] + number[:-1] + str((last + 2) % 10) + text[match.end() :]


@pytest.mark.parametrize("name", ["seed-translate", "seed-causal"])
def test_the_checks_notice_any_printed_number_changed(name):
    """No silent pass: changing any one printed number of any caption fails the check."""
    timeline = Timeline(AttentionModel.from_preset(name).trace, "first-query")
    reference = Checker(timeline.trace)
    for step in timeline.steps:
        reference.check(str(step.kind), step.head, step.query, step.key, step.caption)
    tried = 0
    for step in timeline.steps:
        for match in re.finditer(NUM, step.caption):
            checker = Checker(timeline.trace)
            checker.shares = dict(reference.shares)
            with pytest.raises(AssertionError):
                checker.check(str(step.kind), step.head, step.query, step.key, bumped(step.caption, match))
                checker.finish()
            tried += 1
    assert tried > 150


@pytest.mark.parametrize(
    ("kind", "query", "key", "caption", "reason"),
    [
        # The old captions the issue quotes: rounded terms that add up to something else,
        (
            "dot",
            0,
            1,
            "score(I, eiga) = q·k = −0.16×1.26 + 0.59×0.61 − 0.94×1.05 + 0.87×0.53 = −0.35",
            "the printed numbers give -0.3676, not −0.35",
        ),
        # a denominator that is not said to be Σ e^s, nor spelled out,
        ("softmax", 1, 3, "α(hate, kirai) = e^2.05 / 10.16 = 0.77", "shape not understood"),
        # a share that is not the printed product (0.47 × 0.16 = 0.0752),
        (
            "weighted_sum",
            0,
            2,
            "head output of “I” += α(I, ga)·v_ga = 0.47 × [0.61, 0.04, −0.19, −0.16]"
            " = [0.29, 0.02, −0.09, −0.07]",
            r"0.47 × −0.16 is not −0.07",
        ),
        # terms hidden behind "+ …",
        (
            "weighted_sum",
            1,
            None,
            "out_hate = Σ α·v = 0.08·v_kono + 0.08·v_ga + 0.77·v_kirai + … = [−0.02, 0.66, −0.18, 0.13]",
            "shape not understood",
        ),
        # a '…' that hides the largest score,
        (
            "dot",
            1,
            None,
            "Scores of “hate”: score(hate, j) = q_hate · k_j for each key j"
            " = [−0.46, −0.54, −0.39, … 1 more, ≤ 4.11 …].",
            "'…' hides the largest entry",
        ),
        # and a shape nobody knows.
        ("mask", 0, None, "Something else entirely = 1.00", "no check for a row step of kind mask"),
    ],
)
def test_the_checks_reject_the_old_captions(kind, query, key, caption, reason):
    trace = AttentionModel.from_preset("seed-translate").trace
    with pytest.raises(AssertionError, match=re.escape(reason)):
        Checker(trace).check(kind, 0, query, key, caption)
