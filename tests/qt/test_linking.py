"""Pointing at a score links every panel: q_i, k_j, v_j, α_ij and v_j's share of out_i.

The mouse is moved and clicked on the real viewport; pyqtgraph turns that into
hover and click events on the cell under the pointer.
"""

from __future__ import annotations

import helpers
import numpy as np
import pyqtgraph as pg
import pytest
from helpers import (
    Snapshot,
    cell_pos,
    cell_size_px,
    click,
    close,
    focused,
    hover,
    rgb,
    settle,
    settled_cell_pos,
)
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from explainer.qt.style import LIGHT


def only(shape, *lit) -> np.ndarray:
    """A boolean array of ``shape`` that is True exactly at the index expressions ``lit``."""
    flags = np.zeros(shape, dtype=bool)
    for index in lit:
        flags[index] = True
    return flags


def assert_linked(window, i: int, j: int) -> None:
    """Query i and key j are lit in every panel that shows them."""
    trace = window.model.trace
    n_q, n_k = trace.weights.shape[1:]
    assert (window.focus.query, window.focus.key) == (i, j)
    np.testing.assert_array_equal(window.scores.matrix.focus_lit, only((n_q, n_k), (i, j)))
    np.testing.assert_array_equal(window.softmax.matrix.focus_lit, only((n_q, n_k), (i, j)))
    embeddings = window.embeddings
    d = trace.d_model
    np.testing.assert_array_equal(embeddings.x_q.focus_lit, only((n_q, d), i))
    np.testing.assert_array_equal(embeddings.x_kv.focus_lit, only((n_k, d), j))
    # The one-row views stay on the step's query (what the caption speaks of), with
    # key j's bar, value column and share marked; a step about no query shows query i.
    step_query = window.player.state.step.query
    row = i if step_query is None else step_query
    assert window.softmax.bars.focused.tolist() == only(n_k, j).tolist()
    np.testing.assert_allclose(window.softmax.bars.values, trace.weights[0, row])
    ws = window.weighted_sum
    token = trace.query_tokens[row]
    assert ws.out.title == f"out_{token}"
    assert token in ws.alphas.title
    d_v = trace.d_v
    np.testing.assert_array_equal(ws.values.focus_lit, only((d_v, n_k), (slice(None), j)))
    np.testing.assert_array_equal(ws.shares.focus_lit, only((d_v, n_k), (slice(None), j)))
    np.testing.assert_allclose(ws.alphas.values[0], trace.weights[0, row])
    # Projections: the query's row of X_q and Q, the key's row of X_kv, K and V.
    for which, x, _w, out, *_ in window.projections.rows:
        row = i if which == "q" else j
        assert x.focus_lit[row].all() and x.focus_lit.sum() == x.focus_lit.shape[1], which
        assert out.focus_lit[row].all() and out.focus_lit.sum() == out.focus_lit.shape[1], which


def test_hovering_a_score_cell_lights_its_query_and_key_everywhere(open_window, qtbot):
    window = open_window("seed-translate")
    window.player.last()
    scores = window.scores
    hover(qtbot, scores, scores.matrix, (1, 3), focus=(1, 3))  # hate → kirai
    assert_linked(window, 1, 3)
    hover(qtbot, scores, scores.matrix, (2, 0), focus=(2, 0))  # this → kono
    assert_linked(window, 2, 0)


def test_hovering_never_changes_what_the_caption_and_one_row_views_speak_of(open_window, qtbot):
    """The last step works out "movie"'s sum: hovering "hate"'s row lights it, dashed, elsewhere,
    but the caption, the weighted sum and the softmax bars stay on "movie"."""
    window = open_window("seed-translate")
    window.player.last()
    caption = window.board.caption.text.text()
    ws = window.weighted_sum
    assert ws.out.title == "out_movie"
    hover(qtbot, window.scores, window.scores.matrix, (1, 3), focus=(1, 3))
    assert window.board.caption.text.text() == caption
    assert ws.out.title == "out_movie"
    np.testing.assert_allclose(window.softmax.bars.values, window.model.trace.weights[0, 3])
    assert window.scores.matrix.focus_lit[1, 3] and window.softmax.matrix.step_lit[3, 3]


def test_hovers_in_quick_succession_each_land(open_window, qtbot):
    """Every cell of a sweep lights up in turn, however fast the moves come.

    pyqtgraph drops a mouse move that comes within its rate limit (10 ms by
    default) of the previous one; with that limit on, this sweep loses cells.
    """
    assert pg.getConfigOption("mouseRateLimit") <= 0  # conftest's every_mouse_move_counts
    window = open_window("seed-translate")
    window.player.last()
    scores = window.scores
    settled_cell_pos(scores, scores.matrix, (0, 0))  # the last step's layout applied first
    seen: list[tuple[int | None, int | None]] = []
    window.focus.changed.connect(lambda: seen.append(focused(window)))
    viewport = scores.view.viewport()
    sweep = [(i, j) for i in range(4) for j in (range(4) if i % 2 == 0 else range(3, -1, -1))]
    for cell in sweep:  # back to back: no event processing, no wait between the moves
        qtbot.mouseMove(viewport, cell_pos(scores, scores.matrix, cell))
    assert seen == sweep
    # And through the helper, twice with nothing in between: both land.
    hover(qtbot, scores, scores.matrix, (1, 3), focus=(1, 3))
    hover(qtbot, scores, scores.matrix, (2, 0), focus=(2, 0))
    assert_linked(window, 2, 0)


def test_a_lost_hover_fails_the_helper_by_name(open_window, qtbot, monkeypatch):
    """The helper waits for the hover's effect: a move pyqtgraph drops cannot pass unseen."""
    window = open_window("seed-translate")
    window.player.last()
    scores = window.scores
    hover(qtbot, scores, scores.matrix, (1, 3), focus=(1, 3))
    monkeypatch.setattr(helpers, "POINTER_TIMEOUT_MS", 200)
    pg.setConfigOption("mouseRateLimit", 0.001)  # one move per 1000 s: the next one is dropped
    try:
        with pytest.raises(qtbot.TimeoutError):
            hover(qtbot, scores, scores.matrix, (2, 0), focus=(2, 0))
    finally:
        pg.setConfigOption("mouseRateLimit", 0)
    assert focused(window) == (1, 3)


def test_clicking_a_score_cell_lights_its_query_and_key_everywhere(open_window, qtbot):
    window = open_window("seed-translate")
    window.player.last()
    click(qtbot, window.scores, window.scores.matrix, (3, 1), focus=(3, 1))  # movie → eiga
    assert_linked(window, 3, 1)


def test_clicking_an_attention_weight_works_it_out_and_links_the_same_way(open_window, qtbot):
    window = open_window("seed-translate")
    window.player.last()
    click(qtbot, window.softmax, window.softmax.matrix, (0, 2), focus=(0, 2))
    assert window.player.drill == (0, 0, 2)  # the weight worked out alone (tests/qt/test_drill_down.py)
    window.player.last()  # its last step: v_j's share of out_i
    assert_linked(window, 0, 2)


def test_the_linked_cell_is_outlined_in_the_focus_colour_on_screen(open_window, qtbot):
    window = open_window("seed-translate")
    window.player.last()
    softmax = window.softmax
    click(qtbot, window.scores, window.scores.matrix, (1, 3), focus=(1, 3))
    snapshot = Snapshot(softmax)
    matrix = softmax.matrix
    width = max(2.0, cell_size_px(softmax, matrix) * 0.06)  # MatrixItem's focus outline width
    edge = width / 2 / cell_size_px(softmax, matrix)  # middle of the outline, in cells
    for cell in ((1, 3), (0, 0)):
        seen = snapshot.item_point(matrix, QPointF(cell[1] + 0.5, cell[0] + edge))
        if cell == (1, 3):
            assert close(seen, LIGHT.focus), f"top edge of {cell}: {rgb(seen)}"
        else:
            assert not close(seen, LIGHT.focus), f"{cell} is not focused but outlined"


def test_hovering_shows_the_score_with_its_formula_in_a_tooltip(open_window, qtbot):
    window = open_window("seed-translate")
    window.player.last()
    scores = window.scores
    trace = window.model.trace
    hover(qtbot, scores, scores.matrix, (1, 3), focus=(1, 3))
    viewport = scores.view.viewport()
    pos = cell_pos(scores, scores.matrix, (1, 3))
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    try:
        text = QToolTip.text()
        assert QToolTip.isVisible()
    finally:
        QToolTip.hideText()
        settle()
    assert text.startswith("score(hate, kirai) = q_hate · k_kirai = ")
    assert f"{trace.scores[0, 1, 3]:.6g}" in text
    assert f"{trace.scaled[0, 1, 3]:.6g}" in text
    assert f"α(hate, kirai) = {trace.weights[0, 1, 3]:.2f}" in text


def test_pointing_at_a_token_row_lights_that_token(open_window, qtbot):
    window = open_window("seed-translate")
    window.player.last()
    embeddings = window.embeddings
    click(qtbot, embeddings, embeddings.x_q, (2, 1), until=lambda: window.focus.query == 2)  # "this"
    click(qtbot, embeddings, embeddings.x_kv, (0, 3), until=lambda: window.focus.key == 0)  # "kono"
    assert_linked(window, 2, 0)


def test_focus_follows_the_head_shown(open_window, qtbot):
    window = open_window("seed-causal")
    window.player.last()
    window.transport.head.setCurrentIndex(1)
    click(qtbot, window.scores, window.scores.matrix, (4, 2), focus=(4, 2))
    trace = window.model.trace
    assert (window.focus.head, window.focus.query, window.focus.key) == (1, 4, 2)
    np.testing.assert_allclose(window.softmax.bars.values, trace.weights[1, 4])
    np.testing.assert_allclose(window.weighted_sum.alphas.values[0], trace.weights[1, 4])
    assert window.weighted_sum.out.title == f"out_{trace.query_tokens[4]}"
    # With more than one head, the output panel lights the query's row too.
    assert window.output.output.focus_lit[4].all() and window.output.output.focus_lit.sum() == trace.d_model
