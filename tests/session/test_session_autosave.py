"""Autosave for crash recovery: write, read back exactly, clear; a corrupt one is reported."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from session_helpers import assert_same_bits

from explainer.model import AttentionModel, Document, PretrainedSource
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
    document = Document.from_preset("seed-causal")
    document.model.set_value("w_v", (1, 0, 0), -0.123456789012345)  # an edited preset keeps its source
    view = ViewSettings(step=12, detail="full", head=1, theme="dark", font_scale=1.5, focus_query=3)
    write_autosave(folder, document, view)
    restored = read_autosave(folder)
    assert restored is not None
    assert isinstance(restored[0], Document)
    assert_same_bits(restored[0], document)
    assert restored[0].preset_name == "seed-causal"
    assert restored[1] == view
    clear_autosave(folder)
    assert read_autosave(folder) is None
    clear_autosave(folder)  # clearing twice is fine


def test_an_autosave_keeps_a_pretrained_source_and_a_bare_model_none(tmp_path: Path) -> None:
    source = PretrainedSource("tiny-bert", "models/tiny-bert", False, 2, 3, "the cat sat")
    document = Document(AttentionModel(["[CLS]", "the", "cat", "[SEP]"], d_model=4, seed=3), source)
    write_autosave(tmp_path, document)
    restored = read_autosave(tmp_path)
    assert restored is not None
    assert restored[0].source == source
    assert_same_bits(restored[0], document)
    write_autosave(tmp_path, document.model)  # a bare model: saved with no source
    restored = read_autosave(tmp_path)
    assert restored is not None
    assert restored[0].source is None
    assert_same_bits(restored[0], document.model)


def test_a_corrupt_autosave_is_reported(tmp_path: Path) -> None:
    autosave_path(tmp_path).write_text('{"format": "attention-explainer-session", "vers')
    with pytest.raises(SessionError, match=r"^autosave\.attn\.json: not a session file: invalid JSON"):
        read_autosave(tmp_path)
    clear_autosave(tmp_path)
    assert read_autosave(tmp_path) is None


def test_a_failed_autosave_keeps_the_previous_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Document.from_preset("seed-self")
    write_autosave(tmp_path, first)
    second = Document.from_preset("seed-cross")

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
