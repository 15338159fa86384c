"""Save then load gives back the same model, bit for bit, and the same view settings."""

from __future__ import annotations

import json
import math
import struct
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from session_helpers import SPECIAL, assert_same_bits, document_of, documents, views_for

from explainer.model import AttentionModel, Document, PresetSource, PretrainedSource
from explainer.session import (
    FORMAT,
    PANEL_NAMES,
    SESSION_SUFFIX,
    VERSION,
    ViewSettings,
    load_session,
    save_session,
)

PRESETS = AttentionModel.preset_names()


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_round_trips_bit_for_bit(tmp_path: Path, preset: str) -> None:
    document = Document.from_preset(preset)
    path = tmp_path / f"{preset}{SESSION_SUFFIX}"
    save_session(path, document)
    loaded, view = load_session(path)
    assert_same_bits(loaded, document)
    assert loaded.source == PresetSource(preset)
    assert view == ViewSettings()
    assert np.array_equal(loaded.model.trace.output, document.model.trace.output)


@pytest.mark.parametrize(
    "source",
    [
        None,
        PresetSource("seed-causal"),
        PretrainedSource("all-MiniLM-L6-v2", "minilm", True, 5, 6, "The animal didn't cross"),
        PretrainedSource("tiny-bert", "checkpoints/tiny-bert", False, 0, 1, " a  text, as typed \n"),
    ],
    ids=["none", "preset", "pretrained default", "pretrained folder"],
)
def test_the_source_round_trips(tmp_path: Path, source: PresetSource | PretrainedSource | None) -> None:
    # The source is a label: any one goes with any numbers (a preset's source beside other numbers).
    document = Document(AttentionModel.from_preset("seed-causal"), source)
    path = tmp_path / "source.attn.json"
    save_session(path, document)
    loaded = load_session(path)[0]
    assert loaded.source == source
    assert_same_bits(loaded, document)


def test_a_bare_model_is_saved_with_no_source(tmp_path: Path) -> None:
    model = AttentionModel.from_preset("seed-self")  # numbers of a preset, but no document says so
    save_session(tmp_path / "bare.attn.json", model)
    assert document_of(tmp_path / "bare.attn.json")["source"] is None
    loaded = load_session(tmp_path / "bare.attn.json")[0]
    assert (loaded.source, loaded.preset_name, loaded.label) == (None, None, "untitled")
    assert_same_bits(loaded, model)


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data())
def test_random_models_and_views_round_trip(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    document = data.draw(documents())
    view = data.draw(views_for(document.model))
    path = tmp_path_factory.mktemp("roundtrip") / "random.attn.json"
    save_session(path, document, view)
    loaded, loaded_view = load_session(path)
    assert_same_bits(loaded, document)
    assert loaded_view == view
    # Saving what was loaded writes the very same bytes: nothing drifts across generations.
    again = path.with_name("again.attn.json")
    save_session(again, loaded, loaded_view)
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("value", [*SPECIAL, np.nextafter(1e6, 0), 123456.789e-3, -1.5e-320])
def test_special_floats_keep_every_bit(tmp_path: Path, value: float) -> None:
    model = AttentionModel(["a", "b"], d_model=2, d_k=1)
    for name, cell in (("w_q", (0, 1, 0)), ("b_o", 0)):
        model.set_value(name, cell, 1.0)  # the model ignores -0.0 over 0.0 (equal), not over 1.0
        model.set_value(name, cell, value)
    save_session(tmp_path / "s.attn.json", model)
    loaded = load_session(tmp_path / "s.attn.json")[0].model
    for name, cell in (("w_q", (0, 1, 0)), ("b_o", (0,))):
        got = float(loaded.params[name][cell])
        assert struct.pack("<d", got) == struct.pack("<d", value), (name, value, got)
    assert math.copysign(1.0, float(loaded.params["w_q"][0, 1, 0])) == math.copysign(1.0, value)


def test_document_holds_every_field(tmp_path: Path) -> None:
    document = Document.from_preset("seed-causal")
    model = document.model
    view = ViewSettings(
        step=7,
        detail="rows",
        head=1,
        theme="dark",
        layout=("scores", "softmax"),
        font_scale=1.25,
        focus_query=2,
        focus_key=0,
    )
    save_session(tmp_path / "talk.attn.json", document, view)
    doc = document_of(tmp_path / "talk.attn.json")
    assert list(doc) == [
        "format",
        "version",
        "source",
        "query_tokens",
        "key_tokens",
        "causal",
        "scale",
        "sizes",
        "seed",
        "view",
        "params",
    ]
    assert (doc["format"], doc["version"]) == (FORMAT, VERSION) == ("attention-explainer-session", 2)
    assert doc["source"] == {"kind": "preset", "name": "seed-causal"}
    assert doc["seed"] == model.seed
    assert (doc["key_tokens"], doc["causal"], doc["scale"]) == (None, True, True)
    assert doc["sizes"] == {"d_model": model.d_model, "d_k": model.d_k, "d_v": model.d_v, "n_heads": 2}
    assert doc["view"] == {
        "step": 7,
        "detail": "rows",
        "head": 1,
        "theme": "dark",
        "layout": ["scores", "softmax"],
        "font_scale": 1.25,
        "focus_query": 2,
        "focus_key": 0,
    }
    assert np.array_equal(doc["params"]["w_o"], model.params["w_o"])
    assert load_session(tmp_path / "talk.attn.json")[1] == view


def test_the_file_is_readable_text(tmp_path: Path) -> None:
    model = AttentionModel(["日本", "語"], ["this", "is"], d_model=2, d_k=2)
    save_session(tmp_path / "t.attn.json", model)
    text = (tmp_path / "t.attn.json").read_text(encoding="utf-8")
    assert '"query_tokens": ["日本", "語"]' in text  # UTF-8, not \\u escapes
    assert text.endswith("}\n")
    assert max(len(line) for line in text.splitlines()) < 200  # one matrix row per line
    json.loads(text)


def test_view_defaults_and_list_layout() -> None:
    view = ViewSettings()
    assert (view.step, view.detail, view.head, view.theme, view.font_scale) == (
        0,
        "first-query",
        0,
        "light",
        1.0,
    )
    assert view.layout == PANEL_NAMES
    assert (view.focus_query, view.focus_key) == (None, None)
    listed = ViewSettings(layout=["scores"])  # type: ignore[arg-type]
    assert listed.layout == ("scores",)
    assert hash(replace(view, theme="dark")) != hash(view)


def test_accepts_str_and_path(tmp_path: Path) -> None:
    document = Document.from_preset("seed-self")
    save_session(str(tmp_path / "a.attn.json"), document)
    assert_same_bits(load_session(str(tmp_path / "a.attn.json"))[0], document)


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    # Windows Notepad saves UTF-8 with a byte order mark.
    document = Document.from_preset("seed-cross")
    path = tmp_path / "bom.attn.json"
    save_session(path, document)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert_same_bits(load_session(path)[0], document)


def test_integers_in_params_are_read_as_floats(tmp_path: Path) -> None:
    model = AttentionModel(["a"], d_model=1, d_k=1)
    path = tmp_path / "int.attn.json"
    save_session(path, model)
    doc = document_of(path)
    doc["params"]["w_q"] = [[[3]]]
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_session(path)[0].model
    assert loaded.params["w_q"].dtype == np.float64
    assert loaded.params["w_q"][0, 0, 0] == 3.0


def test_negative_zero_from_a_preset_survives(tmp_path: Path) -> None:
    model = AttentionModel.from_preset("seed-self")  # its x_q holds a -0.0
    x_q = model.params["x_q"]
    assert np.any((x_q == 0) & np.signbit(x_q))
    save_session(tmp_path / "s.attn.json", model)
    loaded = load_session(tmp_path / "s.attn.json")[0].model.params["x_q"]
    assert np.array_equal(np.signbit(loaded), np.signbit(x_q))
    assert "-0.0" in (tmp_path / "s.attn.json").read_text(encoding="utf-8")
