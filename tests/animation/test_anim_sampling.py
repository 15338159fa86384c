"""Sampling a Timeline: deterministic, clamped, contiguous steps, tween progress."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from explainer.animation import DETAIL_MODES, FrameState, Timeline, ease_in_out_cubic, linear
from explainer.model import AttentionModel


def assert_same_state(a: FrameState, b: FrameState) -> None:
    assert (a.t, a.index, a.step, a.progress, a.eased) == (b.t, b.index, b.step, b.progress, b.eased)
    for flags in ("revealed", "appearing", "highlighted"):
        left, right = getattr(a, flags), getattr(b, flags)
        assert left.keys() == right.keys()
        for name in left:
            np.testing.assert_array_equal(left[name], right[name], err_msg=f"{flags}[{name}]")


def sample_times(timeline: Timeline, n: int = 37) -> list[float]:
    return [k * timeline.duration / (n - 1) for k in range(n)]


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_same_trace_and_t_give_the_same_state(preset_trace, detail):
    timeline = Timeline.from_trace(preset_trace, detail=detail)
    again = Timeline.from_trace(preset_trace, detail=detail)
    assert again.steps == timeline.steps
    for t in sample_times(timeline):
        assert_same_state(timeline.state_at(t), timeline.state_at(t))
        assert_same_state(timeline.state_at(t), again.state_at(t))


def test_same_preset_loaded_twice_gives_the_same_timeline():
    one = Timeline.from_trace(AttentionModel.from_preset("seed-causal").trace)
    two = Timeline.from_trace(AttentionModel.from_preset("seed-causal").trace)
    assert one.steps == two.steps and one.duration == two.duration
    for t in sample_times(one, 11):
        assert_same_state(one.state_at(t), two.state_at(t))


def test_changing_a_returned_state_does_not_change_the_next(translate):
    timeline = Timeline.from_trace(translate, detail="full")
    t = timeline.start(5)
    first = timeline.state_at(t)
    for flags in (first.revealed, first.appearing, first.highlighted):
        for array in flags.values():
            array[...] = ~array
    assert_same_state(timeline.state_at(t), Timeline.from_trace(translate, detail="full").state_at(t))


@pytest.mark.parametrize("t", [-1e-9, -1.0, -1e9, -math.inf])
def test_t_before_zero_is_clamped(translate, t):
    timeline = Timeline.from_trace(translate)
    state = timeline.state_at(t)
    assert state.t == 0.0 and state.index == 0 and state.progress == 0.0
    assert_same_state(state, timeline.state_at(0.0))


@pytest.mark.parametrize("extra", [1e-9, 1.0, 1e9, math.inf])
def test_t_after_the_end_is_clamped(translate, extra):
    timeline = Timeline.from_trace(translate)
    state = timeline.state_at(timeline.duration + extra)
    assert state.t == timeline.duration
    assert state.index == len(timeline.steps) - 1
    assert_same_state(state, timeline.state_at(timeline.duration))


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_steps_cover_the_timeline_contiguously(preset_trace, detail):
    timeline = Timeline.from_trace(preset_trace, detail=detail)
    steps = timeline.steps
    assert timeline.start(0) == 0.0
    for i in range(len(steps) - 1):
        assert timeline.start(i + 1) == pytest.approx(timeline.start(i) + steps[i].duration, abs=1e-9)
    end = timeline.start(len(steps) - 1) + steps[-1].duration
    assert timeline.duration == pytest.approx(end, abs=1e-9)
    assert timeline.duration == pytest.approx(math.fsum(s.duration for s in steps), abs=1e-9)


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_index_at_the_start_of_a_step_is_that_step(preset_trace, detail):
    timeline = Timeline.from_trace(preset_trace, detail=detail)
    for i, step in enumerate(timeline.steps):
        start = timeline.start(i)
        assert timeline.index_at(start) == i
        assert timeline.index_at(start + step.duration / 2) == i
        state = timeline.state_at(start)
        assert (state.index, state.step, state.progress) == (i, step, 0.0)
        if i:
            assert timeline.index_at(math.nextafter(start, -math.inf)) == i - 1


def test_index_at_clamps_and_start_clamps(translate):
    timeline = Timeline.from_trace(translate)
    last = len(timeline.steps) - 1
    assert timeline.index_at(-5.0) == 0
    assert timeline.index_at(timeline.duration + 5.0) == last
    assert timeline.start(-3) == 0.0
    assert timeline.start(last + 10) == timeline.start(last)


def test_progress_runs_from_zero_to_one_within_a_step(translate):
    timeline = Timeline.from_trace(translate, detail="full")
    i = 7
    start, duration = timeline.start(i), timeline.steps[i].duration
    for fraction in (0.0, 0.1, 0.25, 0.5, 0.9):
        state = timeline.state_at(start + fraction * duration)
        assert state.index == i
        assert state.progress == pytest.approx(fraction, abs=1e-9)
        assert state.eased == ease_in_out_cubic(state.progress)
    end = timeline.state_at(timeline.duration)
    assert end.progress == pytest.approx(1.0, abs=1e-9)
    assert end.eased == pytest.approx(1.0, abs=1e-9)


def test_progress_is_monotone_within_each_step(causal):
    timeline = Timeline.from_trace(causal)
    states = [timeline.state_at(t) for t in sample_times(timeline, 501)]
    for before, after in pairwise(states):
        assert after.index >= before.index
        if after.index == before.index:
            assert after.progress >= before.progress
            assert after.eased >= before.eased
        assert 0.0 <= after.progress <= 1.0 and 0.0 <= after.eased <= 1.0


def test_a_custom_easing_is_used(translate):
    timeline = Timeline(translate, "rows", easing=linear)
    state = timeline.state_at(timeline.start(3) + 0.3 * timeline.steps[3].duration)
    assert state.eased == pytest.approx(state.progress) == pytest.approx(0.3)
