"""Timings measured in a worker thread: progress, real points, cancel, and a clean join on close."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication
from scene_helpers import close

from explainer.qt.scenes import ScenePage, TimingWorker
from explainer.qt.style import Appearance
from explainer.scenes import TimingPoint, measure_timings

SMALL = (8, 16, 32)


def quick(sizes, progress=None, cancelled=None):
    return measure_timings(sizes, repeats=1, progress=progress, cancelled=cancelled)


def test_the_worker_reports_progress_and_real_points(qtbot):
    worker = TimingWorker(quick, SMALL)
    progress = []
    worker.progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(worker.finished, timeout=10000) as finished:
        worker.start()
    points = finished.args[0]
    assert [type(p) for p in points] == [TimingPoint] * 3
    assert [p.n for p in points] == list(SMALL)
    assert all(p.rnn_seconds > 0 and p.attention_seconds > 0 for p in points)
    qtbot.waitUntil(lambda: progress == [(1, 3), (2, 3), (3, 3)], timeout=2000)
    assert not worker.is_running()


def gated(gate: threading.Event, reached: threading.Event):
    """A measurement that stops after its first size until ``gate`` opens."""

    def measure(sizes, progress=None, cancelled=None):
        def after(done, total):
            progress(done, total)
            reached.set()
            gate.wait(10)

        return measure_timings(sizes, repeats=1, progress=after, cancelled=cancelled)

    return measure


def test_a_cancelled_measurement_stops_and_says_so(qtbot):
    gate, reached = threading.Event(), threading.Event()
    worker = TimingWorker(gated(gate, reached), SMALL)
    finished = []
    worker.finished.connect(finished.append)
    worker.start()
    assert reached.wait(10)
    with qtbot.waitSignal(worker.cancelled, timeout=10000):
        worker.cancel()
        gate.set()
    assert finished == [] and not worker.is_running()


def test_stop_joins_the_thread_and_nothing_follows(qtbot):
    gate, reached = threading.Event(), threading.Event()
    worker = TimingWorker(gated(gate, reached), SMALL)
    heard = []
    worker.finished.connect(heard.append)
    worker.cancelled.connect(lambda: heard.append("cancelled"))
    worker.start()
    assert reached.wait(10)
    gate.set()
    worker.stop()  # returns once the thread has ended
    assert not worker.is_running()
    QApplication.processEvents()
    assert heard == []


def test_the_rnn_page_measures_when_shown_with_a_progress_bar(qtbot):
    gate, reached = threading.Event(), threading.Event()
    page = ScenePage("rnn-vs-attention", Appearance(), measure=gated(gate, reached))
    page.worker.sizes = SMALL
    try:
        page.resize(1280, 720)
        assert page.progress.isHidden()
        page.show()
        qtbot.waitExposed(page)
        assert page.progress.isVisible()
        assert reached.wait(10)
        qtbot.waitUntil(lambda: page.progress.text() == "Measuring on this machine… 1 / 3", timeout=2000)
        with qtbot.waitSignal(page.timings_ready, timeout=10000) as ready:
            gate.set()
        assert [p.n for p in ready.args[0]] == list(SMALL)
        assert page.progress.isHidden()
        x, _ = page.view.chart.rnn_curve.getOriginalDataset()
        assert list(x) == list(SMALL)
        page.hide()
        page.show()
        assert not page.worker.is_running()  # measured once
    finally:
        close(page)


def test_closing_the_page_while_measuring_joins_the_thread(qtbot):
    gate, reached = threading.Event(), threading.Event()
    page = ScenePage("rnn-vs-attention", Appearance(), measure=gated(gate, reached))
    page.show()
    assert reached.wait(10)
    gate.set()
    worker = page.worker
    close(page)
    assert not worker.is_running()
