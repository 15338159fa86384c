"""Where a session's numbers came from: version 2's ``"source"``, and version 1 files that named a preset.

A source is a preset by name, a checkpoint's layer and text, or null; a broken one is refused
with one SessionError naming the field, and version 1 files (``"preset"``: a name or null)
still open.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from session_helpers import NAME, assert_same_bits, breaks, document_of, set_at

from explainer.model import AttentionModel, Document, PresetSource, PretrainedSource
from explainer.session import VERSION, ViewSettings, load_session, save_session

PRESETS = AttentionModel.preset_names()
VIEW = ViewSettings(step=5, detail="rows", theme="dark", layout=("scores", "softmax"), focus_query=1)
DROP = object()  # a field to leave out
PRETRAINED = {
    "kind": "pretrained",
    "checkpoint": "tiny-bert",
    "folder": "models/tiny-bert",
    "is_default": False,
    "layer": 1,
    "n_layers": 3,
    "text": "the cat sat",
}
PRESET = {"kind": "preset", "name": "seed-translate"}
PRETRAINED_FIELDS = ", ".join(PRETRAINED)


def write_version_1(path: Path, document: Document, view: ViewSettings | None = None) -> dict:
    """Save ``document``, then rewrite the file by hand as version 1 wrote it; return that document."""
    save_session(path, document, view)
    doc = document_of(path)
    assert doc["version"] == VERSION == 2
    source = doc.pop("source")
    doc["preset"] = source["name"] if source is not None else None
    doc["version"] = 1
    path.write_text(json.dumps(doc), encoding="utf-8")
    return doc


# ----------------------------------------------------------------- version 1
@pytest.mark.parametrize("preset", PRESETS)
def test_a_version_1_session_still_loads_with_its_preset_as_the_source(tmp_path: Path, preset: str) -> None:
    document = Document.from_preset(preset)
    document.model.set_value("b_o", (0,), -0.0625)  # an edited preset: the numbers are the file's
    path = tmp_path / NAME
    doc = write_version_1(path, document, VIEW)
    assert (doc["version"], doc["preset"]) == (1, preset)
    assert "source" not in doc
    loaded, view = load_session(path)
    assert loaded.source == PresetSource(preset)
    assert (loaded.preset_name, loaded.label) == (preset, preset)
    assert_same_bits(loaded, document)
    assert view == VIEW


def test_a_version_1_session_with_no_preset_loads_with_no_source(tmp_path: Path) -> None:
    model = AttentionModel(["a", "b"], ["x"], d_model=3, d_k=2, n_heads=2, seed=42)
    path = tmp_path / NAME
    assert write_version_1(path, Document(model))["preset"] is None
    loaded = load_session(path)[0]
    assert loaded.source is None
    assert loaded.model.seed == 42
    assert_same_bits(loaded, model)


def test_a_version_1_session_is_saved_again_as_version_2(tmp_path: Path) -> None:
    path = tmp_path / NAME
    write_version_1(path, Document.from_preset("seed-cross"))
    loaded, view = load_session(path)
    again = tmp_path / "again.attn.json"
    save_session(again, loaded, view)
    doc = document_of(again)
    assert (doc["version"], doc["source"]) == (2, {"kind": "preset", "name": "seed-cross"})
    assert "preset" not in doc
    assert_same_bits(load_session(again)[0], loaded)


# (what is wrong, how to break a version 1 document, what the message must say)
BROKEN_VERSION_1: list[tuple[str, Callable[[dict], None], str]] = [
    (
        "preset as number",
        lambda d: set_at(d, "preset", 3),
        "field preset: expected null or a preset name of 1 to 200 characters, got 3",
    ),
    (
        "empty preset",
        lambda d: set_at(d, "preset", ""),
        "field preset: expected null or a preset name of 1 to 200 characters, got the string ''",
    ),
    (
        "long preset",
        lambda d: set_at(d, "preset", "p" * 201),
        "field preset: expected null or a preset name of 1 to 200 characters, got the string 'ppp",
    ),
    (
        "a lone surrogate",
        lambda d: set_at(d, "preset", "\ud800"),
        "field preset: expected null or a preset name (a lone surrogate escape is not text)",
    ),
    (
        "a version 2 source in the preset",
        lambda d: set_at(d, "preset", PRESET),
        "field preset: expected null or a preset name of 1 to 200 characters, got an object with 2 fields",
    ),
    ("no preset", lambda d: d.pop("preset"), "field preset: missing; a version 1 session has this field"),
    (
        "a source too",
        lambda d: set_at(d, "source", PRESET),
        "field source: unexpected; allowed here: format, version, preset, query_tokens",
    ),
    ("missing field", lambda d: d.pop("scale"), "field scale: missing; a version 1 session has this field"),
    (
        "missing size",
        lambda d: d["sizes"].pop("d_k"),
        "field sizes.d_k: missing; a version 1 session has this field",
    ),
    (
        "missing parameter",
        lambda d: d["params"].pop("w_k"),
        "field params.w_k: missing; a version 1 session has this field",
    ),
]


@pytest.mark.parametrize(("case", "edit", "expected"), BROKEN_VERSION_1, ids=[c[0] for c in BROKEN_VERSION_1])
def test_a_broken_version_1_field_is_named(
    tmp_path: Path, case: str, edit: Callable[[dict], None], expected: str
) -> None:
    path = tmp_path / NAME
    doc = write_version_1(path, Document.from_preset("seed-translate"))
    assert breaks(doc, edit, path).startswith(f"{NAME}: {expected}")


# -------------------------------------------------------- version 2: pretrained
@pytest.mark.parametrize(
    "source",
    [
        PretrainedSource("tiny-bert", "models/tiny-bert", False, 2, 3, "the cat sat"),
        PretrainedSource("all-MiniLM-L6-v2", "site-packages/minilm", True, 0, 6, "The animal"),
        # No length limit but the file's: a folder name may be 255 bytes, a path far longer,
        # and a text of 64 word pieces any length of white space.
        PretrainedSource("c" * 255, "f" * 20_000, False, 10**6 - 1, 10**6, "t" + " " * 20_000 + "t"),
        PretrainedSource("名前", "フォルダ/x y", False, 0, 1, "  spaces,\ttabs\nand lines  "),
    ],
    ids=["a folder", "the default", "the longest", "any text"],
)
def test_a_pretrained_source_round_trips(tmp_path: Path, source: PretrainedSource) -> None:
    document = Document(AttentionModel(["[CLS]", "the", "cat", "[SEP]"], d_model=4, n_heads=2), source)
    path = tmp_path / NAME
    save_session(path, document, ViewSettings(head=1))
    assert document_of(path)["source"] == {
        "kind": "pretrained",
        "checkpoint": source.checkpoint,
        "folder": source.folder,
        "is_default": source.is_default,
        "layer": source.layer,
        "n_layers": source.n_layers,
        "text": source.text,
    }
    loaded, view = load_session(path)
    assert loaded.source == source
    assert isinstance(loaded.source, PretrainedSource)
    assert (loaded.label, loaded.preset_name) == (source.label, None)
    assert view == ViewSettings(head=1)
    assert_same_bits(loaded, document)


# ------------------------------------------------------------ broken sources
def pretrained(**changes: Any) -> Callable[[dict], None]:
    """An edit that puts a checkpoint's source, with ``changes`` (DROP leaves a field out), in the file."""
    return _source(PRETRAINED, changes)


def preset(**changes: Any) -> Callable[[dict], None]:
    return _source(PRESET, changes)


def _source(base: dict, changes: dict) -> Callable[[dict], None]:
    def edit(doc: dict) -> None:
        source = {**base, **changes}
        doc["source"] = {key: value for key, value in source.items() if value is not DROP}

    return edit


def missing(field: str) -> str:
    return f"field source.{field}: missing; a version 2 session has this field"


# (what is wrong, how to break the document, what the message must say)
BROKEN_SOURCES: list[tuple[str, Callable[[dict], None], str]] = [
    (
        "kind unknown",
        pretrained(kind="checkpoint"),
        "field source.kind: expected 'preset' or 'pretrained', got the string 'checkpoint'",
    ),
    (
        "kind in capitals",
        preset(kind="Preset"),
        "field source.kind: expected 'preset' or 'pretrained', got the string 'Preset'",
    ),
    ("kind a number", preset(kind=1), "field source.kind: expected 'preset' or 'pretrained', got 1"),
    ("no kind", preset(kind=DROP), missing("kind")),
    ("missing name", preset(name=DROP), missing("name")),
    (
        "empty name",
        preset(name=""),
        "field source.name: expected text (not empty), got the string ''",
    ),
    ("name a number", preset(name=7), "field source.name: expected text (not empty), got 7"),
    ("name null", preset(name=None), "field source.name: expected text (not empty), got null"),
    (
        "name a lone surrogate",
        preset(name="\udcff"),
        "field source.name: expected text (a lone surrogate escape is not text)",
    ),
    (
        "layer = n_layers",
        pretrained(layer=3),
        "field source.layer: expected 0 to 2 (n_layers is 3), got 3",
    ),
    (
        "layer beyond n_layers",
        pretrained(layer=99, n_layers=6),
        "field source.layer: expected 0 to 5 (n_layers is 6), got 99",
    ),
    ("negative layer", pretrained(layer=-1), "field source.layer: expected a whole number >= 0, got -1"),
    ("layer true", pretrained(layer=True), "field source.layer: expected a whole number >= 0, got true"),
    ("layer 1.0", pretrained(layer=1.0), "field source.layer: expected a whole number >= 0, got 1.0"),
    (
        "layer as text",
        pretrained(layer="1"),
        "field source.layer: expected a whole number >= 0, got the string '1'",
    ),
    ("no layers", pretrained(n_layers=0), "field source.n_layers: expected a whole number >= 1, got 0"),
    (
        "n_layers null",
        pretrained(n_layers=None),
        "field source.n_layers: expected a whole number >= 1, got null",
    ),
    (
        "is_default as text",
        pretrained(is_default="yes"),
        "field source.is_default: expected true or false, got the string 'yes'",
    ),
    ("is_default 1", pretrained(is_default=1), "field source.is_default: expected true or false, got 1"),
    (
        "is_default null",
        pretrained(is_default=None),
        "field source.is_default: expected true or false, got null",
    ),
    (
        "extra field",
        pretrained(colour="red"),
        f"field source.colour: unexpected; allowed here: {PRETRAINED_FIELDS}",
    ),
    (
        "a checkpoint's field in a preset",
        preset(layer=0),
        "field source.layer: unexpected; allowed here: kind, name",
    ),
    (
        "a preset's field in a checkpoint's",
        pretrained(name="seed-self"),
        f"field source.name: unexpected; allowed here: {PRETRAINED_FIELDS}",
    ),
    ("an odd extra name", preset(**{"a b": 1}), "field source.'a b': unexpected"),
    *[(f"missing {name}", pretrained(**{name: DROP}), missing(name)) for name in list(PRETRAINED)[1:]],
    (
        "empty checkpoint",
        pretrained(checkpoint=""),
        "field source.checkpoint: expected text (not empty), got the string ''",
    ),
    (
        "folder a list",
        pretrained(folder=["models"]),
        "field source.folder: expected text (not empty), got a list of 1",
    ),
    (
        "empty text",
        pretrained(text=""),
        "field source.text: expected text (not empty), got the string ''",
    ),
    (
        "source a list",
        lambda d: set_at(d, "source", ["preset", "seed-self"]),
        "field source: expected null or a JSON object, got a list of 2",
    ),
    (
        "source a name, as version 1's preset",
        lambda d: set_at(d, "source", "seed-translate"),
        "field source: expected null or a JSON object, got the string 'seed-translate'",
    ),
    (
        "source true",
        lambda d: set_at(d, "source", True),
        "field source: expected null or a JSON object, got true",
    ),
]


@pytest.mark.parametrize(("case", "edit", "expected"), BROKEN_SOURCES, ids=[c[0] for c in BROKEN_SOURCES])
def test_a_broken_source_is_named(
    saved: Path, case: str, edit: Callable[[dict], None], expected: str
) -> None:
    message = breaks(document_of(saved), edit, saved)
    assert message.startswith(f"{NAME}: {expected}")
    assert message.count("field ") == 1  # one field, one problem


@pytest.mark.parametrize(
    ("edit", "source"),
    [
        (pretrained(), PretrainedSource("tiny-bert", "models/tiny-bert", False, 1, 3, "the cat sat")),
        (preset(), PresetSource("seed-translate")),
        (lambda d: set_at(d, "source", None), None),
    ],
    ids=["pretrained", "preset", "null"],
)
def test_each_broken_case_starts_from_a_source_that_loads(
    saved: Path, edit: Callable[[dict], None], source: PresetSource | PretrainedSource | None
) -> None:
    # The cases above break one thing each: unbroken, their sources load.
    doc = document_of(saved)
    edit(doc)
    saved.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_session(saved)[0]
    assert loaded.source == source
    assert loaded.label == ("untitled" if source is None else source.label)
