"""Measure the RNN against attention in a worker thread: the window never freezes while it runs.

A QObject moved to its own QThread, not a QRunnable in the global QThreadPool:
the measurement belongs to one page, which must be able to cancel it and join
its thread when it closes (a pooled runnable can be cancelled but not joined on
its own, only the whole shared pool can be waited for). The numbers are NumPy
products, which release the GIL, and the loop is short Python steps, so the
GUI thread keeps painting while it runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from explainer.scenes import SIZES, TimingPoint, measure_timings

__all__ = ["Measure", "TimingWorker"]

Measure = Callable[..., list[TimingPoint]]  # measure_timings's signature: sizes, progress=, cancelled=


class _Run(QObject):
    """The part that lives in the worker thread: one call of ``measure``."""

    progress = Signal(int, int)
    done = Signal(object, bool)  # the points, and whether the run was cancelled

    def __init__(self, measure: Measure, sizes: Sequence[int], stop: threading.Event) -> None:
        super().__init__()
        self.measure, self.sizes, self.stop = measure, tuple(sizes), stop

    @Slot()
    def run(self) -> None:
        points = self.measure(self.sizes, progress=self.progress.emit, cancelled=self.stop.is_set)
        self.done.emit(points, self.stop.is_set())


class TimingWorker(QObject):
    """Runs ``measure`` (by default :func:`~explainer.scenes.measure_timings`) once, in a thread of its own.

    Signals (delivered in the thread that made the worker, the GUI thread):
    ``progress(done, total)`` after each size; ``finished(points)`` with the
    list of :class:`~explainer.scenes.TimingPoint` when every size is measured;
    ``cancelled()`` when :meth:`cancel` stopped it first.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    cancelled = Signal()

    def __init__(self, measure: Measure = measure_timings, sizes: Sequence[int] = SIZES) -> None:
        super().__init__()
        self.measure, self.sizes = measure, tuple(sizes)
        self._stop = threading.Event()
        self._thread: QThread | None = None
        self._run: _Run | None = None
        app = QCoreApplication.instance()
        if app is not None:  # quitting the app joins the thread too
            app.aboutToQuit.connect(self.stop)

    @property
    def total(self) -> int:
        return len(self.sizes)

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self) -> None:
        """Start measuring (nothing happens if a measurement is under way)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = QThread()
        self._run = _Run(self.measure, self.sizes, self._stop)
        self._run.moveToThread(self._thread)
        self._thread.started.connect(self._run.run)
        self._run.progress.connect(self.progress)
        self._run.done.connect(self._on_done)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the measurement to stop before its next size (``cancelled`` follows)."""
        self._stop.set()

    def stop(self) -> None:
        """Cancel and join the thread now (the page closes): no signal is emitted afterwards."""
        self._stop.set()
        if self._run is not None:
            self._run.progress.disconnect(self.progress)
            self._run.done.disconnect(self._on_done)
        self._join()

    def _join(self) -> None:
        # The run object and its thread stay referenced until the thread has ended: freed
        # while ``run`` is still executing in the worker, it takes the process down.
        thread, run = self._thread, self._run
        if thread is not None:
            thread.quit()
            thread.wait()
        self._thread, self._run = None, None
        del run

    @Slot(object, bool)
    def _on_done(self, points: list[TimingPoint], was_cancelled: bool) -> None:
        self._join()
        if was_cancelled:
            self.cancelled.emit()
        else:
            self.finished.emit(points)
