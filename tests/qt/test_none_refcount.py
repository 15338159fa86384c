"""Regression test for a PySide6 bug that crashes long lectures.

PySide6 6.12.0 on CPython 3.11 releases one reference to ``None`` too many:
-9 per ``QWidget.grab()``, -1 per pyqtgraph ``ImageItem.setImage`` and -1 per
``QApplication.processEvents()``. ``None``'s refcount then reaches zero after a
few thousand repaints and the interpreter aborts with "Fatal Python error:
none_dealloc". This is why pyproject.toml pins PySide6-Essentials; this test
fails if an upgrade brings the leak back. Since CPython 3.12 ``None`` is
immortal (PEP 683), its refcount cannot drop and the test is skipped.
"""

import sys

import numpy as np
import pyqtgraph as pg
import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from explainer.qt.app import dispose

REPAINTS = 300
# A healthy build (6.10.3) leaves the count unchanged, give or take a few cached
# references; 6.12.0 drops it by 3000 over these 300 repaints.
ALLOWED_DROP = 50


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal since CPython 3.12")
def test_repaints_do_not_release_none(qapp):
    plot = pg.PlotWidget()
    image = pg.ImageItem()
    plot.addItem(image)
    plot.resize(320, 240)
    plot.show()
    rng = np.random.default_rng(0)
    try:
        # One warm-up repaint so lazily created objects do not count as drift.
        image.setImage(rng.random((8, 8)))
        plot.grab()
        QApplication.processEvents()
        before = sys.getrefcount(None)
        for _ in range(REPAINTS):
            image.setImage(rng.random((8, 8)))
            plot.grab()
            QApplication.processEvents()
        drop = before - sys.getrefcount(None)
    finally:
        dispose(plot)
    assert not shiboken6.isValid(plot), "the PlotWidget must be deleted, not left for interpreter exit"
    assert drop <= ALLOWED_DROP, f"sys.getrefcount(None) fell by {drop} over {REPAINTS} repaints"
