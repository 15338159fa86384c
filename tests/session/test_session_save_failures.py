"""A failing save never damages the existing file, leaves no temporary behind, and says what failed."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from session_helpers import assert_same_bits

from explainer.model import AttentionModel, Document, ModelState, PresetSource, PretrainedSource
from explainer.session import SessionError, ViewSettings, load_session, save_session
from explainer.session import atomic as atomic_module

NAME = "lecture.attn.json"


@pytest.fixture
def existing(tmp_path: Path) -> tuple[Path, bytes]:
    """A session already on disk, and its exact bytes."""
    path = tmp_path / NAME
    save_session(path, Document.from_preset("seed-translate"))
    return path, path.read_bytes()


@pytest.fixture
def edited() -> Document:
    document = Document.from_preset("seed-translate")
    document.model.set_value("w_q", (0, 0, 0), 0.25)
    return document


def failing_save(path: Path, document: Document | AttentionModel) -> str:
    with pytest.raises(SessionError) as caught:
        save_session(path, document)
    return str(caught.value)


def only_the_target(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == [NAME]  # no temporary left behind


def test_no_permission_to_create_the_temporary(
    existing: tuple[Path, bytes], edited: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only folder (chmod does not stop root, so the refusal is simulated).
    path, before = existing

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_module.os, "open", refuse)
    message = failing_save(path, edited)
    assert message.startswith(f"{NAME}: could not save: creating a temporary file failed: Permission denied")
    assert "the old file is unchanged" in message
    assert path.read_bytes() == before
    only_the_target(path.parent)


def test_no_space_left_halfway(
    existing: tuple[Path, bytes], edited: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, before = existing
    real_write = os.write
    calls: list[int] = []

    def fill_up(fd: int, data: bytes) -> int:
        if calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        calls.append(1)
        return real_write(fd, bytes(data)[:100])  # a short write, then the disk is full

    monkeypatch.setattr(atomic_module.os, "write", fill_up)
    message = failing_save(path, edited)
    assert message.startswith(f"{NAME}: could not save: writing failed: No space left on device")
    assert path.read_bytes() == before
    only_the_target(path.parent)


def test_fsync_fails(existing: tuple[Path, bytes], edited: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    path, before = existing

    def broken_disk(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic_module.os, "fsync", broken_disk)
    message = failing_save(path, edited)
    assert message.startswith(f"{NAME}: could not save: flushing to disk failed: Input/output error")
    assert path.read_bytes() == before
    only_the_target(path.parent)


def test_the_rename_fails(
    existing: tuple[Path, bytes], edited: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, before = existing

    def cannot_rename(source: object, target: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic_module.os, "replace", cannot_rename)
    message = failing_save(path, edited)
    assert message.startswith(
        f"{NAME}: could not save: renaming the temporary file onto the old one failed: "
        "Operation not permitted; the old file is unchanged (in "
    )
    assert path.read_bytes() == before
    only_the_target(path.parent)
    monkeypatch.undo()
    assert_same_bits(load_session(path)[0], Document.from_preset("seed-translate"))


def test_interrupted_while_writing(
    existing: tuple[Path, bytes], edited: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, before = existing

    def interrupt(fd: int, data: bytes) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_module.os, "write", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save_session(path, edited)
    assert path.read_bytes() == before
    only_the_target(path.parent)


def test_a_new_file_that_cannot_be_written_says_so_without_claiming_an_old_one(
    tmp_path: Path, edited: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_module.os, "open", refuse)
    message = failing_save(tmp_path / NAME, edited)
    assert "unchanged" not in message
    assert not (tmp_path / NAME).exists()


def test_a_folder_that_vanished(tmp_path: Path, edited: Document) -> None:
    folder = tmp_path / "talks"
    folder.mkdir()
    folder.rmdir()
    message = failing_save(folder / NAME, edited)
    assert message.startswith(f"{NAME}: cannot save: the folder does not exist (any more): ")
    assert message.endswith("talks")
    assert not folder.exists()


def test_a_folder_with_the_name(tmp_path: Path, edited: Document) -> None:
    (tmp_path / NAME).mkdir()
    assert failing_save(tmp_path / NAME, edited) == f"{NAME}: cannot save: a folder has that name"
    assert (tmp_path / NAME).is_dir()


def test_fsync_happens_before_the_rename(
    tmp_path: Path, edited: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(source: str, target: str) -> None:
        events.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(atomic_module.os, "fsync", fsync)
    monkeypatch.setattr(atomic_module.os, "replace", replace)
    save_session(tmp_path / NAME, edited)
    assert events[:2] == ["fsync", "replace"]  # then the folder itself, on POSIX


def test_permissions_of_the_old_file_are_kept(existing: tuple[Path, bytes], edited: Document) -> None:
    path, _ = existing
    os.chmod(path, 0o640)
    save_session(path, edited)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert_same_bits(load_session(path)[0], edited)


@pytest.mark.skipif(sys.platform == "win32", reason="umask is POSIX")
def test_a_new_file_follows_the_umask(tmp_path: Path, edited: Document) -> None:
    old = os.umask(0o027)
    try:
        save_session(tmp_path / NAME, edited)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / NAME).st_mode) == 0o640


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_saving_through_a_symlink_keeps_the_link(existing: tuple[Path, bytes], edited: Document) -> None:
    path, _ = existing
    link = path.with_name("current.attn.json")
    link.symlink_to(path)
    save_session(link, edited)
    assert link.is_symlink()
    assert_same_bits(load_session(path)[0], edited)


def test_the_temporary_is_hidden_beside_the_target_and_names_this_process(
    tmp_path: Path, edited: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        renamed.append((Path(source), Path(target)))
        real_replace(source, target)

    monkeypatch.setattr(atomic_module.os, "replace", replace)
    save_session(tmp_path / NAME, edited)
    [(temp, target)] = renamed
    assert target == tmp_path / NAME
    assert temp.parent == tmp_path
    assert re.fullmatch(rf"\.{re.escape(NAME)}\.partial-{os.getpid()}-[0-9a-f]{{8}}\.json", temp.name)
    only_the_target(tmp_path)


@pytest.mark.skipif(sys.platform == "win32", reason="pid check is POSIX")
def test_a_temporary_left_by_a_killed_save_is_removed(tmp_path: Path, edited: Document) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".{NAME}.partial-{int(dead.stdout)}-0badf00d.json"
    stale.write_text("half a sess")
    mine = tmp_path / f".{NAME}.partial-{os.getpid()}-0badf00d.json"  # a save still running in this process
    mine.write_text("busy")
    save_session(tmp_path / NAME, edited)
    assert not stale.exists()
    assert mine.exists()


def test_a_view_that_does_not_fit_is_refused_before_writing(existing: tuple[Path, bytes]) -> None:
    path, before = existing
    model = Document.from_preset("seed-translate")
    with pytest.raises(SessionError) as caught:
        save_session(path, model, ViewSettings(head=3))
    assert str(caught.value) == (
        f"{NAME}: cannot save: field view.head: expected a whole number from 0 to 0, got 3"
    )
    with pytest.raises(SessionError, match=r"field view\.layout"):
        save_session(path, model, ViewSettings(layout=()))
    assert path.read_bytes() == before


def test_a_session_over_the_size_cap_is_refused_before_writing(
    existing: tuple[Path, bytes], edited: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, before = existing
    monkeypatch.setattr("explainer.session.files.MAX_SESSION_BYTES", 1000)
    message = failing_save(path, edited)
    assert message.startswith(f"{NAME}: cannot save: the session would be ")
    assert path.read_bytes() == before


def test_a_token_utf8_cannot_write_never_reaches_a_save(tmp_path: Path) -> None:
    # The model refuses text UTF-8 cannot hold (a lone surrogate) everywhere, restore()
    # included, so no session can carry one to the disk.
    model = AttentionModel(["ok", "fine"])
    s = model.state
    with pytest.raises(ValueError, match="expected text"):
        model.restore(ModelState(("ok", "\ud800"), None, s.causal, s.scale, dict(s.params)))
    assert model.state is s
    save_session(tmp_path / NAME, model)
    assert load_session(tmp_path / NAME)[0].model.query_tokens == ["ok", "fine"]


# A source load would refuse: (the source, what the message must say after "cannot save: ").
UNSAVABLE_SOURCES = [
    (PresetSource(""), "field source.name: expected text (not empty), got the string ''"),
    (PresetSource("\ud800"), "field source.name: expected text (a lone surrogate escape is not text)"),
    (
        PretrainedSource("tiny", "models/tiny", False, 3, 3, "the cat"),
        "field source.layer: expected 0 to 2 (n_layers is 3), got 3",
    ),
    (
        PretrainedSource("tiny", "models/tiny", False, -1, 3, "the cat"),
        "field source.layer: expected a whole number >= 0, got -1",
    ),
    (
        PretrainedSource("tiny", "models/tiny", "yes", 0, 3, "the cat"),  # type: ignore[arg-type]
        "field source.is_default: expected true or false, got the string 'yes'",
    ),
    (
        PretrainedSource("tiny", "models/tiny", False, 0, 3, ""),
        "field source.text: expected text (not empty), got the string ''",
    ),
]


@pytest.mark.parametrize(("source", "expected"), UNSAVABLE_SOURCES)
def test_a_source_load_would_refuse_is_refused_on_save(
    existing: tuple[Path, bytes], source: PresetSource | PretrainedSource, expected: str
) -> None:
    path, before = existing
    document = Document(AttentionModel.from_preset("seed-self"), source)
    assert failing_save(path, document).startswith(f"{NAME}: cannot save: {expected}")
    assert path.read_bytes() == before
    only_the_target(path.parent)


def test_numpy_numbers_in_the_view_are_saved_as_plain_numbers(tmp_path: Path) -> None:
    model = Document.from_preset("seed-causal")
    view = ViewSettings(step=np.int64(4), head=np.int32(1), font_scale=np.float32(1.5), focus_key=np.int64(2))
    save_session(tmp_path / NAME, model, view)
    loaded = load_session(tmp_path / NAME)[1]
    assert loaded == ViewSettings(step=4, head=1, font_scale=1.5, focus_key=2)
    assert type(loaded.step) is int
