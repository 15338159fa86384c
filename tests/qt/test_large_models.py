"""A model of a real layer's size: heads overview, zoom and pan, big matrices drawn right."""

import numpy as np
from helpers import Snapshot, click, close
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from explainer.model import AttentionModel
from explainer.qt.app import build_window, dispose
from explainer.qt.style import LIGHT, weights_scale


def big_window(qtbot, n_heads=12):
    model = AttentionModel([f"w{i}" for i in range(24)], d_model=384, d_k=32, n_heads=n_heads)
    window = build_window(model)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.player.last()
    QApplication.processEvents()  # lay out the docks before the test points at them
    return window


def test_many_heads_open_the_overview_and_a_click_there_picks_the_head(qtbot):
    window = big_window(qtbot)
    try:
        heads = window.heads
        assert window.docks.heads.isVisible()  # 12 heads: the overview shows itself
        assert len(heads.maps) == 12
        trace = window.model.trace
        for h, item in enumerate(heads.maps):
            np.testing.assert_array_equal(item.values, trace.weights[h])
        # A click on head 7's map shows head 7 everywhere.
        click(qtbot, heads, heads.maps[6], (3, 3), until=lambda: window.focus.head == 6)
        np.testing.assert_allclose(window.scores.displayed(trace, window.player.state)[0], trace.scaled[6])
        assert heads.maps[6].focus_lit.all() and not heads.maps[0].focus_lit.any()
        assert window.transport.head.currentIndex() == 6
    finally:
        dispose(window)


def test_a_big_matrix_is_drawn_with_the_colours_of_its_values(qtbot):
    window = big_window(qtbot, n_heads=2)
    try:
        softmax = window.softmax
        snapshot = Snapshot(softmax)
        scale = weights_scale(LIGHT)
        weights = window.model.trace.weights[window.focus.head]
        for cell in [(0, 0), (5, 17), (23, 23), (12, 3)]:
            expected = scale.rgba(weights[cell])
            got = snapshot.cell(softmax.matrix, cell, at=(0.5, 0.5))
            assert close(got, expected), cell
    finally:
        dispose(window)


def test_the_wheel_zooms_a_panel_and_a_double_click_fits_it_again(qtbot):
    window = big_window(qtbot, n_heads=2)
    try:
        panel = window.projections
        before = panel.box.viewRect()
        centre = panel.view.viewport().rect().center()
        for _ in range(3):
            qtbot.wait(1)
            _wheel(panel.view.viewport(), centre, 120)
        zoomed = panel.box.viewRect()
        assert zoomed.width() < before.width() * 0.9  # zoomed in
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        after = panel.box.viewRect()
        assert abs(after.width() - before.width()) < before.width() * 0.01
    finally:
        dispose(window)


def _wheel(widget, pos: QPoint, delta: int) -> None:
    event = QWheelEvent(
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_a_384_wide_product_is_squeezed_to_a_readable_shape_and_still_links(qtbot):
    window = big_window(qtbot, n_heads=2)
    try:
        panel = window.projections
        _which, x_item, w_item, q_item, _times, _equals = panel.rows[0]
        # X (24 × 384) · W_Q (384 × 32) = Q (24 × 32): on screen all three are at most 32 units.
        for item in (x_item, w_item, q_item):
            shown = item.mapRectToParent(QRectF(0, 0, item.values.shape[1], item.values.shape[0]))
            assert shown.width() <= 32.01 and shown.height() <= 32.01
        assert x_item.values.shape == (24, 384) and w_item.values.shape == (384, 32)
        # A click on Q's row 8 picks that token; the squeezed X lights the same row.
        click(qtbot, panel, q_item, (7, 3), until=lambda: window.focus.query == 7)
        assert x_item.focus_lit[7].all() and not x_item.focus_lit[5].any()
    finally:
        dispose(window)
