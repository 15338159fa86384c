"""Click an α cell: that one weight worked out in a few steps, in the presenter view; Alt+← goes back."""

from __future__ import annotations

from helpers import click, settle
from PySide6.QtCore import Qt

from explainer.animation import captions


def test_clicking_an_alpha_cell_works_that_weight_out_alone(open_window, qtbot):
    window = open_window("seed-translate")
    assert window.board.view == "overview"
    whole = len(window.player.timeline.steps)
    softmax = window.softmax
    click(qtbot, softmax, softmax.matrix, (1, 3), until=lambda: window.player.drill == (0, 1, 3))
    player = window.player
    assert [step.kind for step in player.timeline.steps] == ["dot", "scale", "softmax", "weighted_sum"]
    assert window.board.view == "presenter"  # the cell's numbers large, beside what they come from
    assert window.drill_bar.isVisible()
    assert window.drill_bar.label.text() == "α(hate, kirai) worked out in 4 steps: → plays the next"
    assert window.caption.text.text() == captions.dot(window.model.trace, 0, 1, 3)
    assert window.transport.position.text() == "1 / 4"
    qtbot.waitUntil(lambda: not player.playing, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.caption.text.text() == captions.weighted_sum(window.model.trace, 0, 1, 3)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert player.drill is None and len(player.timeline.steps) == whole
    assert window.board.view == "overview" and not window.drill_bar.isVisible()
    assert window.transport.detail.currentText() == player.detail == "first-query"


def test_an_edit_during_a_drill_keeps_the_cell_and_rewrites_its_numbers(open_window):
    window = open_window("seed-translate")
    window.drill_into(0, 1, 3)
    before = window.caption.text.text()
    window.model.set_value("w_q", (0, 0, 0), 2.5)
    settle()
    assert window.player.drill == (0, 1, 3)
    assert window.caption.text.text() == captions.dot(window.model.trace, 0, 1, 3) != before


def test_a_masked_cell_has_nothing_to_work_out_and_says_so(open_window):
    window = open_window("seed-causal")
    steps = len(window.player.timeline.steps)
    window.drill_into(0, 0, 1)
    assert window.player.drill is None and len(window.player.timeline.steps) == steps
    assert "is masked" in window.statusBar().currentMessage()
    assert not window.drill_bar.isVisible()


def test_opening_a_preset_ends_the_drill(open_window):
    window = open_window("seed-translate")
    window.drill_into(0, 2, 0)
    window.load_preset("seed-self")
    assert window.player.drill is None and not window.drill_bar.isVisible()
    assert window.board.view == "overview"


def test_a_drill_ended_by_another_detail_or_an_edit_takes_its_bar_and_view_with_it(open_window, qtbot):
    window = open_window("seed-self")
    window.drill_into(0, 0, 3)
    assert window.drill_bar.isVisible() and window.board.view == "presenter"
    window.transport.detail.setCurrentText("rows")  # a way through the whole walkthrough
    assert window.player.drill is None
    assert not window.drill_bar.isVisible() and window.board.view == "overview"
    window.drill_into(0, 3, 0)
    window.model.set_tokens(["this", "is"])  # the drilled query is gone: the drill ends with it
    assert window.player.drill is None and not window.drill_bar.isVisible()
    assert window.board.view == "overview"
