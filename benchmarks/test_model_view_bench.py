"""Model view speed (measured, not asserted): moving the selection and repainting < 50 ms, all_attentions.

A synthetic checkpoint of all-MiniLM-L6-v2's shape (6 layers × 12 heads, hidden 384),
written as tests/real's tiny BERT is, so it runs where the real one is not installed.
Run with ``python -m pytest benchmarks/test_model_view_bench.py --benchmark-only -s``.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest
from gui_helpers import record_p95
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "real"))

from tiny_bert import WORDS, write_tiny_bert

from explainer.qt.application import application, dispose
from explainer.qt.model_view import ModelView
from explainer.qt.style import Appearance
from explainer.real import BertCheckpoint, load_bert
from explainer.real.attentions import all_attentions

MINILM_SHAPE = {
    "hidden_size": 384,
    "num_attention_heads": 12,
    "num_hidden_layers": 6,
    "intermediate_size": 1536,
    "max_position_embeddings": 512,
}
TEXT_32 = " ".join((WORDS * 3)[:30])  # 30 words, one token each, + [CLS] and [SEP]


@pytest.fixture(scope="module")
def minilm_shaped(tmp_path_factory: pytest.TempPathFactory) -> BertCheckpoint:
    checkpoint = load_bert(write_tiny_bert(tmp_path_factory.mktemp("minilm-shaped"), **MINILM_SHAPE))
    assert len(checkpoint.run(TEXT_32).tokens) == 32
    all_attentions(checkpoint.run(TEXT_32))  # float64 copies of the weights made once, as in the app
    return checkpoint


def test_all_attentions_6_layers_12_heads_32_tokens(benchmark, minilm_shaped: BertCheckpoint) -> None:
    """A new text: tokenize, run the 6 layers, every layer's α (what the page computes once per text)."""
    benchmark.extra_info["target_ms"] = 50.0
    attentions = benchmark(lambda: all_attentions(minilm_shaped.run(TEXT_32)))
    assert attentions.shape == (6, 12, 32, 32)
    record_p95(benchmark)


def test_switch_selected_head_and_repaint_1080p(benchmark) -> None:
    """Move the selection to the next (layer, head) and paint the whole view at 1920×1080."""
    application()
    rng = np.random.default_rng(0)
    scores = rng.normal(0.0, 2.5, (6, 12, 16, 16))
    attentions = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
    view = ModelView(Appearance())
    view.resize(1920, 1080)
    view.set_attentions(attentions, [f"t{i}" for i in range(16)])
    view.show()
    QApplication.processEvents()  # shown and exposed: repaint() paints now
    view.repaint()
    assert len(view.thumbnails) == 72
    heads = itertools.cycle([*[(layer, head) for layer in range(6) for head in range(12)][1:], (0, 0)])

    def switch() -> None:
        view.select(*next(heads))
        view.repaint()

    benchmark.extra_info["target_ms"] = 50.0
    try:
        benchmark.pedantic(switch, rounds=300, iterations=1, warmup_rounds=10)
        assert view.thumbnails[view.selection].rect.width() > 100
        record_p95(benchmark)
    finally:
        view.shutdown()
        dispose(view)
