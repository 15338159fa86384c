"""Switching from the presenter view to the overview before the window shows (a screenshot does)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from explainer.model import Document
from explainer.qt.app import build_window, dispose


def test_the_overview_fills_its_columns_when_chosen_before_the_window_shows(qtbot):
    window = build_window(Document.from_preset("seed-translate"))
    try:
        window.board.set_view("presenter")  # as a window whose last view was remembered
        window.resize(1280, 720)
        window.board.set_view("overview")
        window.show()
        qtbot.waitExposed(window)
        QApplication.processEvents()
        columns = window.board._container
        for name, panel in window.board.panels.items():
            if name == "output":
                continue
            column = panel.parentWidget()
            # The stage it left must not place it any more: the column's width, a real share of it.
            assert panel.width() == column.width(), name
            assert panel.height() >= 0.2 * columns.height(), name
    finally:
        dispose(window)
