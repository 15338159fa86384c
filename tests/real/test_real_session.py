"""A real checkpoint's layer saved as a session: the numbers bit for bit, and where they came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explainer.model import PretrainedSource
from explainer.model.limits import PARAM_NAMES
from explainer.real import load_bert, pretrained_document
from explainer.session import Autosave, ViewSettings, load_session, save_session

TEXT = "the cat sat on the mat"


@pytest.mark.parametrize("layer", [0, 2])
def test_a_pretrained_layer_round_trips_with_its_source(
    tiny_folder: Path, tmp_path: Path, layer: int
) -> None:
    document = pretrained_document(tiny_folder, TEXT, layer)
    document.model.set_value("w_q", (1, 0, 0), 0.125)  # an edited layer still came from the checkpoint
    path = tmp_path / "bert.attn.json"
    view = ViewSettings(head=1, detail="matrix", focus_query=2)
    save_session(path, document, view)

    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["version"] == 2
    assert saved["source"] == {
        "kind": "pretrained",
        "checkpoint": tiny_folder.name,
        "folder": str(tiny_folder),
        "is_default": False,
        "layer": layer,
        "n_layers": 3,
        "text": TEXT,
    }
    loaded, loaded_view = load_session(path)
    assert (
        loaded.source
        == document.source
        == PretrainedSource(tiny_folder.name, str(tiny_folder), False, layer, 3, TEXT)
    )
    assert loaded.label == f"{tiny_folder.name} · layer {layer + 1} of 3"
    assert loaded_view == view
    assert loaded.model.state.same_as(document.model.state)
    for name in PARAM_NAMES:
        assert loaded.model.params[name].tobytes() == document.model.params[name].tobytes(), name


def test_a_session_of_a_pretrained_layer_opens_without_the_checkpoint(
    fresh_folder: Path, tmp_path: Path
) -> None:
    # The numbers are in the file: the source only says where they came from.
    document = load_bert(fresh_folder).run(TEXT).document(1)
    autosave = Autosave(tmp_path / "autosave")
    autosave.write(document)
    for file in fresh_folder.iterdir():
        file.unlink()
    fresh_folder.rmdir()
    restored = load_session(autosave.path)
    assert restored[0].source == document.source
    assert restored[0].model.state.same_as(document.model.state)
