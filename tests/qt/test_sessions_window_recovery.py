"""Sessions in the window: autosave of unsaved work and the offer to restore it after a crash.

``make_window`` (conftest.py) gives each window its own autosave folder under
tmp_path; the one test that starts the whole app checks it uses the test
sandbox, never the user's real autosave.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sessions_helpers import (
    Answer,
    assert_same_state,
    crashed_session,
    edit_a_weight,
    run_app_and_close,
    shown_title,
    view_of,
)

from explainer.model import Document, ModelState, PresetSource, Source
from explainer.qt.app import dispose
from explainer.qt.main_window import MainWindow
from explainer.qt.sessions import default_autosave_folder
from explainer.session import autosave_path, clear_autosave, load_session, write_autosave


def test_recovery_restores_the_autosaved_session_exactly(make_window, tmp_path):
    folder = tmp_path / "appdata"
    state, _view = crashed_session(folder)
    win = make_window(folder)
    questions: list[str] = []
    win.session.ask_restore = lambda question: questions.append(question) or True

    assert win.session.offer_recovery()
    assert len(questions) == 1
    assert_same_state(win.model.state, state)
    assert win.document.source == PresetSource("seed-causal")  # where the numbers came from, too
    assert win.isWindowModified() and shown_title(win) == "Attention Explainer — seed-causal*"
    assert win.weight_editor.reset_button.isEnabled()
    shown = view_of(win)
    assert (shown["theme"], shown["detail"], shown["step"], shown["head"]) == ("dark", "full", 6, 1)
    assert (shown["font scale"], shown["focus"]) == (1.5, (2, None))
    assert win.messages == []


def test_declining_recovery_removes_the_autosave_and_changes_nothing(make_window, tmp_path):
    folder = tmp_path / "appdata"
    crashed_session(folder)
    win = make_window(folder)
    before = win.model.state
    win.session.ask_restore = lambda _question: False
    assert not win.session.offer_recovery()
    assert not autosave_path(folder).exists()
    assert win.model.state is before and not win.isWindowModified()
    assert win.document.source == PresetSource("seed-translate")


def test_a_corrupt_autosave_is_reported_and_removed(make_window, tmp_path):
    folder = tmp_path / "appdata"
    crashed_session(folder)
    autosave_path(folder).write_bytes(autosave_path(folder).read_bytes()[:300])  # the crash hit mid-write
    win = make_window(folder)
    before = win.model.state
    win.session.ask_restore = lambda _question: pytest.fail("offered a file that cannot be used")
    assert not win.session.offer_recovery()
    assert len(win.messages) == 1 and autosave_path(folder).name in win.messages[0]
    assert not autosave_path(folder).exists()
    assert win.model.state is before


def test_no_autosave_means_no_question(make_window, tmp_path):
    win = make_window(tmp_path / "appdata")
    win.session.ask_restore = lambda _question: pytest.fail("nothing to restore")
    assert not win.session.offer_recovery()


def test_autosave_writes_only_unsaved_work_and_a_clean_exit_removes_it(make_window, qtbot, tmp_path):
    folder = tmp_path / "appdata"
    win = make_window(folder)
    win.session.autosave()
    qtbot.wait(200)  # an autosave in a worker thread would have landed by now
    assert not autosave_path(folder).exists()

    edit_a_weight(win, -4.5)
    state = win.model.state
    win.session.autosave()
    qtbot.waitUntil(autosave_path(folder).exists, timeout=5000)
    autosaved, _view = load_session(autosave_path(folder))
    assert_same_state(autosaved.model.state, state)
    assert autosaved.source == PresetSource("seed-translate")

    dispose(win)  # a normal exit
    qtbot.wait(200)
    assert not autosave_path(folder).exists()


def test_saving_removes_the_older_autosave(make_window, qtbot, tmp_path):
    folder = tmp_path / "appdata"
    win = make_window(folder)
    edit_a_weight(win)
    win.session.autosave()
    qtbot.waitUntil(autosave_path(folder).exists, timeout=5000)
    assert win.session.save_as(tmp_path / "talk.attn.json")
    assert not autosave_path(folder).exists()  # a crash now must not offer the older work back


def test_a_clean_exit_right_after_an_autosave_leaves_nothing_to_recover(make_window, qtbot, tmp_path):
    folder = tmp_path / "appdata"
    win = make_window(folder)
    edit_a_weight(win)
    win.session.autosave()
    dispose(win)  # an autosave still being written must not land after the exit cleared it
    qtbot.wait(300)
    assert not autosave_path(folder).exists()


def test_starting_after_a_crash_offers_the_autosave(qapp, monkeypatch):
    folder = default_autosave_folder()
    sandbox = Path(os.environ["ATTENTION_TEST_SANDBOX"])
    assert sandbox in folder.parents, "the test must never touch the user's real autosave"
    state, _view = crashed_session(folder)
    questions: list[str] = []

    def answer(_parent, _title, text, buttons=Answer.Yes | Answer.No, *_args):
        questions.append(text)
        # Restore: Yes. Closing asks about the restored, unsaved work: Discard.
        return Answer.Discard if buttons & Answer.Discard else Answer.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    seen: list[tuple[ModelState, Source, bool]] = []

    def look_then_close():
        (win,) = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.append((win.model.state, win.document.source, win.isWindowModified()))

    try:
        assert run_app_and_close(qapp, look_then_close) == 0
        left_behind = autosave_path(folder).exists()
    finally:
        clear_autosave(folder)  # never leave it for a later test's run_app to offer in a modal dialog
    assert len(questions) == 2 and "Restore" in questions[0] and "unsaved" in questions[1]
    ((restored, source, modified),) = seen
    assert_same_state(restored, state)
    assert source == PresetSource("seed-causal")
    assert modified
    assert not left_behind  # the clean exit cleared it


def test_recovered_work_equal_to_a_preset_still_counts_as_unsaved(make_window, tmp_path):
    folder = tmp_path / "appdata"
    write_autosave(folder, Document.from_preset("seed-translate"))  # the very numbers of the default
    win = make_window(folder)
    win.session.ask_restore = lambda _question: True
    assert win.session.offer_recovery()
    assert win.isWindowModified()  # unsaved until saved: closing must ask, the autosave must stay
    assert win.session.dirty
