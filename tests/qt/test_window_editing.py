"""Editing in the window: the weight editor, the token editor and undo reach every panel."""

import numpy as np
from helpers import type_into
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from explainer.animation import Timeline
from explainer.qt.style import LIGHT, diverging_for


def scores_on_screen(window):
    trace = window.model.trace
    values, _, _ = window.scores.displayed(trace, window.player.state)
    return window.scores.matrix.values, values


def test_typing_a_weight_changes_every_panel_and_undo_restores_it(open_window, qtbot):
    window = open_window("seed-translate")
    window.player.last()
    window.docks.weights.show()
    before = window.model.trace
    type_into(qtbot, window.weight_editor.views["w_q"], 0, 0, "2.5")
    after = window.model.trace
    assert window.model.params["w_q"][0, 0, 0] == 2.5
    drawn, expected = scores_on_screen(window)
    np.testing.assert_allclose(drawn, expected)
    assert not np.allclose(drawn, before.scaled[0])  # the score panel shows the new numbers
    np.testing.assert_allclose(window.softmax.matrix.values, after.weights[0])
    q_item = window.projections.rows[0][3]
    np.testing.assert_allclose(q_item.values, after.q[0])
    scale = diverging_for(after.q[0], LIGHT)
    assert np.array_equal(q_item.colors, scale.rgba(after.q[0]))

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.params["w_q"][0, 0, 0] == before.w_q[0, 0, 0]
    np.testing.assert_allclose(window.softmax.matrix.values, before.weights[0])
    qtbot.keyClick(
        window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.model.params["w_q"][0, 0, 0] == 2.5


def test_refused_text_in_the_window_changes_nothing(open_window, qtbot):
    window = open_window("seed-translate")
    window.docks.weights.show()
    before = window.model.state
    type_into(qtbot, window.weight_editor.views["w_k"], 1, 1, "1e999")
    assert window.model.state is before
    assert "finite" in window.weight_editor.message_text()
    assert not window.undo_action.isEnabled()


def test_a_new_sentence_redraws_the_panels_with_its_tokens(open_window, qtbot):
    window = open_window("seed-self")
    window.docks.tokens.show()
    field = window.token_editor.findChildren(QLineEdit)[0]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "a cat sat")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.model.query_tokens == ["a", "cat", "sat"]
    assert tuple(window.scores.matrix.row_labels) == ("a", "cat", "sat")
    assert window.scores.matrix.values.shape == (3, 3)
    rebuilt = Timeline(window.model.trace, window.player.timeline.detail)
    assert len(window.player.timeline.steps) == len(rebuilt.steps)  # the walkthrough fits the new sentence
    assert window.transport.position.text().endswith(f"/ {len(rebuilt.steps)}")


def test_loading_a_preset_from_the_menu_replaces_everything_and_clears_undo(open_window, qtbot):
    window = open_window("seed-translate")
    window.model.set_value("w_v", (0, 0, 0), 1.5)
    assert window.undo_action.isEnabled()
    window.load_preset("seed-causal")
    assert window.model.mode == "causal" and window.model.n_heads == 2
    assert window.document.preset_name == "seed-causal"  # Reset to preset goes back to this one now
    assert window.windowTitle() == "Attention Explainer — seed-causal[*]"  # [*]: where Qt marks unsaved work
    assert not window.isWindowModified()
    assert not window.undo_action.isEnabled()
    assert window.transport.head.isVisibleTo(window)
