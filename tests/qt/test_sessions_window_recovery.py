"""Sessions in the window: autosave of unsaved work and the offer to restore it after a crash.

Each window keeps its own autosave; a start offers those of windows that
crashed (``crashed_session`` leaves one as a killed process would), never a
running window's, and a normal exit removes only the window's own.

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
    autosaves,
    crashed_autosave,
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
from explainer.session import load_session, save_session


def test_recovery_restores_the_autosaved_session_exactly(make_window, tmp_path):
    folder = tmp_path / "appdata"
    state, _view = crashed_session(folder)
    (crashed,) = autosaves(folder)
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
    # The work is kept safe in this window's own autosave before the crashed one goes.
    assert autosaves(folder) == [win.session.autosave_file.path] and not crashed.exists()
    assert_same_state(load_session(win.session.autosave_file.path)[0].model.state, state)


def test_declining_recovery_removes_the_autosave_and_changes_nothing(make_window, tmp_path):
    folder = tmp_path / "appdata"
    crashed_session(folder)
    win = make_window(folder)
    before = win.model.state
    questions: list[str] = []
    win.session.ask_restore = lambda question: questions.append(question) and False
    assert not win.session.offer_recovery()
    assert "If you answer No, that unsaved work is discarded" in questions[0]  # knowingly
    assert autosaves(folder) == []
    assert win.model.state is before and not win.isWindowModified()
    assert win.document.source == PresetSource("seed-translate")


def test_a_corrupt_autosave_is_reported_and_removed(make_window, tmp_path):
    folder = tmp_path / "appdata"
    crashed_session(folder)
    (path,) = autosaves(folder)
    path.write_bytes(path.read_bytes()[:300])  # damaged on disk
    win = make_window(folder)
    before = win.model.state
    win.session.ask_restore = lambda _question: pytest.fail("offered a file that cannot be used")
    assert not win.session.offer_recovery()
    assert len(win.messages) == 1 and path.name in win.messages[0]
    assert autosaves(folder) == []
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
    assert autosaves(folder) == []

    edit_a_weight(win, -4.5)
    state = win.model.state
    win.session.autosave()
    qtbot.waitUntil(lambda: bool(autosaves(folder)), timeout=5000)
    assert autosaves(folder) == [win.session.autosave_file.path]
    autosaved, _view = load_session(win.session.autosave_file.path)
    assert_same_state(autosaved.model.state, state)
    assert autosaved.source == PresetSource("seed-translate")

    dispose(win)  # a normal exit
    qtbot.wait(200)
    assert list(folder.iterdir()) == []  # the autosave and its lock file


def test_saving_removes_the_older_autosave(make_window, qtbot, tmp_path):
    folder = tmp_path / "appdata"
    win = make_window(folder)
    edit_a_weight(win)
    win.session.autosave()
    qtbot.waitUntil(lambda: bool(autosaves(folder)), timeout=5000)
    assert win.session.save_as(tmp_path / "talk.attn.json")
    assert autosaves(folder) == []  # a crash now must not offer the older work back


def test_a_clean_exit_right_after_an_autosave_leaves_nothing_to_recover(make_window, qtbot, tmp_path):
    folder = tmp_path / "appdata"
    win = make_window(folder)
    edit_a_weight(win)
    win.session.autosave()
    dispose(win)  # an autosave still being written must not land after the exit cleared it
    qtbot.wait(300)
    assert autosaves(folder) == []


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
        left_behind = autosaves(folder)
    finally:
        # Never leave one for a later test's run_app to offer in a modal dialog.
        for path in autosaves(folder):
            path.unlink()
    assert len(questions) == 2 and "Restore" in questions[0] and "unsaved" in questions[1]
    ((restored, source, modified),) = seen
    assert_same_state(restored, state)
    assert source == PresetSource("seed-causal")
    assert modified
    assert left_behind == []  # restored, then discarded knowingly on the clean exit


def test_recovered_work_equal_to_a_preset_still_counts_as_unsaved(make_window, tmp_path):
    folder = tmp_path / "appdata"
    crashed_autosave(folder, Document.from_preset("seed-translate"))  # the very numbers of the default
    win = make_window(folder)
    win.session.ask_restore = lambda _question: True
    assert win.session.offer_recovery()
    assert win.isWindowModified()  # unsaved until saved: closing must ask, the autosave must stay
    assert win.session.dirty


def test_another_windows_autosave_is_neither_offered_nor_removed(make_window, tmp_path):
    # Issue 15, defect 4b: a second instance offered the first one's autosave, and No deleted it.
    folder = tmp_path / "appdata"
    first = make_window(folder)
    edit_a_weight(first, -2.5)
    first.session.autosave(wait=True)
    (kept,) = autosaves(folder)
    second = make_window(folder)
    second.session.ask_restore = lambda _question: pytest.fail("offered a running window's autosave")
    assert not second.session.offer_recovery()
    dispose(second)  # its normal exit removes only its own autosave
    assert kept.exists()
    assert_same_state(load_session(kept)[0].model.state, first.model.state)


def test_starting_with_a_session_file_still_offers_the_crashed_work(qapp, monkeypatch, tmp_path):
    # Issue 15, defect 4a: `python main.py other.attn.json` after a crash offered nothing,
    # and its normal exit deleted the crashed work.
    folder = default_autosave_folder()
    state, _view = crashed_session(folder)
    other = tmp_path / "other.attn.json"
    save_session(other, Document.from_preset("seed-self"))
    questions: list[str] = []
    seen: list[tuple[ModelState, Path | None]] = []

    def answer(_parent, _title, text, buttons=Answer.Yes | Answer.No, *_args):
        questions.append(text)
        (win,) = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.append((win.model.state, win.session.path))  # asked once the file is open
        return Answer.Discard if buttons & Answer.Discard else Answer.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    restored: list[ModelState] = []

    def look():
        (win,) = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        restored.append(win.model.state)

    try:
        assert run_app_and_close(qapp, look, session=other) == 0
        left_behind = autosaves(folder)
    finally:
        for path in autosaves(folder):
            path.unlink()
    assert len(questions) == 2 and "Restore" in questions[0], questions
    opened_state, opened_path = seen[0]
    assert opened_path == other and opened_state.same_as(load_session(other)[0].model.state)
    assert_same_state(restored[0], state)
    assert left_behind == []  # restored, then discarded knowingly on the clean exit


def test_every_crashed_window_is_offered_until_one_is_restored(make_window, tmp_path):
    folder = tmp_path / "appdata"
    older = crashed_autosave(folder, Document.from_preset("seed-self"))
    newer = crashed_autosave(folder, Document.from_preset("seed-cross"))
    newest = crashed_autosave(folder, Document.from_preset("seed-causal"))
    for age, path in enumerate((older, newer, newest)):
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    win = make_window(folder)
    answers = [False, True]
    win.session.ask_restore = lambda _question: answers.pop(0)
    assert win.session.offer_recovery()
    assert win.document.source == PresetSource("seed-cross")
    assert not older.exists() and not newer.exists()  # declined knowingly; restored into this window
    assert newest.exists()  # kept for the next start, and said so
    assert "1 more autosaved session" in win.statusBar().currentMessage()
    assert set(autosaves(folder)) == {newest, win.session.autosave_file.path}
