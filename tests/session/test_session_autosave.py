"""Autosave for crash recovery: one file per window, read back exactly, cleared by its own window only;
only a crashed process's autosave is offered, never a running one's; a corrupt one is reported."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from session_helpers import assert_same_bits

from explainer.model import AttentionModel, Document, PresetSource, PretrainedSource
from explainer.session import (
    AUTOSAVE_PREFIX,
    SESSION_SUFFIX,
    Autosave,
    SessionError,
    ViewSettings,
    crashed_autosaves,
    load_session,
    save_session,
)
from explainer.session import atomic as atomic_module

ROOT = Path(__file__).resolve().parents[2]


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def crashed(folder: Path, document: Document | AttentionModel, pid: int, lock: bool = True) -> Path:
    """What a window killed outright leaves: its autosave and (``lock``) its lock file, let go."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{AUTOSAVE_PREFIX}{pid}-0badc0de{SESSION_SUFFIX}"
    save_session(path, document)
    if lock:
        path.with_name(f"{AUTOSAVE_PREFIX}{pid}-0badc0de.lock").write_bytes(b"")
    return path


def test_each_window_has_its_own_file_named_for_its_process(tmp_path: Path) -> None:
    first, second = Autosave(tmp_path), Autosave(tmp_path)
    assert first.path != second.path
    for autosave in (first, second):
        assert autosave.path.parent == tmp_path
        assert autosave.path.name.startswith(f"{AUTOSAVE_PREFIX}{os.getpid()}-")
        assert autosave.path.name.endswith(SESSION_SUFFIX)


def test_write_read_clear(tmp_path: Path) -> None:
    folder = tmp_path / "AppData" / "Attention Explainer"  # made on the first autosave
    autosave = Autosave(folder)
    assert not autosave.exists
    document = Document.from_preset("seed-causal")
    document.model.set_value("w_v", (1, 0, 0), -0.123456789012345)  # an edited preset keeps its source
    view = ViewSettings(step=12, detail="full", head=1, theme="dark", font_scale=1.5, focus_query=3)
    autosave.write(document, view)
    restored, restored_view = load_session(autosave.path)
    assert_same_bits(restored, document)
    assert restored.preset_name == "seed-causal"
    assert restored_view == view
    assert crashed_autosaves(folder) == []  # this process's own: never offered
    autosave.clear()
    assert not autosave.exists
    assert list(folder.iterdir()) == []  # the lock file goes too
    autosave.clear()  # clearing twice is fine


def test_an_autosave_keeps_a_pretrained_source_and_a_bare_model_none(tmp_path: Path) -> None:
    source = PretrainedSource("tiny-bert", "models/tiny-bert", False, 2, 3, "the cat sat")
    document = Document(AttentionModel(["[CLS]", "the", "cat", "[SEP]"], d_model=4, seed=3), source)
    autosave = Autosave(tmp_path)
    autosave.write(document)
    restored, _view = load_session(autosave.path)
    assert restored.source == source
    assert_same_bits(restored, document)
    autosave.write(document.model)  # a bare model: saved with no source
    restored, _view = load_session(autosave.path)
    assert restored.source is None
    assert_same_bits(restored, document.model)


HOLD = """
import sys
from explainer.model import Document
from explainer.session import Autosave
autosave = Autosave(sys.argv[1])
autosave.write(Document.from_preset("seed-cross"))
print(autosave.path.name, flush=True)
sys.stdin.read()  # runs until killed
"""


def test_a_running_processs_autosave_is_left_alone_and_offered_once_it_is_killed(tmp_path: Path) -> None:
    # Issue 15, defect 4b: a second instance offered (and on No deleted) a running one's autosave.
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        name = child.stdout.readline().strip()
        assert name.startswith(f"{AUTOSAVE_PREFIX}{child.pid}-")
        assert crashed_autosaves(tmp_path) == []  # running: neither offered nor touched
        assert (tmp_path / name).exists()
    finally:
        child.send_signal(signal.SIGKILL)  # a crash: no cleanup of any kind
        child.wait()
        assert child.stdin is not None
        child.stdin.close()
        assert child.stdout is not None
        child.stdout.close()
    (found,) = crashed_autosaves(tmp_path)
    assert found.path == tmp_path / name
    document, _view = found.read()
    assert document.source == PresetSource("seed-cross")
    found.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_crashed_autosave_is_claimed_while_it_is_offered(tmp_path: Path) -> None:
    path = crashed(tmp_path, Document.from_preset("seed-self"), dead_pid())
    (first,) = crashed_autosaves(tmp_path)
    assert crashed_autosaves(tmp_path) == []  # a second instance starting meanwhile does not offer it too
    first.release()  # kept for the next start
    (again,) = crashed_autosaves(tmp_path)
    assert again.path == path and path.exists()
    again.release()


def test_the_lock_decides_even_when_the_pid_was_reused(tmp_path: Path) -> None:
    # After a reboot a crashed window's pid may belong to another process: its lock is free all the same.
    crashed(tmp_path, Document.from_preset("seed-self"), os.getppid())
    (found,) = crashed_autosaves(tmp_path)
    found.release()


def test_without_a_lock_file_a_running_pid_keeps_its_autosave(tmp_path: Path) -> None:
    alive = crashed(tmp_path, Document.from_preset("seed-self"), os.getppid(), lock=False)
    gone = crashed(tmp_path, Document.from_preset("seed-cross"), dead_pid(), lock=False)
    (found,) = crashed_autosaves(tmp_path)
    assert found.path == gone
    found.discard()
    assert alive.exists() and not gone.exists()


def test_every_crashed_autosave_oldest_first_and_an_older_versions_file(tmp_path: Path) -> None:
    older = crashed(tmp_path, Document.from_preset("seed-self"), dead_pid())
    legacy = tmp_path / f"autosave{SESSION_SUFFIX}"  # what earlier versions wrote
    save_session(legacy, Document.from_preset("seed-cross"))
    os.utime(older, (1_000_000, 1_000_000))
    found = crashed_autosaves(tmp_path)
    assert [f.path for f in found] == [older, legacy]
    for f in found:
        f.release()


def test_a_stale_lock_without_its_autosave_is_removed(tmp_path: Path) -> None:
    lock = tmp_path / f"{AUTOSAVE_PREFIX}{dead_pid()}-0badc0de.lock"
    lock.write_bytes(b"")
    assert crashed_autosaves(tmp_path) == []
    assert not lock.exists()


def test_nothing_to_restore(tmp_path: Path) -> None:
    assert crashed_autosaves(tmp_path) == []
    assert crashed_autosaves(tmp_path / "never-created") == []


def test_a_corrupt_autosave_is_reported(tmp_path: Path) -> None:
    path = crashed(tmp_path, Document.from_preset("seed-self"), dead_pid())
    path.write_text('{"format": "attention-explainer-session", "vers')
    (found,) = crashed_autosaves(tmp_path)
    with pytest.raises(SessionError, match=rf"^{path.name}: not a session file: invalid JSON"):
        found.read()
    found.discard()
    assert crashed_autosaves(tmp_path) == []


def test_a_failed_autosave_keeps_the_previous_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    autosave = Autosave(tmp_path)
    first = Document.from_preset("seed-self")
    autosave.write(first)
    second = Document.from_preset("seed-cross")

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_module.os, "write", full)
    with pytest.raises(SessionError, match="writing failed: No space left on device"):
        autosave.write(second)
    monkeypatch.undo()
    restored, _view = load_session(autosave.path)
    assert_same_bits(restored, first)


def test_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(
        SessionError, match=rf"^{AUTOSAVE_PREFIX}\d+-[0-9a-f]+\.attn\.json: cannot make the folder "
    ):
        Autosave(blocker / "sub").write(AttentionModel.from_preset("seed-self"))


def test_clearing_a_folder_in_the_way(tmp_path: Path) -> None:
    autosave = Autosave(tmp_path)
    autosave.path.mkdir()
    with pytest.raises(
        SessionError, match=rf"^{AUTOSAVE_PREFIX}\d+-[0-9a-f]+\.attn\.json: cannot remove the autosave: "
    ):
        autosave.clear()
