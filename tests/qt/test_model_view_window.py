"""The model view in the window: every layer × head of the run on screen, a click opens one step by step."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import settle

from explainer.model import PretrainedSource

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "real"))
from tiny_bert import write_tiny_bert

sys.path.pop(0)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny_bert(tmp_path / "tiny")


def test_without_a_real_checkpoint_the_model_view_says_how_to_get_one(open_window):
    window = open_window("seed-translate")
    window.views.show_model()
    assert window.views.current is None
    assert "real checkpoint" in window.statusBar().currentMessage()
    assert window.docks.pretrained.isVisible()


def test_a_thumbnail_opens_its_layer_and_head_step_by_step(open_window, tiny):
    window = open_window("seed-translate")
    assert window.pretrained.open(str(tiny), "the cat sat", 0)
    window.views.show_model()
    page = window.views.model_page
    assert window.views.current == "model"
    settle()  # the thumbnails are laid out as painted
    run = window.pretrained.run
    n_layers, n_heads = run.checkpoint.n_layers, window.model.n_heads
    assert len(page.view.thumbnails) == n_layers * n_heads
    layer, head = n_layers - 1, n_heads - 1
    np.testing.assert_allclose(
        page.view.thumbnails[(layer, head)].alpha, run.attention_model(layer).trace.weights[head]
    )
    page.opened.emit(layer, head)  # what a click on the thumbnail (or Enter on it) sends
    source = window.document.source
    assert isinstance(source, PretrainedSource) and source.layer == layer
    assert window.focus.head == head and window.views.current is None
    np.testing.assert_allclose(window.model.trace.weights[head], page.view.thumbnails[(layer, head)].alpha)


def test_the_model_view_follows_a_new_text_and_closes_for_a_preset(open_window, tiny, qtbot):
    window = open_window("seed-translate")
    assert window.pretrained.open(str(tiny), "the cat sat", 0)
    window.views.show_model()
    page = window.views.model_page
    assert "the cat sat" in page.title.text()
    assert window.pretrained.open(str(tiny), "a dog ran far away", 1)
    qtbot.waitUntil(lambda: "a dog ran far away" in page.title.text())
    assert window.views.shown_run is window.pretrained.run
    window.load_preset("seed-self")
    qtbot.waitUntil(lambda: window.views.current is None)
    assert "no real checkpoint" in window.statusBar().currentMessage()


def test_the_head_view_names_the_layer_on_show_and_lets_go_of_its_word_when_left(open_window, tiny, qtbot):
    window = open_window("seed-translate")
    assert window.pretrained.open(str(tiny), "the cat sat", 0)
    window.views.show_head()
    page = window.views.head_page
    assert page.caption.text().startswith("Layer 1")
    window.pretrained.layer.setValue(3)
    assert page.caption.text().startswith("Layer 3")
    page.view.pin_token("query", 1)
    window.show_attention()
    assert page.view.pinned is None
    window.focus.set(query=2, key=0)
    window.model.set_value("w_q", (0, 0, 0), 1.5)  # an edit: the hidden view must not take the focus
    assert (window.focus.query, window.focus.key) == (2, 0)


def test_the_window_keys_move_the_model_views_selection_not_the_hidden_walkthrough(open_window, tiny, qtbot):
    from PySide6.QtCore import Qt

    window = open_window("seed-translate")
    assert window.pretrained.open(str(tiny), "the cat sat", 0)
    window.views.show_model()
    view = window.views.model_page.view
    view.setFocus()
    settle()
    at = window.player.index
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selection == (1, 1)
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.selection == (1, window.model.n_heads - 1)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # Play ▸ Play does nothing here
    assert not window.player.playing and window.player.index == at


def test_file_export_on_the_model_view_writes_its_run_with_its_selection(
    open_window, tiny, monkeypatch, tmp_path
):
    from explainer.export import probe
    from explainer.qt import view_export, window_exports

    window = open_window("seed-translate")
    assert window.pretrained.open(str(tiny), "the cat sat", 0)
    window.views.show_model()
    window.views.model_page.view.select(2, 1)  # as the arrow keys would
    still = tmp_path / "model.png"
    monkeypatch.setattr(window_exports.QFileDialog, "getSaveFileName", lambda *a, **k: (str(still), ""))
    exported = []
    original = view_export.export_model_view

    def recorded(run, out, options, selected, *rest, **named):
        exported.append((run, selected))
        return original(run, out, options, selected, *rest, **named)

    monkeypatch.setattr(view_export, "export_model_view", recorded)
    next(a for a in window.actions() if a.text() == "Export &still…").trigger()
    assert probe(still)["width"] == 1280
    assert exported == [(window.views.shown_run, (2, 1))]


def test_a_click_on_one_alpha_cell_of_a_map_works_that_weight_out(open_window, tiny, qtbot):
    from PySide6.QtCore import QPointF, Qt

    window = open_window("seed-translate")
    assert window.pretrained.open(str(tiny), "the cat sat", 0)
    window.views.show_model()
    view = window.views.model_page.view
    settle()
    rect, n = view.thumbnail_rect(1, 0), len(view.tokens)
    # The middle of cell (query 2, key 1) of layer 2, head 1's map.
    point = QPointF(rect.left() + rect.width() * 1.5 / n, rect.top() + rect.height() * 2.5 / n)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point.toPoint())
    source = window.document.source
    assert isinstance(source, PretrainedSource) and source.layer == 1
    assert window.views.current is None and window.player.drill == (0, 2, 1)
    assert window.drill_bar.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.player.drill is None
