"""A real checkpoint's layer in the window, then a session: the pretrained panel lets go of its run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from explainer.model import PretrainedSource
from explainer.session import save_session

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "real"))
from tiny_bert import write_tiny_bert

sys.path.pop(0)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny_bert(tmp_path / "tiny")


def test_opening_a_session_lets_go_of_the_panels_run(make_window, tmp_path, tiny) -> None:
    other = make_window(tmp_path / "a")
    assert other.pretrained.open(str(tiny), "on mat a dog", 2)
    session = tmp_path / "b.attn.json"
    save_session(session, other.document, other.on_screen.settings())

    win = make_window(tmp_path / "b")
    assert win.pretrained.open(str(tiny), "the cat sat", 0)
    assert win.pretrained.layer.isEnabled()
    assert win.session.open(session)
    source = win.document.source
    assert isinstance(source, PretrainedSource) and (source.text, source.layer) == ("on mat a dog", 2)
    # The layer box belonged to "the cat sat": moving it must not bring that text back.
    assert win.pretrained.run is None and not win.pretrained.layer.isEnabled()
    assert win.model.query_tokens == ["[CLS]", "on", "mat", "a", "dog", "[SEP]"]


def test_the_panels_own_layer_switch_keeps_its_run(make_window, tmp_path, tiny) -> None:
    win = make_window(tmp_path / "a")
    assert win.pretrained.open(str(tiny), "the cat sat", 0)
    win.pretrained.layer.setValue(3)
    source = win.document.source
    assert isinstance(source, PretrainedSource) and source.layer == 2
    assert win.pretrained.run is not None and win.pretrained.layer.isEnabled()
