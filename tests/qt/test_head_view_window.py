"""The head view as a page of the window (View ▸ Head view, F9): it follows the model on screen."""

from __future__ import annotations

import numpy as np
from helpers import settle
from PySide6.QtCore import Qt


def test_f9_shows_the_models_lines_and_f8_goes_back(open_window, qtbot):
    window = open_window("seed-causal")
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert window.views.current == "head"
    view = window.views.head_page.view
    settle()
    trace = window.model.trace
    drawn = {(line.head, line.i, line.j) for line in view.lines}
    assert drawn and all(not trace.mask[i, j] for _h, i, j in drawn)  # no line to a later word
    window.model.set_tokens(["the", "dog", "ran"])  # an edit elsewhere: the page follows
    settle()
    assert " ".join(t.text for t in view.tokens if t.side == "query") == "the dog ran"
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.views.current is None and window.active_clock() is window.player


def test_file_export_on_the_head_view_writes_the_head_view(open_window, monkeypatch, tmp_path):
    from explainer.export import probe
    from explainer.qt import window_exports

    window = open_window("seed-translate")
    window.views.show_head()
    still = tmp_path / "head.svg"
    monkeypatch.setattr(window_exports.QFileDialog, "getSaveFileName", lambda *a, **k: (str(still), ""))
    next(a for a in window.actions() if a.text() == "Export &still…").trigger()
    svg = still.read_text(encoding="utf-8")
    assert svg.count("<path") >= 16 and "kirai" in svg  # a path per line, the words as text
    video = tmp_path / "head.gif"
    monkeypatch.setattr(window_exports.QFileDialog, "getSaveFileName", lambda *a, **k: (str(video), ""))
    next(a for a in window.actions() if a.text() == "&Export animation…").trigger()
    assert probe(video)["frames"] >= 8  # a held frame per word hovered (4 queries, 4 keys)


def test_a_pinned_query_then_a_key_works_that_weight_out(open_window, qtbot):
    window = open_window("seed-translate")
    window.views.show_head()
    view = window.views.head_page.view
    settle()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.token_rect("query", 1).center().toPoint())
    assert view.pinned == ("query", 1)  # "hate"
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.token_rect("key", 3).center().toPoint())
    assert window.player.drill == (0, 1, 3)  # α(hate, kirai), worked out
    assert window.views.current is None and window.drill_bar.isVisible()


def test_edits_on_the_head_view_are_drawn_on_the_walkthrough_when_it_shows_again(open_window, qtbot):
    window = open_window("seed-translate")
    q_item = window.projections.rows[0][3]
    before = q_item.values.copy()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    settle()
    window.model.set_value("w_q", (0, 0, 0), 2.5)
    window.model.set_value("w_q", (0, 1, 0), -1.5)
    settle()
    # Covered by the head view, the walkthrough's panels draw nothing (six panels, for no one).
    np.testing.assert_array_equal(q_item.values, before)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    settle()
    np.testing.assert_allclose(q_item.values, window.model.trace.q[0])
    np.testing.assert_allclose(window.softmax.matrix.values, window.model.trace.weights[0])
    assert not np.allclose(q_item.values, before)


def test_the_heads_dock_beside_the_head_view_follows_edits_and_the_chosen_head(open_window, qtbot):
    window = open_window("seed-causal")
    window.model.set_dims(n_heads=4, d_model=16, d_k=4, seed=2)  # four heads: the dock opens by itself
    settle()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    settle()
    assert window.docks.heads.isVisible() and not window.board.isVisible()
    window.model.set_value("w_q", (1, 0, 0), 3.0)
    window.focus.set(head=2)
    settle()
    panel = window.heads
    np.testing.assert_allclose(panel.maps[1].values, window.model.trace.weights[1])
    assert panel.texts.chosen == 2  # the dock frames the head the head view shows
    window.model.set_dims(n_heads=6, d_model=24, d_k=4, seed=2)
    settle()
    assert len(panel.maps) == 6
