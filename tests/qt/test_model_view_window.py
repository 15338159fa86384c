"""The model view in the window: every layer × head of the run on screen, a click opens one step by step."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import settle

from explainer.model import PretrainedSource

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "real"))
from tiny_bert import write_tiny_bert

sys.path.pop(0)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny_bert(tmp_path / "tiny")


def test_without_a_real_checkpoint_the_model_view_says_how_to_get_one(open_window):
    window = open_window("seed-translate")
    window.views.show_model()
    assert window.views.current is None
    assert "real checkpoint" in window.statusBar().currentMessage()
    assert window.docks.pretrained.isVisible()


def test_a_thumbnail_opens_its_layer_and_head_step_by_step(open_window, tiny):
    window = open_window("seed-translate")
    assert window.pretrained.open(str(tiny), "the cat sat", 0)
    window.views.show_model()
    page = window.views.model_page
    assert window.views.current == "model"
    settle()  # the thumbnails are laid out as painted
    run = window.pretrained.run
    n_layers, n_heads = run.checkpoint.n_layers, window.model.n_heads
    assert len(page.view.thumbnails) == n_layers * n_heads
    layer, head = n_layers - 1, n_heads - 1
    np.testing.assert_allclose(
        page.view.thumbnails[(layer, head)].alpha, run.attention_model(layer).trace.weights[head]
    )
    page.opened.emit(layer, head)  # what a click on the thumbnail (or Enter on it) sends
    source = window.document.source
    assert isinstance(source, PretrainedSource) and source.layer == layer
    assert window.focus.head == head and window.views.current is None
    np.testing.assert_allclose(window.model.trace.weights[head], page.view.thumbnails[(layer, head)].alpha)
