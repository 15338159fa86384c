"""One learning iteration as the window runs it, plus the repaint of every view, at 1920×1080.

Run with ``python -m pytest benchmarks/test_learn_gui_bench.py --benchmark-only -s``. Target
(DESIGN.md): within one 60 Hz frame (16.7 ms) on every preset, so a run looks like an
animation. One round is what the dock's timer does each frame (a gradient step on the
model's weights, applied as one edit: every panel redraws, the dock's caption and loss
curve follow), then the paint: every view now (the panels, the caption, the transport,
the dock's read-outs and its curve), or as the app's event loop paints what changed.
Median and 95th percentile are printed and kept in ``extra_info``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from gui_helpers import record_p95, repaint_all, show_view
from PySide6.QtWidgets import QApplication

from explainer.model import AttentionModel, Document
from explainer.qt.app import application, build_window, dispose
from explainer.qt.application import settle_memory
from explainer.qt.learning.panel import MAX_ITERATIONS
from explainer.qt.main_window import MainWindow

FRAME_MS = 1000 / 60
SIZE = (1920, 1080)


@pytest.fixture(scope="module")
def app() -> QApplication:
    return application()


@pytest.fixture(
    params=[(p, v) for v in ("overview", "presenter") for p in AttentionModel.preset_names()],
    ids=lambda param: "-".join(param),
)
def learning_window(app, request) -> Iterator[MainWindow]:
    """A window on a preset at 1920×1080, the Learn dock shown, learning the preset's pattern from
    scrambled weights, paused so that the benchmark drives the frames."""
    preset, view = request.param
    window = build_window(Document.from_preset(preset))
    window.resize(*SIZE)
    window.show()
    show_view(window, view)
    learning = window.learning
    learning.dock.show()
    learning.use_preset_pattern()
    learning.scramble()
    learning.panel.iterations.setValue(MAX_ITERATIONS)  # the run must not end while it is timed
    learning.learner.step_once()  # opens the run (its undo group); the timer stays off
    QApplication.processEvents()
    settle_memory()  # as the app does once its window shows (explainer.qt.app.run_app)
    yield window
    dispose(window)


def test_one_iteration_and_every_view_repainted(benchmark, learning_window):
    """The worst case: every view painted now, whether its numbers changed or not."""
    learning = learning_window.learning
    learner, panel = learning.learner, learning.panel

    def frame() -> None:
        learner.tick()
        repaint_all(learning_window)
        for label in (panel.caption, panel.verdict):  # the dock's read-outs that change per iteration
            label.repaint()
        panel.curve.viewport().repaint()

    run(benchmark, frame, learning_window)


def test_one_iteration_as_the_app_paints(benchmark, learning_window):
    """The same iteration as the running app paints it: Qt repaints what changed (W_Q, W_K, Q, K,
    the scores, α, the weighted sum, the output, the caption, the curve), not the embeddings."""
    learner = learning_window.learning.learner

    def frame() -> None:
        learner.tick()
        QApplication.processEvents()

    run(benchmark, frame, learning_window)


def run(benchmark, frame: Callable[[], None], window: MainWindow) -> None:
    learner, panel = window.learning.learner, window.learning.panel
    benchmark.extra_info["target_ms"] = FRAME_MS
    benchmark.pedantic(frame, rounds=120, iterations=1, warmup_rounds=5)
    record_p95(benchmark)
    assert learner.progress is not None and learner.progress.iteration >= 120
    assert panel.caption.text().startswith(f"iteration {learner.progress.iteration}: loss ")
    assert learner.progress.losses[-1] < learner.progress.losses[0]
