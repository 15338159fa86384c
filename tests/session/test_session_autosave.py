"""Autosave for crash recovery: write, read back exactly, clear; a corrupt one is reported."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from session_helpers import assert_same_bits

from explainer.model import AttentionModel
from explainer.session import (
    AUTOSAVE_NAME,
    SessionError,
    ViewSettings,
    autosave_path,
    clear_autosave,
    read_autosave,
    write_autosave,
)
from explainer.session import atomic as atomic_module


def test_path_is_in_the_folder(tmp_path: Path) -> None:
    assert autosave_path(tmp_path) == tmp_path / "autosave.attn.json" == tmp_path / AUTOSAVE_NAME
    assert autosave_path(str(tmp_path)) == tmp_path / AUTOSAVE_NAME


def test_nothing_to_restore(tmp_path: Path) -> None:
    assert read_autosave(tmp_path) is None
    assert read_autosave(tmp_path / "never-created") is None


def test_write_read_clear(tmp_path: Path) -> None:
    folder = tmp_path / "AppData" / "Attention Explainer"  # made on the first autosave
    model = AttentionModel.from_preset("seed-causal")
    model.set_value("w_v", (1, 0, 0), -0.123456789012345)
    view = ViewSettings(step=12, detail="full", head=1, theme="dark", font_scale=1.5, focus_query=3)
    write_autosave(folder, model, view)
    restored = read_autosave(folder)
    assert restored is not None
    assert_same_bits(restored[0], model)
    assert restored[1] == view
    clear_autosave(folder)
    assert read_autosave(folder) is None
    clear_autosave(folder)  # clearing twice is fine


def test_a_corrupt_autosave_is_reported(tmp_path: Path) -> None:
    autosave_path(tmp_path).write_text('{"format": "attention-explainer-session", "vers')
    with pytest.raises(SessionError, match=r"^autosave\.attn\.json: not a session file: invalid JSON"):
        read_autosave(tmp_path)
    clear_autosave(tmp_path)
    assert read_autosave(tmp_path) is None


def test_a_failed_autosave_keeps_the_previous_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = AttentionModel.from_preset("seed-self")
    write_autosave(tmp_path, first)
    second = AttentionModel.from_preset("seed-cross")

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_module.os, "write", full)
    with pytest.raises(SessionError, match="writing failed: No space left on device"):
        write_autosave(tmp_path, second)
    monkeypatch.undo()
    restored = read_autosave(tmp_path)
    assert restored is not None
    assert_same_bits(restored[0], first)


def test_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SessionError, match=r"^autosave\.attn\.json: cannot make the folder "):
        write_autosave(blocker / "sub", AttentionModel.from_preset("seed-self"))


def test_clearing_a_folder_in_the_way(tmp_path: Path) -> None:
    autosave_path(tmp_path).mkdir()
    with pytest.raises(SessionError, match=r"^autosave\.attn\.json: cannot remove it: "):
        clear_autosave(tmp_path)
