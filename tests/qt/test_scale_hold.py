"""Editing one value does not recolour the cells it did not touch until the edit ends.

While a drag (or a run of wheel notches) in the weight editor goes on, every
diverging colour scale stays as it was when the edit began: untouched cells keep
their colour on screen, the edited cell saturates past the held range. On release
the scales fit the new values and every cell takes its new colour at once. A typed
value (Enter) is an edit that ends at once: it recolours straight away.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import Snapshot, close, rgb, type_into
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QApplication
from test_weight_editor import cell_centre, send_mouse, send_wheel

from explainer.model import AttentionModel
from explainer.qt.editors.scrub import DRAG_STEP
from explainer.qt.style import LIGHT, ColorScale, diverging_for, hold_scales, release_scales

W_Q_TAB, X_KV_TAB = 2, 1
LEFT, NONE = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton


@pytest.fixture
def window(open_window):
    """seed-translate at its last step (every panel filled in) with the weight editor open."""
    win = open_window("seed-translate")
    win.player.last()
    win.docks.weights.show()
    return win


def press_and_drag(window, name, cell, pixels_up):
    """Press on ``cell`` of the editor's table and drag it ``pixels_up`` up; the button stays down."""
    viewport = window.weight_editor.views[name].viewport()
    start = cell_centre(window.weight_editor, name, *cell)
    assert viewport.rect().contains(start.toPoint()), f"{name}{cell} is not on screen in the editor"
    send_mouse(viewport, QEvent.Type.MouseButtonPress, start, LEFT, LEFT)
    base = start - QPointF(0, 2 * QApplication.startDragDistance())  # the drag starts here, from the value
    send_mouse(viewport, QEvent.Type.MouseMove, base, NONE, LEFT)
    for step in range(1, 11):
        send_mouse(viewport, QEvent.Type.MouseMove, base - QPointF(0, pixels_up * step / 10), NONE, LEFT)
    return viewport, base - QPointF(0, pixels_up)


def release(viewport, where):
    send_mouse(viewport, QEvent.Type.MouseButtonRelease, where, LEFT, NONE)


def fitted(values) -> ColorScale:
    """The scale that fits ``values`` (what diverging_for gives without a hold), computed here."""
    bound = float(np.max(np.abs(values[np.isfinite(values)])))
    return ColorScale(LIGHT.diverging, -bound, bound)


def colours(snapshot, item, cells):
    return {cell: rgb(snapshot.cell(item, cell)) for cell in cells}


def w_q_matrix(window):
    _which, _x, w_item, q_item, *_ = window.projections.rows[0]
    return w_item, q_item


def test_dragging_a_weight_keeps_the_other_cells_colours_until_release(qtbot, window):
    model = window.model
    window.weight_editor.tabs.setCurrentIndex(W_Q_TAB)
    w_item, q_item = w_q_matrix(window)
    w_q = np.array(model.trace.w_q[0])
    # Drag the largest |weight| further out: the range, and so every colour, must change.
    dragged = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(w_q)), w_q.shape))
    untouched = [(r, c) for r in range(w_q.shape[0]) for c in range(w_q.shape[1]) if (r, c) != dragged]
    before = colours(Snapshot(window.projections), w_item, untouched)
    old = fitted(w_q).rgba(w_q)
    assert all(close(before[cell], old[cell]) for cell in untouched), "the test starts from the true colours"
    q_before = np.array(model.trace.q[0])
    q_untouched = [
        (r, c) for r in range(q_before.shape[0]) for c in range(q_before.shape[1]) if c != dragged[1]
    ]
    q_colours = colours(Snapshot(window.projections), q_item, q_untouched)

    pixels = 60 * (1 if w_q[dragged] > 0 else -1)  # 0.6 further from 0
    target = round(w_q[dragged] + pixels * DRAG_STEP, 4)
    viewport, where = press_and_drag(window, "w_q", dragged, pixels)
    qtbot.waitUntil(lambda: model.params["w_q"][0][dragged] == pytest.approx(target))

    mid = Snapshot(window.projections)
    moved = {
        cell: rgb(mid.cell(w_item, cell))
        for cell in untouched
        if not close(mid.cell(w_item, cell), before[cell])
    }
    assert not moved, f"mid-drag, untouched W_Q cells changed colour: {moved}"
    end = fitted(w_q).rgba(np.array([np.sign(target) * np.inf]))[0]  # the held scale's end
    assert close(mid.cell(w_item, dragged), end), "the dragged cell saturates past the held range"
    q_moved = [cell for cell in q_untouched if not close(mid.cell(q_item, cell), q_colours[cell])]
    assert not q_moved, f"mid-drag, Q cells whose values did not change recoloured: {q_moved}"

    release(viewport, where)
    new_w_q = model.trace.w_q[0]
    fresh = fitted(new_w_q).rgba(new_w_q)
    after = Snapshot(window.projections)
    wrong = [cell for cell in untouched if not close(after.cell(w_item, cell), fresh[cell])]
    assert not wrong, f"after release, W_Q cells not in the new scale's colours: {wrong}"
    assert any(not close(after.cell(w_item, cell), before[cell]) for cell in untouched), "the range grew"


def test_dragging_an_embedding_keeps_the_other_score_columns_until_release(qtbot, window):
    # The scores panel colours its own copy of the unmasked scores: held by where it asks.
    model = window.model
    window.weight_editor.tabs.setCurrentIndex(X_KV_TAB)
    matrix = window.scores.matrix
    scores = np.array(matrix.values)
    key = int(np.unravel_index(np.argmax(np.abs(scores)), scores.shape)[1])
    others = [(r, c) for r in range(scores.shape[0]) for c in range(scores.shape[1]) if c != key]
    before = colours(Snapshot(window.scores), matrix, others)

    target = round(model.params["x_kv"][key, 0] + 150 * DRAG_STEP, 4)
    viewport, where = press_and_drag(window, "x_kv", (key, 0), 150)
    qtbot.waitUntil(lambda: model.params["x_kv"][key, 0] == pytest.approx(target))
    other_keys = [c for c in range(scores.shape[1]) if c != key]
    assert np.array_equal(np.array(matrix.values)[:, other_keys], scores[:, other_keys]), "untouched values"
    assert not np.array_equal(np.array(matrix.values)[:, key], scores[:, key]), "the key's column changed"
    mid = Snapshot(window.scores)
    moved = [cell for cell in others if not close(mid.cell(matrix, cell), before[cell])]
    assert not moved, f"mid-drag, score cells of other keys changed colour: {moved}"

    release(viewport, where)
    values = np.array(matrix.values)
    fresh = fitted(values).rgba(values)
    after = Snapshot(window.scores)
    wrong = [cell for cell in others if not close(after.cell(matrix, cell), fresh[cell])]
    assert not wrong, f"after release, score cells not in the new scale's colours: {wrong}"
    assert fitted(values).high != fitted(scores).high, "the range changed"


def test_a_run_of_wheel_notches_holds_the_scales_until_it_pauses(qtbot, window):
    model = window.model
    window.weight_editor.tabs.setCurrentIndex(W_Q_TAB)
    w_item, _q = w_q_matrix(window)
    w_q = np.array(model.trace.w_q[0])
    dragged = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(w_q)), w_q.shape))
    untouched = [(r, c) for r in range(w_q.shape[0]) for c in range(w_q.shape[1]) if (r, c) != dragged]
    before = colours(Snapshot(window.projections), w_item, untouched)
    viewport = window.weight_editor.views["w_q"].viewport()
    notches = 8 if w_q[dragged] > 0 else -8  # 0.4 further from 0
    send_wheel(viewport, cell_centre(window.weight_editor, "w_q", *dragged), notches)
    qtbot.waitUntil(lambda: model.params["w_q"][0][dragged] != w_q[dragged])

    mid = Snapshot(window.projections)
    assert all(close(mid.cell(w_item, cell), before[cell]) for cell in untouched)

    new_w_q = model.trace.w_q[0]
    fresh = fitted(new_w_q).rgba(new_w_q)
    qtbot.waitUntil(  # the run ends when the wheel rests (WHEEL_IDLE_MS)
        lambda: all(
            close(Snapshot(window.projections).cell(w_item, cell), fresh[cell]) for cell in untouched
        ),
        timeout=3000,
    )
    assert any(not close(fresh[cell], before[cell]) for cell in untouched)


def test_a_typed_value_recolours_at_once(qtbot, window):
    model = window.model
    window.weight_editor.tabs.setCurrentIndex(W_Q_TAB)
    w_item, _q = w_q_matrix(window)
    type_into(qtbot, window.weight_editor.views["w_q"], 0, 0, "3")
    new_w_q = model.trace.w_q[0]
    assert new_w_q[0, 0] == 3.0
    fresh = fitted(new_w_q).rgba(new_w_q)
    after = Snapshot(window.projections)
    cells = [(r, c) for r in range(new_w_q.shape[0]) for c in range(new_w_q.shape[1])]
    assert all(close(after.cell(w_item, cell), fresh[cell]) for cell in cells)


# ---------------------------------------------------------------- the hold itself
def test_a_hold_gives_each_place_its_scale_from_before_the_edit():
    model = AttentionModel.from_preset("seed-causal")  # two heads: the same shape in two places
    before = model.trace
    hold_scales(model)
    try:
        model.set_value("w_q", (1, 0, 0), 9.0)
        model.set_value("w_k", (0, 0, 0), -7.0)
        after = model.trace
        for name in ("w_q", "w_k", "w_v", "q", "k"):
            for head in range(2):
                held = diverging_for(getattr(after, name)[head], LIGHT).high
                assert held == diverging_for_before(before, name, head), (name, head)
        # The transpose is a place of its own, with its own held scale.
        assert diverging_for(after.v[1].T, LIGHT).high == np.max(np.abs(before.v[1]))
    finally:
        release_scales()
    assert diverging_for(model.trace.w_q[1], LIGHT).high == 9.0


def diverging_for_before(trace, name, head):
    return float(np.max(np.abs(getattr(trace, name)[head])))


def test_holds_nest_and_only_the_last_release_rescales():
    model = AttentionModel.from_preset("seed-translate")
    hold_scales(model)
    hold_scales(model)
    model.set_value("w_o", (0, 0), 50.0)
    release_scales()
    assert diverging_for(model.trace.w_o, LIGHT).high == 1.0  # still held
    release_scales()
    assert diverging_for(model.trace.w_o, LIGHT).high == 50.0
