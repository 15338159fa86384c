"""Timeline benchmarks: sampling a frame, and building the walkthrough of a BERT-sized layer.

Run with ``python -m pytest benchmarks/test_timeline_bench.py --benchmark-only``.
"""

from __future__ import annotations

import pytest

from explainer.animation import DEFAULT_DETAIL, Timeline
from explainer.model import AttentionModel, Trace
from explainer.model.presets import DEFAULT_PRESET


@pytest.fixture(scope="module")
def preset_timeline() -> Timeline:
    """The default preset (seed-translate) in the default detail mode (first-query)."""
    trace = AttentionModel.from_preset(DEFAULT_PRESET).trace
    return Timeline.from_trace(trace, detail=DEFAULT_DETAIL)


@pytest.fixture(scope="module")
def bert_trace() -> Trace:
    """One BERT-base-like attention layer on 32 tokens: d_model 384, 12 heads of d_k 32."""
    tokens = [f"t{i}" for i in range(32)]
    return AttentionModel(tokens, d_model=384, d_k=32, n_heads=12).trace


@pytest.fixture(scope="module")
def bert_timeline(bert_trace: Trace) -> Timeline:
    return Timeline.from_trace(bert_trace, detail="first-query")


def _sweep(timeline: Timeline, frames: int = 10):
    """Sample ``frames`` instants spread over the timeline: a frame's worth of work each."""
    times = [k * timeline.duration / (frames - 1) for k in range(frames)]
    return lambda: [timeline.state_at(t) for t in times]


def test_state_at_default_preset(benchmark, preset_timeline):
    t = preset_timeline.duration * 0.37
    state = benchmark(preset_timeline.state_at, t)
    assert state.t == t


def test_state_at_default_preset_sweep_10_frames(benchmark, preset_timeline):
    states = benchmark(_sweep(preset_timeline))
    assert states[-1].index == len(preset_timeline.steps) - 1


def test_build_timeline_bert_first_query(benchmark, bert_trace):
    timeline = benchmark(Timeline.from_trace, bert_trace, detail="first-query")
    # 12 heads × (3 projections + 3 stages × (32 cells + 31 rows) + scale) + embed + concat + output
    assert len(timeline.steps) == 1 + 12 * (3 + 3 * 63 + 1) + 2


def test_state_at_bert(benchmark, bert_timeline):
    t = bert_timeline.duration * 0.37
    state = benchmark(bert_timeline.state_at, t)
    assert state.highlighted["scores"].shape == (12, 32, 32)


def test_state_at_bert_sweep_10_frames(benchmark, bert_timeline):
    states = benchmark(_sweep(bert_timeline))
    assert len(states) == 10
