"""Sessions in the window: the unsaved mark, Save / Open, broken files, closing, recovery, recent files.

Every test checks what the user would see (the title Qt shows, the message,
the numbers in the window) or what happens to the files on disk. The modal
questions are answered through ``window.session.ask`` / ``ask_restore`` /
``warn``, the hooks the session manager keeps for that.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from explainer.model import AttentionModel, ModelState
from explainer.qt.app import dispose, run_app
from explainer.qt.main_window import MainWindow
from explainer.qt.sessions import MAX_RECENT, default_autosave_folder
from explainer.session import (
    ViewSettings,
    autosave_path,
    clear_autosave,
    load_session,
    save_session,
    write_autosave,
)

ROOT = Path(__file__).resolve().parents[2]
Answer = QMessageBox.StandardButton
# Values whose bits a careless round trip loses: signed zero, a subnormal, 0.30000000000000004.
AWKWARD = (-0.0, 5e-324, 0.1 + 0.2, 1 / 3, 1e6, -123456.789)


# ---------------------------------------------------------------------------- helpers
def shown_title(window: MainWindow) -> str:
    """The title as Qt shows it: ``[*]`` becomes ``*`` when modified, nothing otherwise."""
    return window.windowHandle().title()


def assert_same_state(got: ModelState, want: ModelState) -> None:
    """Tokens, options and every parameter identical, bit for bit (-0.0 is not 0.0)."""
    assert (got.query_tokens, got.key_tokens, got.causal, got.scale) == (
        want.query_tokens,
        want.key_tokens,
        want.causal,
        want.scale,
    )
    assert set(got.params) == set(want.params)
    for name, array in want.params.items():
        assert got.params[name].dtype == array.dtype, name
        assert got.params[name].shape == array.shape, name
        assert np.array_equal(got.params[name], array), name
        assert got.params[name].tobytes() == array.tobytes(), f"{name}: not bit for bit"


def view_of(window: MainWindow) -> dict[str, object]:
    """What the window shows besides the numbers."""
    return {
        "theme": window.appearance.theme.name,
        "detail": window.player.timeline.detail,
        "step": window.player.index,
        "position": window.transport.position.text(),
        "head": window.focus.head,
        "head shown": window.transport.head.currentIndex(),
        "focus": (window.focus.query, window.focus.key),
        "font scale": window.appearance.font_scale,
    }


def answering(answer: Answer, questions: list[str]):
    """An ``ask`` that records the question and gives ``answer``."""

    def ask(question: str) -> Answer:
        questions.append(question)
        return answer

    return ask


def never_asked(question: str) -> Answer:
    raise AssertionError(f"asked without unsaved changes: {question}")


@pytest.fixture
def window(open_window):
    """A shown window whose messages land in ``window.messages`` and which must not ask."""

    def open_(preset: str = "seed-causal") -> MainWindow:
        win = open_window(preset)
        win.messages = []
        win.session.warn = win.messages.append
        win.session.ask = never_asked
        return win

    return open_


@pytest.fixture
def make_window(qtbot):
    """``MainWindow(model, autosave_folder=folder)``, disposed after the test."""
    windows: list[MainWindow] = []

    def make(folder: Path, preset: str = "seed-translate") -> MainWindow:
        win = MainWindow(AttentionModel.from_preset(preset), autosave_folder=folder)
        windows.append(win)
        win.messages = []
        win.session.warn = win.messages.append
        win.show()
        qtbot.waitExposed(win)
        return win

    yield make
    for win in windows:
        if shiboken6.isValid(win):
            dispose(win)


def edit_a_weight(window: MainWindow, value: float = 0.625) -> None:
    window.model.set_value("w_q", (0, 0, 0), value)


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


def good_document(tmp_path: Path) -> tuple[bytes, dict]:
    path = tmp_path / "good.attn.json"
    save_session(path, AttentionModel.from_preset("seed-self"))
    data = path.read_bytes()
    return data, json.loads(data)


def broken(kind: str, tmp_path: Path) -> Path:
    data, doc = good_document(tmp_path)
    path = tmp_path / f"{kind}.attn.json"
    if kind == "not json":
        path.write_text("this is not a session\n")
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "nan":
        doc["params"]["w_q"][0][1][2] = float("nan")
        path.write_text(json.dumps(doc))  # Python writes NaN, as a careless tool would
    elif kind == "wrong shape":
        del doc["params"]["w_k"][0][0]
        path.write_text(json.dumps(doc))
    elif kind == "wrong version":
        doc["version"] = 99
        path.write_text(json.dumps(doc))
    elif kind == "binary":
        path.write_bytes(np.random.default_rng(5).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    elif kind == "folder":
        path.mkdir()
    elif kind == "missing":
        pass
    return path


BROKEN = (
    "not json",
    "truncated",
    "empty",
    "nan",
    "wrong shape",
    "wrong version",
    "binary",
    "folder",
    "missing",
)


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
    assert_same_state(load_session(path)[0].state, state)


def test_close_and_save_an_untitled_session_asks_where(window, tmp_path, monkeypatch):
    win = window()
    edit_a_weight(win, 1.5)
    state = win.model.state
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "talk"), ""))
    win.session.ask = answering(Answer.Save, [])
    assert win.close()
    assert_same_state(load_session(tmp_path / "talk.attn.json")[0].state, state)  # the suffix added


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
    assert shown_title(win) == f"Attention Explainer — {win.default_preset}"
    saved = load_session(path)[0].state
    if answer == Answer.Save:
        assert_same_state(saved, edited)
    else:
        assert not saved.same_as(edited)


@pytest.mark.parametrize("answer", [Answer.Cancel, Answer.Discard], ids=lambda a: a.name)
def test_open_asks_before_dropping_unsaved_changes(window, tmp_path, answer):
    other = tmp_path / "other.attn.json"
    save_session(other, AttentionModel.from_preset("seed-cross"))
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
    else:
        assert opened
        assert_same_state(win.model.state, load_session(other)[0].state)
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


# ---------------------------------------------------------------------------- crash recovery
def crashed_session(folder: Path) -> tuple[ModelState, ViewSettings]:
    """What an autosave left by a crash holds: seed-causal with edits, dark theme, head 2, step 6."""
    model = AttentionModel.from_preset("seed-causal")
    with model.batch():
        for k, value in enumerate(AWKWARD):
            model.set_value("w_v", (1, k % model.d_model, k % model.d_v), value)
    view = ViewSettings(step=6, detail="full", head=1, theme="dark", font_scale=1.5, focus_query=2)
    write_autosave(folder, model, view)
    return model.state, view


def test_recovery_restores_the_autosaved_session_exactly(make_window, tmp_path):
    folder = tmp_path / "appdata"
    state, _view = crashed_session(folder)
    win = make_window(folder)
    questions: list[str] = []
    win.session.ask_restore = lambda question: questions.append(question) or True

    assert win.session.offer_recovery()
    assert len(questions) == 1
    assert_same_state(win.model.state, state)
    assert win.isWindowModified() and shown_title(win).endswith("*")
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
    assert_same_state(load_session(autosave_path(folder))[0].state, state)

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


def event_loops_run() -> bool:
    loop = QEventLoop()
    QTimer.singleShot(20, loop.quit)
    return loop.exec() == 0


def run_app_and_close(qapp, look, **options) -> int:
    """``run_app`` until ``look()`` has seen the window after 300 ms, then close it as a user would.

    Closing the window (not ``app.quit()``) ends the app: quit() closes the windows,
    and the last one closing queues a second Quit that outlives exec() and later
    stops every event loop of this process, so qtbot's waits in later tests would
    return at once.
    """

    def look_then_close():
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        try:
            look()
        finally:  # even when the look fails: an app left running would hang the suite
            for win in windows:
                win.close()
            if any(win.isVisible() for win in windows):
                qapp.exit(1)

    QTimer.singleShot(300, look_then_close)
    code = run_app(["main.py"], **options)
    assert event_loops_run(), "run_app left the application unable to run an event loop"
    return code


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
    seen: list[tuple[ModelState, bool]] = []

    def look_then_close():
        (win,) = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.append((win.model.state, win.isWindowModified()))

    try:
        assert run_app_and_close(qapp, look_then_close) == 0
        left_behind = autosave_path(folder).exists()
    finally:
        clear_autosave(folder)  # never leave it for a later test's run_app to offer in a modal dialog
    assert len(questions) == 2 and "Restore" in questions[0] and "unsaved" in questions[1]
    ((restored, modified),) = seen
    assert_same_state(restored, state)
    assert modified
    assert not left_behind  # the clean exit cleared it


# ---------------------------------------------------------------------------- recent files
def test_recent_files_newest_first_without_repeats(window, tmp_path, monkeypatch):
    win = window()
    paths = [tmp_path / f"talk{k}.attn.json" for k in range(MAX_RECENT + 3)]
    for path in paths:
        assert win.session.save_as(path)
    assert win.session.open(paths[2])
    recent = win.session.recent()
    assert recent[0] == paths[2].resolve()
    assert recent[1] == paths[-1].resolve()
    assert len(recent) <= MAX_RECENT
    assert len(set(recent)) == len(recent)

    monkeypatch.chdir(tmp_path)
    assert win.session.save_as(Path("relative.attn.json"))
    assert win.session.recent()[0] == tmp_path.resolve() / "relative.attn.json"


def test_open_recent_menu_lists_and_opens_the_files(window, tmp_path):
    win = window()
    first, second = tmp_path / "first.attn.json", tmp_path / "second.attn.json"
    save_session(first, AttentionModel.from_preset("seed-cross"))
    assert win.session.save_as(second)
    assert win.session.open(first)
    win.recent_menu.aboutToShow.emit()
    labels = [action.text() for action in win.recent_menu.actions()]
    assert labels[:2] == [str(first.resolve()), str(second.resolve())]
    win.recent_menu.actions()[1].trigger()
    assert shown_title(win) == "Attention Explainer — second.attn.json"

    second.unlink()  # gone since: the menu still lists it, and opening it says so
    win.recent_menu.aboutToShow.emit()
    actions = {action.text(): action for action in win.recent_menu.actions()}
    actions[str(first.resolve())].trigger()
    assert_same_state(win.model.state, load_session(first)[0].state)
    assert shown_title(win) == "Attention Explainer — first.attn.json"
    actions[str(second.resolve())].trigger()
    assert len(win.messages) == 1 and "second.attn.json" in win.messages[0]
    assert shown_title(win) == "Attention Explainer — first.attn.json"


# ---------------------------------------------------------------------------- python main.py FILE
def test_run_app_opens_a_session_file(qapp, tmp_path):
    model = AttentionModel.from_preset("seed-cross")
    model.set_value("w_k", (0, 1, 1), 5e-324)
    path = tmp_path / "class.attn.json"
    save_session(path, model, ViewSettings(step=3, theme="dark"))
    seen: list[tuple[ModelState, str, int]] = []

    def look():
        (win,) = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.append((win.model.state, shown_title(win), win.player.index))

    assert run_app_and_close(qapp, look, session=path) == 0
    ((state, title, step),) = seen
    assert_same_state(state, model.state)
    assert (title, step) == ("Attention Explainer — class.attn.json", 3)
    assert qapp.topLevelWidgets() == []


OPEN_AND_REPORT = """
import sys
from PySide6.QtCore import QTimer
import explainer.qt.app as qt_app
from explainer.cli import main
from explainer.qt.main_window import MainWindow
from explainer.session import load_session
make = qt_app.application

def application(argv=("main.py",)):
    app = make(argv)
    def report():
        (win,) = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        print(win.windowHandle().title())
        print(win.model.state.same_as(load_session(sys.argv[1])[0].state))
        app.quit()
    QTimer.singleShot(500, report)
    return app

qt_app.application = application
sys.exit(main(sys.argv[1:]))
"""


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**env, **extra}


def test_main_py_with_a_session_file_opens_it(tmp_path):
    path = tmp_path / "class.attn.json"
    save_session(path, AttentionModel.from_preset("seed-self"))
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_REPORT, str(path)],
        cwd=ROOT,
        env=cli_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Attention Explainer — class.attn.json", "True"]
    assert result.stderr == ""


@pytest.mark.parametrize("display", [False, True])
@pytest.mark.parametrize("kind", ["truncated", "binary", "folder"])
def test_main_py_with_a_broken_file_says_which_in_one_line(tmp_path, kind, display):
    path = broken(kind, tmp_path)
    env = cli_env(QT_QPA_PLATFORM="offscreen") if display else cli_env()
    result = subprocess.run(
        [sys.executable, "main.py", str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and path.name in lines[0], result.stderr
    assert lines[0].startswith("attention-explainer: ")
