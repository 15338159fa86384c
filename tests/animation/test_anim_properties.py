"""Property tests on random small models: every detail mode gives a consistent walkthrough."""

from __future__ import annotations

import math
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.animation import DETAIL_MODES, STEP_KINDS, Timeline
from explainer.model import AttentionModel, Trace

PROPERTY = settings(max_examples=60, deadline=None, database=None)
TARGET = {"dot": "scores", "softmax": "weights", "weighted_sum": "contributions"}


@st.composite
def traces(draw) -> Trace:
    n_q = draw(st.integers(1, 5))
    cross = draw(st.booleans())
    keys = [f"k{j}" for j in range(draw(st.integers(1, 5)))] if cross else None
    model = AttentionModel(
        [f"t{i}" for i in range(n_q)],
        keys,
        d_model=draw(st.integers(1, 6)),
        d_k=draw(st.integers(1, 5)),
        n_heads=draw(st.integers(1, 3)),
        causal=not cross and draw(st.booleans()),
        scale=draw(st.booleans()),
        seed=draw(st.integers(0, 2**16)),
    )
    return model.trace


def fmt(x: float, digits: int = 2) -> str:
    text = f"{x:.{digits}f}"
    return text.lstrip("-") if not text.strip("-0.") else text.replace("-", "−")


def no_later(earlier: np.ndarray, later: np.ndarray) -> bool:
    return bool(np.all(earlier <= later))


@PROPERTY
@given(trace=traces(), detail=st.sampled_from(DETAIL_MODES))
def test_duration_is_the_sum_of_the_steps(trace, detail):
    timeline = Timeline.from_trace(trace, detail=detail)
    assert timeline.steps and all(s.duration > 0 for s in timeline.steps)
    assert math.isclose(timeline.duration, math.fsum(s.duration for s in timeline.steps), abs_tol=1e-9)
    assert all(s.kind in STEP_KINDS and s.caption for s in timeline.steps)


@PROPERTY
@given(trace=traces(), detail=st.sampled_from(DETAIL_MODES))
def test_reveal_order_follows_the_pipeline(trace, detail):
    at = Timeline.from_trace(trace, detail=detail).reveal_at
    h = trace.n_heads
    never = np.iinfo(np.int32).max
    assert all(np.all(a < never) for a in at.values()), "something is never revealed"
    # Inputs before what is computed from them, cell by cell.
    assert no_later(at["x_q"][None, :], at["q"]) and no_later(at["x_kv"][None, :], at["k"])
    assert no_later(at["x_kv"][None, :], at["v"])
    assert no_later(at["q"][:, :, None], at["scores"]) and no_later(at["k"][:, None, :], at["scores"])
    assert no_later(at["scores"], at["scaled"]) and no_later(at["scaled"], at["masked"])
    assert no_later(at["masked"], at["weights"])
    assert no_later(at["weights"], at["contributions"])
    assert no_later(at["v"][:, None, :], at["contributions"])
    assert no_later(at["context"], at["concat"][None, :]) and no_later(at["concat"], at["output"])
    # Softmax needs the whole row of scores; the weighted sum the whole row of weights.
    assert no_later(at["masked"].max(axis=2, keepdims=True), at["weights"])
    assert no_later(at["weights"].max(axis=2, keepdims=True), at["contributions"])
    # An output row starts with its first term (it then accumulates); with several heads the
    # concatenation and the projection wait for every term of every head.
    assert no_later(at["contributions"].min(axis=2), at["context"])
    if h > 1:
        assert no_later(at["contributions"].max(axis=(0, 2)), at["concat"])


@PROPERTY
@given(trace=traces(), detail=st.sampled_from(DETAIL_MODES))
def test_each_cell_is_revealed_by_a_step_that_covers_it(trace, detail):
    timeline = Timeline.from_trace(trace, detail=detail)
    at = timeline.reveal_at
    for kind, target in TARGET.items():
        for h, i, j in np.ndindex(*trace.scores.shape):
            step = timeline.steps[at[target][h, i, j]]
            assert step.kind == kind and step.head == h
            assert step.query in (i, None)
            # A masked weight (0) and its share (nothing) come with their row's first visible cell.
            skipped = kind != "dot" and trace.mask[i, j]
            assert step.key in (j, None) or (skipped and not trace.mask[i, step.key])
    if trace.scale:
        assert {timeline.steps[k].kind for k in np.unique(at["scaled"])} == {"scale"}
    if trace.causal:
        assert {timeline.steps[k].kind for k in np.unique(at["masked"])} == {"mask"}


@PROPERTY
@given(trace=traces(), detail=st.sampled_from(DETAIL_MODES), data=st.data())
def test_sampling_is_clamped_monotone_and_complete(trace, detail, data):
    timeline = Timeline.from_trace(trace, detail=detail)
    times = st.floats(-10.0, timeline.duration + 10.0, allow_nan=False)
    a, b = sorted((data.draw(times), data.draw(times)))
    early, late = timeline.state_at(a), timeline.state_at(b)
    assert 0.0 <= early.t <= late.t <= timeline.duration
    assert early.index <= late.index
    for name in early.revealed:
        assert not (early.revealed[name] & ~late.revealed[name]).any()
        assert not (early.shown(name) & ~late.shown(name)).any()
    end = timeline.state_at(timeline.duration)
    assert all(end.shown(name).all() for name in end.revealed)
    for i in range(len(timeline.steps)):
        assert timeline.index_at(timeline.start(i)) == i


@PROPERTY
@given(trace=traces())
def test_full_detail_captions_quote_every_number(trace):
    for step in Timeline.from_trace(trace, detail="full").steps:
        assert not re.search(r"-\d", step.caption), step.caption  # negatives use the Unicode minus
        h, i, j = step.head, step.query, step.key
        # A cell caption ends with its result: '= −0.35', or '≈ −0.35 (from the unrounded
        # numbers)'; a third decimal only where two would not add up.
        result = re.findall(r"[=≈] (−?\d+\.\d+)", re.sub(r" \([^()]*\)\.?$", "", step.caption))
        if step.kind == "dot":
            assert result[-1] in (fmt(trace.scores[h, i, j]), fmt(trace.scores[h, i, j], 3))
        elif step.kind == "softmax":
            assert step.caption.startswith(("α(", f"Head {h + 1}: α("))
            if not trace.mask[i, j]:
                assert result[-1] in (fmt(trace.weights[h, i, j]), fmt(trace.weights[h, i, j], 3))
