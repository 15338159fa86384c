"""Sessions in the window: the unsaved mark, Save / Open bit for bit, broken files refused.

Every test checks what the user would see (the title Qt shows, the message,
the numbers in the window) or what happens to the files on disk. The modal
questions are answered through ``window.session.ask`` / ``warn``, the hooks
the session manager keeps for that (see the ``window`` fixture in conftest.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from sessions_helpers import (
    AWKWARD,
    BROKEN,
    Answer,
    answering,
    assert_same_state,
    broken,
    edit_a_weight,
    shown_title,
    view_of,
)


# ---------------------------------------------------------------------------- the unsaved mark
def test_title_marks_unsaved_changes_until_saved_or_undone(window, tmp_path):
    win = window("seed-causal")
    assert shown_title(win) == "Attention Explainer — seed-causal"
    assert not win.isWindowModified()

    edit_a_weight(win)
    assert win.isWindowModified()
    assert shown_title(win) == "Attention Explainer — seed-causal*"

    path = tmp_path / "lecture.attn.json"
    assert win.session.save_as(path)
    assert not win.isWindowModified()
    assert shown_title(win) == "Attention Explainer — lecture.attn.json"

    edit_a_weight(win, 0.75)
    assert shown_title(win) == "Attention Explainer — lecture.attn.json*"
    win.history.undo()  # back to what is on disk
    assert not win.isWindowModified()
    assert shown_title(win) == "Attention Explainer — lecture.attn.json"
    win.history.undo()  # before the save: unsaved again
    assert win.isWindowModified()
    win.redo_action.trigger()  # Edit ▸ Redo
    assert not win.isWindowModified()
    assert win.messages == []


def test_undo_by_keyboard_back_to_the_saved_state_clears_the_mark(window, qtbot, tmp_path):
    win = window("seed-translate")
    assert win.session.save_as(tmp_path / "talk.attn.json")
    edit_a_weight(win)
    edit_a_weight(win, -2.0)
    assert win.isWindowModified()
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.isWindowModified()
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not win.isWindowModified()
    assert shown_title(win) == "Attention Explainer — talk.attn.json"


# ---------------------------------------------------------------------------- save and open
def test_save_then_open_restores_everything_bit_for_bit(window, tmp_path):
    win = window("seed-causal")
    model = win.model
    with model.batch():
        for k, value in enumerate(AWKWARD):
            model.set_value("w_k", (1, k % model.d_model, k % model.d_k), value)
        b_o = np.full(model.params["b_o"].shape, 0.5)
        b_o[0] = -0.0  # a whole array: one -0.0 over 0.0 is no change to the model
        model.set_param("b_o", b_o)
        model.set_value("w_o", (1, 2), 5e-324)
    model.set_tokens(["the", "cat", "sat", "on", "the", "mat"])
    model.set_value("x_q", (4, 1), 0.1 + 0.2)  # a row of a new sentence
    model.set_options(causal=False, scale=False)  # causal → self, 1/√d_k off
    win.set_theme("dark")
    win.player.set_detail("full")
    win.player.go_to_step(9)
    win.focus.set(head=1, query=3, key=2)
    win.appearance.set_font_scale(1.3)
    saved_state, saved_view = model.state, view_of(win)
    assert saved_view["step"] == 9 and saved_view["head"] == 1 and saved_view["theme"] == "dark"
    assert model.mode == "self" and not model.scale

    path = tmp_path / "a.attn.json"
    assert win.session.save_as(path)
    win.load_preset("seed-cross")
    win.set_theme("light")
    win.player.set_detail("first-query")
    assert not model.state.same_as(saved_state)

    assert win.session.open(path)
    assert_same_state(model.state, saved_state)
    assert model.params["b_o"][0].tobytes() == np.float64(-0.0).tobytes()
    assert model.mode == "self" and not model.scale
    assert model.query_tokens == ["the", "cat", "sat", "on", "the", "mat"]
    assert view_of(win) == saved_view
    assert shown_title(win) == "Attention Explainer — a.attn.json"
    assert not win.undo_action.isEnabled()  # an opened file is a fresh start
    assert win.messages == []


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_file_is_refused_with_one_message_and_the_window_keeps_what_it_had(window, tmp_path, kind):
    win = window("seed-translate")
    win.set_theme("dark")
    win.player.go_to_step(4)
    state, view, title = win.model.state, view_of(win), shown_title(win)
    path = broken(kind, tmp_path)

    assert not win.session.open(path)
    assert len(win.messages) == 1
    assert path.name in win.messages[0]
    assert win.model.state is state
    assert view_of(win) == view
    assert shown_title(win) == title
    assert win.session.path is None
    assert path.resolve() not in win.session.recent()


def test_unsaved_work_survives_a_discard_followed_by_a_broken_file(window, tmp_path):
    win = window("seed-translate")
    edit_a_weight(win)
    state = win.model.state
    questions: list[str] = []
    win.session.ask = answering(Answer.Discard, questions)

    assert not win.session.open(broken("truncated", tmp_path))
    assert len(questions) == 1 and len(win.messages) == 1
    assert win.model.state is state
    assert win.isWindowModified()  # still unsaved: closing will ask again
    assert win.history.can_undo
