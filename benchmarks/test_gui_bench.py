"""GUI benchmarks at 1280×800 (DESIGN performance targets; measured, not asserted).

Run with ``python -m pytest benchmarks/test_gui_bench.py --benchmark-only``. Targets:
edit → every panel repainted < 16 ms; one playback frame (seek + repaint) < 16.7 ms
(60 frames/s); window built, shown and painted < 1.5 s, and ``python main.py`` to its
first paint < 1.5 s.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import FIRST_PAINT, repaint_all, row_step_frames
from PySide6.QtWidgets import QApplication

from explainer.model import Document
from explainer.qt.app import application, build_window, dispose
from explainer.qt.application import settle_memory
from explainer.qt.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)


@pytest.fixture(scope="module")
def app() -> QApplication:
    return application()


def open_window(preset: str) -> MainWindow:
    """The window on a preset as ``python main.py`` opens it (the preset's name in the title)."""
    window = build_window(Document.from_preset(preset))
    window.resize(*SIZE)
    window.show()
    QApplication.processEvents()
    settle_memory()  # as the app does once its window shows (explainer.qt.app.run_app)
    return window


@pytest.fixture(params=["seed-translate", "seed-causal"])
def window(app, request) -> Iterator[MainWindow]:
    """The main window on a one-head (seed-translate) or a two-head (seed-causal) preset."""
    window = open_window(request.param)
    yield window
    dispose(window)


def test_edit_repaints_every_panel(benchmark, window):
    """A weight edit: recompute, every panel redraws its items, every view repaints."""
    window.player.last()  # everything revealed: the most to draw
    values = itertools.cycle([2.5, -1.0])

    def edit() -> None:
        window.model.set_value("w_q", (0, 0, 0), next(values))
        repaint_all(window)

    benchmark(edit)
    assert window.model.trace.w_q[0, 0, 0] in (2.5, -1.0)


def test_playback_frame(benchmark, window):
    """One 60 Hz frame of a weighted-sum row step: seek (every panel redraws) and repaint.

    A row step of the weighted sum animates the most at once: the α row and its
    bars, v_j and the shares, out_i growing, the output rows (and, with several
    heads, the projections' V and the output panel light up).
    """
    player = window.player
    index, frames = row_step_frames(player)

    def frame() -> None:
        player.seek(next(frames))
        repaint_all(window)

    benchmark(frame)
    assert player.index == index
    assert player.state.step.kind == "weighted_sum"


def test_playback_frame_as_the_app_paints(benchmark, window):
    """The same frames as the app runs them: seek, then Qt paints only what changed.

    ``test_playback_frame`` forces every view to repaint (the worst case); here
    the event loop repaints the items whose content changed, as on screen.
    """
    player = window.player
    index, frames = row_step_frames(player)

    def frame() -> None:
        player.seek(next(frames))
        QApplication.processEvents()

    benchmark(frame)
    assert player.index == index
    assert player.state.step.kind == "weighted_sum"


def test_window_shown(benchmark, app):
    """``build_window`` → shown and painted once (the event loop ran the first paint)."""
    windows: list[MainWindow] = []

    def show() -> None:
        windows.append(open_window("seed-translate"))

    try:
        benchmark.pedantic(show, rounds=5, iterations=1, warmup_rounds=1)
    finally:
        for window in windows:
            dispose(window)


def test_python_main_py_to_first_paint(benchmark):
    """The whole ``python main.py`` in a new process: interpreter, imports, window, first paint, exit."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    script = "import time; START = time.perf_counter()\nARGS = []\n" + FIRST_PAINT
    inside: list[str] = []

    def run() -> None:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        inside.append(f"{result.stderr.strip()} (process {time.perf_counter() - started:.3f} s)")

    benchmark.pedantic(run, rounds=3, iterations=1)
    benchmark.extra_info["first_paint"] = inside
    print("\n" + "\n".join(inside))
