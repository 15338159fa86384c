"""The NumPy forward pass on a tiny random BERT, checked against a plain loop implementation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tiny_bert import CONFIG, loop_bert, tiny_weights, write_tiny_bert

from explainer.model import AttentionModel, Document
from explainer.real import (
    BertRun,
    PretrainedSource,
    load_bert,
    open_bert,
    pretrained_document,
    pretrained_model,
)

TEXT = "The cat saw the dog because it was tired"


@pytest.fixture(scope="module")
def run(tiny_folder: Path) -> BertRun:
    return load_bert(tiny_folder).run(TEXT)


@pytest.fixture(scope="module")
def reference(run: BertRun) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    return loop_bert(dict(run.checkpoint.weights), CONFIG, [int(i) for i in run.encoded.ids])


def test_tokens_are_word_pieces_with_cls_and_sep_and_no_padding(run: BertRun) -> None:
    # The tokenizer.json pads to 16 and truncates to 10: both are turned off on load.
    assert run.tokens == (
        "[CLS]",
        "the",
        "cat",
        "saw",
        "the",
        "dog",
        "because",
        "it",
        "was",
        "tired",
        "[SEP]",
    )
    assert run.encoded.ids.tolist()[0] == 2 and run.encoded.ids.tolist()[-1] == 3
    assert run.encoded.type_ids.tolist() == [0] * 11


def test_unknown_words_become_unk(tiny_folder: Path) -> None:
    assert load_bert(tiny_folder).run("the zebra sat").tokens == ("[CLS]", "the", "[UNK]", "sat", "[SEP]")


@pytest.mark.parametrize("layer", range(CONFIG["num_hidden_layers"] + 1))
def test_hidden_states_match_the_loop_reference(run: BertRun, reference, layer: int) -> None:
    states, _, _ = reference
    np.testing.assert_allclose(run.layer_input(layer), states[layer], rtol=0, atol=1e-12)


@pytest.mark.parametrize("layer", range(CONFIG["num_hidden_layers"]))
def test_each_layer_becomes_an_attention_model_with_the_loop_attention(
    run: BertRun, reference, layer: int
) -> None:
    _, attentions, outputs = reference
    model = run.attention_model(layer)
    assert model.query_tokens == list(run.tokens)
    assert model.mode == "self" and model.scale and not model.causal
    assert (model.d_model, model.d_k, model.d_v, model.n_heads) == (8, 4, 4, 2)
    np.testing.assert_allclose(model.trace.weights, attentions[layer], rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.trace.output, outputs[layer], rtol=0, atol=1e-12)
    assert np.abs(attentions[layer] - 1 / len(run.tokens)).max() > 0.1  # not a uniform, trivially equal map


def test_weights_are_split_per_head_in_the_row_vector_convention(run: BertRun) -> None:
    params = run.attention_model(1).params
    w = run.checkpoint.weights
    p = "encoder.layer.1.attention."
    for short, name in (("q", "query"), ("k", "key"), ("v", "value")):
        weight, bias = w[f"{p}self.{name}.weight"], w[f"{p}self.{name}.bias"]
        for head in range(2):
            columns = slice(head * 4, head * 4 + 4)
            np.testing.assert_array_equal(params[f"w_{short}"][head], weight.T[:, columns])
            np.testing.assert_array_equal(params[f"b_{short}"][head], bias[columns])
    np.testing.assert_array_equal(params["w_o"], w[f"{p}output.dense.weight"].T)
    np.testing.assert_array_equal(params["b_o"], w[f"{p}output.dense.bias"])
    np.testing.assert_array_equal(params["x_q"], run.layer_input(1))
    assert params["x_kv"] is params["x_q"]


def test_pretrained_document_with_a_folder(tiny_folder: Path) -> None:
    document = pretrained_document(tiny_folder, text="a dog ran away", layer=2)
    assert isinstance(document, Document)
    assert document.model.query_tokens == ["[CLS]", "a", "dog", "ran", "away", "[SEP]"]
    assert document.preset_name is None
    assert document.source == PretrainedSource(
        checkpoint=tiny_folder.name,
        folder=str(tiny_folder),
        is_default=False,
        layer=2,
        n_layers=3,
        text="a dog ran away",
    )
    assert document.label == f"{tiny_folder.name} · layer 3 of 3"
    assert Document.from_preset("seed-self").source != document.source


def test_pretrained_model_is_the_same_numbers_without_a_source(tiny_folder: Path) -> None:
    model = pretrained_model(tiny_folder, text="a dog ran away", layer=2)
    assert isinstance(model, AttentionModel)
    document = pretrained_document(tiny_folder, text="a dog ran away", layer=2)
    assert document.model is not model
    assert model.state.same_as(document.model.state)
    run = load_bert(tiny_folder).run("a dog ran away")
    from_run = run.document(2)
    assert from_run.source == document.source == run.source(2)
    assert from_run.model.state.same_as(model.state)
    assert run.document(0).source == PretrainedSource(
        tiny_folder.name, str(tiny_folder), False, 0, 3, "a dog ran away"
    )


def test_the_weights_stay_editable(tiny_folder: Path) -> None:
    model = pretrained_model(tiny_folder, "the cat sat", 0)
    before = model.trace.weights[1].copy()
    model.set_value("w_q", (1, 0, 0), 5.0)
    assert not np.allclose(model.trace.weights[1], before)


def test_state_restores_into_an_existing_model_with_one_emission(run: BertRun) -> None:
    model = AttentionModel.from_preset("seed-self")
    emitted: list[object] = []
    model.changed.connect(emitted.append)
    model.restore(run.state(2))
    assert len(emitted) == 1
    np.testing.assert_array_equal(model.trace.weights, run.attention_model(2).trace.weights)


def test_layers_are_computed_on_demand_and_kept(tiny_folder: Path) -> None:
    run = load_bert(tiny_folder).run("the cat sat")
    assert run._inputs == []
    first = run.layer_input(1)
    assert len(run._inputs) == 2
    assert run.layer_input(1) is first
    assert not first.flags.writeable and first.dtype == np.float64


def test_bert_prefix_and_old_layer_norm_names_are_accepted(tmp_path: Path, tiny_folder: Path) -> None:
    from safetensors.numpy import load_file, save_file

    prefixed = write_tiny_bert(tmp_path / "prefixed", prefix="bert.")
    stored = load_file(str(prefixed / "model.safetensors"))
    renamed = {
        k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"): v
        for k, v in stored.items()
    }
    save_file(renamed, str(prefixed / "model.safetensors"))
    assert any(name.startswith("bert.") and name.endswith(".gamma") for name in renamed)
    plain = load_bert(tiny_folder).run(TEXT).attention_model(2).trace.weights
    np.testing.assert_array_equal(load_bert(prefixed).run(TEXT).attention_model(2).trace.weights, plain)


def test_weights_keep_their_stored_dtype_and_are_read_only(tiny_folder: Path) -> None:
    checkpoint = load_bert(tiny_folder)
    assert "embeddings.position_ids" not in checkpoint.weights  # only what the forward pass reads
    query = checkpoint.weights["encoder.layer.0.attention.self.query.weight"]
    assert query.dtype == np.float32 and not query.flags.writeable
    np.testing.assert_array_equal(query, tiny_weights(CONFIG)["encoder.layer.0.attention.self.query.weight"])


def test_open_bert_keeps_the_checkpoint_until_a_file_changes(fresh_folder: Path) -> None:
    first = open_bert(fresh_folder)
    assert open_bert(fresh_folder) is first
    config = json.loads((fresh_folder / "config.json").read_text())
    config["layer_norm_eps"] = 1e-6
    (fresh_folder / "config.json").write_text(json.dumps(config) + "\n")
    second = open_bert(fresh_folder)
    assert second is not first and second.config.layer_norm_eps == 1e-6


def test_max_positions_below_64_limit_the_text(tmp_path: Path) -> None:
    folder = write_tiny_bert(tmp_path / "short", max_position_embeddings=6)
    assert load_bert(folder).max_tokens == 6
    assert len(load_bert(folder).run("a dog ran away").tokens) == 6
