"""Presenter-view benchmarks (issue 11's speed targets; measured, not asserted).

Run with ``python -m pytest benchmarks/test_presenter_bench.py --benchmark-only -s``. Targets:

- a frame of a camera move at 1920×1080 (seek, every view redrawn and repainted)
  within one 60 Hz frame, 16.7 ms, median and 95th percentile (``extra_info``);
- export at 1280×720 in the presenter view ≥ 60 frames/s end to end (render and
  MP4 encoding, the whole seed-translate walkthrough), beside the overview.

In the presenter view a step's panels fill the board; over the first moments of
a step whose layout differs from the previous one's (the first dot product, the
first softmax row, the first weighted sum) the layout blends into the new one, so
every panel changes geometry and repaints on each frame of the move.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest
from gui_helpers import camera_move_frames, record_p95, repaint_all, show_view
from PySide6.QtWidgets import QApplication

from explainer.export import FrameSchedule, Pacing, export_video, probe
from explainer.model import Document
from explainer.qt.app import application, build_window, dispose
from explainer.qt.application import settle_memory
from explainer.qt.main_window import MainWindow
from explainer.qt.offscreen import FrameRenderer

SIZE = (1920, 1080)
# The first step of each stage whose layout is not the previous step's.
MOVES = ("dot", "softmax", "weighted_sum")
EXPORT_SIZE, EXPORT_FPS = (1280, 720), 30.0


@pytest.fixture(scope="module")
def app() -> QApplication:
    return application()


def open_window(preset: str, view: str) -> MainWindow:
    window = build_window(Document.from_preset(preset))
    window.resize(*SIZE)
    window.show()
    QApplication.processEvents()
    settle_memory()  # as the app does once its window shows (explainer.qt.app.run_app)
    show_view(window, view)
    return window


@pytest.fixture(params=["seed-translate", "seed-causal"])
def preset(request) -> str:
    return request.param


@pytest.fixture
def presenter(app, preset) -> Iterator[MainWindow]:
    window = open_window(preset, "presenter")
    yield window
    dispose(window)


def run_move(benchmark, window: MainWindow, kind: str, paint) -> None:
    """Each frame of the camera move into the first ``kind`` step, twice over: seek, then ``paint``."""
    player = window.player
    index, times = camera_move_frames(player, kind)
    frames = itertools.cycle(times)

    def frame() -> None:
        player.seek(next(frames))
        paint()

    benchmark.pedantic(frame, rounds=2 * len(times), iterations=1, warmup_rounds=3)
    record_p95(benchmark)
    assert player.index == index
    assert player.state.step.kind == kind


@pytest.mark.parametrize("kind", MOVES)
def test_camera_move_frame(benchmark, presenter, kind):
    """A frame of a camera move at 1920×1080: seek (layout placed, every panel redrawn), every view repainted.

    Every view is forced to repaint, as in the other GUI benchmarks (the worst
    case). The panels whose geometry changed are painted twice here: the first
    forced repaint paints what the move left dirty, then each view is painted again.
    """
    run_move(benchmark, presenter, kind, lambda: repaint_all(presenter))


@pytest.mark.parametrize("kind", MOVES)
def test_camera_move_frame_as_the_app_paints(benchmark, presenter, kind):
    """The same frames as the app runs them: seek, then the event loop paints what changed, once."""
    run_move(benchmark, presenter, kind, QApplication.processEvents)


@pytest.mark.parametrize("kind", MOVES)
def test_same_frames_in_the_overview(benchmark, app, preset, kind):
    """For comparison: the same instants in the overview (nothing moves), every view repainted."""
    window = open_window(preset, "overview")
    try:
        run_move(benchmark, window, kind, lambda: repaint_all(window))
    finally:
        dispose(window)


@pytest.mark.parametrize("view", ["presenter", "overview"])
def test_export_walkthrough_mp4(benchmark, tmp_path, view):
    """The whole seed-translate walkthrough to MP4 at 1280×720, 30 fps, as the export runs it.

    Offscreen frames from ``FrameRenderer(view=...)`` through ``FrameSchedule``
    into ``export_video`` (ffmpeg encodes in its own process), renderer set-up included.
    """
    document = Document.from_preset("seed-translate")
    out = tmp_path / "walkthrough.mp4"
    seconds: list[float] = []
    frames = 0

    def run() -> None:
        nonlocal frames
        start = time.perf_counter()
        with FrameRenderer(document.model, size=EXPORT_SIZE, lesson=document.lesson, view=view) as renderer:
            timeline = renderer.timeline
            schedule = FrameSchedule(timeline, range(len(timeline.steps)), EXPORT_FPS, Pacing())
            pictures = ((renderer.render(state), count) for state, count in schedule.states())
            export_video(pictures, out, fps=EXPORT_FPS, total=schedule.frames, force=True)
            frames = schedule.frames
        seconds.append(time.perf_counter() - start)

    benchmark.pedantic(run, rounds=3, iterations=1)
    assert probe(out)["frames"] == frames
    rates = sorted(frames / s for s in seconds)
    benchmark.extra_info.update(
        frames=frames, frames_per_second=round(rates[len(rates) // 2], 1), best=round(rates[-1], 1)
    )
    print(
        f"\n{view}: {frames} frames at 1280x720, median {rates[len(rates) // 2]:.1f} frames/s "
        f"(runs: {', '.join(f'{rate:.1f}' for rate in rates)})"
    )
