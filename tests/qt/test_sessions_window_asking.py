"""Sessions in the window: closing, New and Open ask before dropping unsaved work; failing saves.

The modal questions are answered through ``window.session.ask`` and messages
land in ``window.messages`` (see the ``window`` fixture in conftest.py); every
test checks what the user would see or what is on disk.
"""

from __future__ import annotations

import errno
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sessions_helpers import Answer, answering, assert_same_state, edit_a_weight, shown_title

from explainer.model import AttentionModel, Document, PresetSource
from explainer.session import load_session, save_session


# ---------------------------------------------------------------------------- closing, New, Open ask
def test_close_with_unsaved_changes_and_cancel_keeps_the_window(window):
    win = window()
    edit_a_weight(win)
    state = win.model.state
    questions: list[str] = []
    win.session.ask = answering(Answer.Cancel, questions)
    assert not win.close()
    assert win.isVisible()
    assert len(questions) == 1 and "unsaved" in questions[0]
    assert win.model.state is state and win.isWindowModified()
    win.player.next_step()  # still alive and wired: the clock runs
    assert win.player.playing


def test_close_with_unsaved_changes_and_discard_closes(window):
    win = window()
    edit_a_weight(win)
    questions: list[str] = []
    win.session.ask = answering(Answer.Discard, questions)
    assert win.close()
    assert not win.isVisible()
    assert len(questions) == 1


def test_close_without_changes_does_not_ask(window):
    win = window()
    assert win.close()  # never_asked would fail the test
    assert not win.isVisible()


def test_close_and_save_writes_the_file_then_closes(window, tmp_path):
    win = window()
    path = tmp_path / "lecture.attn.json"
    assert win.session.save_as(path)
    edit_a_weight(win, 1.5)
    state = win.model.state
    win.session.ask = answering(Answer.Save, [])
    assert win.close()
    assert not win.isVisible()
    saved, _view = load_session(path)
    assert_same_state(saved.model.state, state)
    assert saved.source == PresetSource("seed-causal")  # an edited preset still came from it


def test_close_and_save_an_untitled_session_asks_where(window, tmp_path, monkeypatch):
    win = window()
    edit_a_weight(win, 1.5)
    state = win.model.state
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "talk"), ""))
    win.session.ask = answering(Answer.Save, [])
    assert win.close()
    assert_same_state(load_session(tmp_path / "talk.attn.json")[0].model.state, state)  # the suffix added


def test_close_and_save_but_the_save_dialog_is_cancelled_keeps_the_window(window, monkeypatch):
    win = window()
    edit_a_weight(win)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: ("", ""))
    win.session.ask = answering(Answer.Save, [])
    assert not win.close()
    assert win.isVisible() and win.isWindowModified()


def test_close_and_save_but_the_save_fails_keeps_the_window(window, tmp_path):
    win = window()
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    assert win.session.save_as(folder / "talk.attn.json")
    edit_a_weight(win)
    folder.joinpath("talk.attn.json").unlink()
    folder.rmdir()  # the stick was pulled out
    win.session.ask = answering(Answer.Save, [])
    assert not win.close()
    assert win.isVisible() and win.isWindowModified()
    assert len(win.messages) == 1 and "talk.attn.json" in win.messages[0]


@pytest.mark.parametrize("answer", [Answer.Cancel, Answer.Discard, Answer.Save], ids=lambda a: a.name)
def test_new_asks_before_dropping_unsaved_changes(window, qtbot, tmp_path, answer):
    win = window("seed-causal")
    path = tmp_path / "mine.attn.json"
    assert win.session.save_as(path)
    edit_a_weight(win, 2.5)
    edited = win.model.state
    questions: list[str] = []
    win.session.ask = answering(answer, questions)

    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File ▸ New
    assert len(questions) == 1
    if answer == Answer.Cancel:
        assert win.model.state is edited
        assert shown_title(win) == "Attention Explainer — mine.attn.json*"
        return
    fresh = AttentionModel.from_preset(win.default_preset).state
    assert_same_state(win.model.state, fresh)
    assert win.document.source == PresetSource(win.default_preset)
    assert shown_title(win) == f"Attention Explainer — {win.default_preset}"
    saved = load_session(path)[0].model.state
    if answer == Answer.Save:
        assert_same_state(saved, edited)
    else:
        assert not saved.same_as(edited)


@pytest.mark.parametrize("answer", [Answer.Cancel, Answer.Discard], ids=lambda a: a.name)
def test_open_asks_before_dropping_unsaved_changes(window, tmp_path, answer):
    other = tmp_path / "other.attn.json"
    save_session(other, Document.from_preset("seed-cross"))
    win = window("seed-causal")
    edit_a_weight(win)
    edited, title = win.model.state, shown_title(win)
    questions: list[str] = []
    win.session.ask = answering(answer, questions)

    opened = win.session.open(other)
    assert len(questions) == 1
    if answer == Answer.Cancel:
        assert not opened
        assert win.model.state is edited and shown_title(win) == title
        assert win.document.source == PresetSource("seed-causal")
    else:
        assert opened
        assert_same_state(win.model.state, load_session(other)[0].model.state)
        assert win.document.source == PresetSource("seed-cross")  # the file's source comes with it
        assert shown_title(win) == "Attention Explainer — other.attn.json"


# ---------------------------------------------------------------------------- failing saves
def test_a_failing_rename_keeps_the_old_file_and_the_unsaved_mark(window, tmp_path, monkeypatch):
    win = window()
    path = tmp_path / "lecture.attn.json"
    assert win.session.save_as(path)
    on_disk = path.read_bytes()
    edit_a_weight(win, 3.25)

    def refuse(*_args):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    assert not win.session.save()
    monkeypatch.undo()
    assert len(win.messages) == 1
    assert "lecture.attn.json" in win.messages[0] and "Permission denied" in win.messages[0]
    assert path.read_bytes() == on_disk
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lecture.attn.json"]  # no temporary left
    assert win.isWindowModified()
    assert shown_title(win) == "Attention Explainer — lecture.attn.json*"


def test_saving_into_a_folder_that_is_a_file_says_so(window, tmp_path):
    win = window()
    edit_a_weight(win)
    blocker = tmp_path / "notes"
    blocker.write_bytes(b"not a folder")
    assert not win.session.save_as(blocker / "talk.attn.json")
    assert len(win.messages) == 1 and "talk.attn.json" in win.messages[0]
    assert blocker.read_bytes() == b"not a folder"
    assert win.session.path is None and win.isWindowModified()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_saving_into_a_read_only_folder_keeps_the_old_file(window, tmp_path):
    win = window()
    path = tmp_path / "locked" / "talk.attn.json"
    path.parent.mkdir()
    assert win.session.save_as(path)
    on_disk = path.read_bytes()
    edit_a_weight(win)
    path.parent.chmod(0o500)
    try:
        assert not win.session.save()
    finally:
        path.parent.chmod(0o700)
    assert len(win.messages) == 1 and path.read_bytes() == on_disk and win.isWindowModified()
