"""The lecture's scenes: one exported frame at 1280×720, and the RNN-vs-attention timings.

Run with ``python -m pytest benchmarks/test_scene_bench.py --benchmark-only -s``. An
export renders one page offscreen per frame (the same widget as the window): at
30 fps, twice real time needs a frame in 16.7 ms. The frames walk the whole scene
(camera moves, words travelling), 120 of them spread over its duration.
"""

from __future__ import annotations

import itertools

import pytest
from gui_helpers import record_p95

from explainer.qt.application import application
from explainer.qt.scenes import ScenePage, render_scene_frame
from explainer.qt.style import Appearance
from explainer.scenes import SCENE_NAMES, measure_timings, scene_timeline


@pytest.mark.parametrize("name", SCENE_NAMES)
def test_one_exported_scene_frame_at_720p(benchmark, name):
    application()
    appearance = Appearance()
    page = ScenePage(name, appearance)
    timeline = scene_timeline(name)
    times = itertools.cycle(timeline.duration * k / 120 for k in range(120))
    try:
        benchmark.pedantic(
            lambda: render_scene_frame(page, timeline.state_at(next(times)), (1280, 720), appearance),
            rounds=120,
            iterations=1,
            warmup_rounds=3,
        )
        record_p95(benchmark)
    finally:
        page.shutdown()


def test_timing_the_rnn_against_attention(benchmark):
    """What the RNN scene measures when it opens, n = 8 … 1,024 (in a worker thread in the app)."""
    points = benchmark.pedantic(measure_timings, rounds=3, iterations=1)
    assert [p.n for p in points] == [8, 16, 32, 64, 128, 256, 512, 1024]
