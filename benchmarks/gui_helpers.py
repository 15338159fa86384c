"""What the GUI benchmarks share: the frame time, painting every view now, a row step's frames,
a camera move's frames in the presenter view, the 95th percentile of the rounds, and the script
that times ``python main.py ARGS`` to its first paint in a new process."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from explainer.animation.presenter import camera_progress
from explainer.qt.main_window import MainWindow
from explainer.qt.player import Player

FRAME = 1 / 60


def repaint_all(window: MainWindow) -> None:
    """Paint every visible view now (panels, heads overview, caption, transport), as the screen would."""
    for panel in [*window.panels, window.heads]:
        if panel.isVisible():
            panel.view.viewport().repaint()
    window.caption.repaint()
    window.transport.repaint()


def row_step_frames(player: Player) -> tuple[int, Iterator[float]]:
    """The 60 Hz frame times of a weighted-sum row step (the second query's if it has one), endlessly.

    seed-translate works its second query ("hate") key by key: it has no row step of its own.
    """
    rows = [
        k
        for k, step in enumerate(player.timeline.steps)
        if step.kind == "weighted_sum" and step.query is not None and step.key is None
    ]
    index = next((k for k in rows if player.timeline.steps[k].query == 1), rows[-1])
    start, duration = player.timeline.start(index), player.timeline.steps[index].duration
    return index, itertools.cycle(start + k * FRAME for k in range(int(duration / FRAME)))


def camera_move_frames(player: Player, kind: str) -> tuple[int, list[float]]:
    """The first step of ``kind`` and the 60 Hz frame times of its camera move (its first moments).

    In the presenter view the layout blends from the previous step's into this
    one's over those frames: every panel changes geometry and repaints.
    """
    steps = player.timeline.steps
    index = next(k for k, step in enumerate(steps) if step.kind == kind)
    start, duration = player.timeline.start(index), steps[index].duration
    moving = itertools.takewhile(lambda k: camera_progress(k * FRAME, duration) < 1.0, itertools.count())
    return index, [start + k * FRAME for k in moving]


def show_view(window: MainWindow, view: str) -> None:
    """The board in ``view`` ("presenter" or "overview"), settled; the user's settings untouched.

    ``window.set_view`` would also remember the view for the next start. The
    columns or stage the board leaves are deleted later, by an event loop the
    benchmarks do not run: delete them now, or every repaint would paint them too.
    """
    window.board.set_view(view)
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def record_p95(benchmark) -> None:
    """The median and 95th percentile of the rounds (ms) in ``extra_info``, printed with ``-s``."""
    data = np.asarray(benchmark.stats.stats.data) * 1000
    median, p95 = float(np.median(data)), float(np.percentile(data, 95))
    benchmark.extra_info.update(median_ms=round(median, 2), p95_ms=round(p95, 2))
    print(f"\nmedian {median:.1f} ms, p95 {p95:.1f} ms, max {data.max():.1f} ms")


# The runner puts START (time.perf_counter() at the script's start) and ARGS before it.
# Quits as soon as a panel has painted once, so the process time is start-up to first paint.
FIRST_PAINT = """
import runpy, sys, time
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from explainer.qt.app import application

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched.parent(), pg.GraphicsView):
            if not hasattr(self, "at"):
                self.at = time.perf_counter()
                QTimer.singleShot(0, application().quit)
        return False

first_paint = FirstPaint()
application().installEventFilter(first_paint)
sys.argv = ["main.py", *ARGS]
try:
    runpy.run_path("main.py", run_name="__main__")
finally:
    print(f"first paint {first_paint.at - START:.3f} s after the script started", file=sys.stderr)
"""
