"""Fuzzing load_session: whatever the file holds, a usable model or a SessionError, nothing else.

Each test counts the cases it ran; together they run well over 2,000.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_helpers import as_version_1, document_of, load_or_refuse

from explainer.model import AttentionModel, Document, PresetSource, PretrainedSource
from explainer.session import ViewSettings, load_session, save_session
from explainer.session.document import FIELDS_BY_VERSION, FORMAT, SUPPORTED_VERSIONS
from explainer.session.source import PRESET_FIELDS, PRETRAINED_FIELDS

FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def fuzz(cases: int) -> settings:
    return settings(FUZZ, max_examples=cases)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, 1, -1, 2, 4, 64, 65, 1e6, 1e7, -0.0, float("nan"), "", "0.5", "light", "rows"])
    | st.sampled_from([10**400, -(10**400), 2**63, 1e308, 5e-324])
    | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=25,
)
SMALL_JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=6,
)


def run(check: Any, cases: list[int], minimum: int) -> None:
    """Run a @given function and make sure it really ran ``minimum`` cases."""
    check()
    assert len(cases) >= minimum, len(cases)


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Valid session texts: the four presets (one with a custom view), a two-head cross model with
    no source, a checkpoint layer's source, and a version 1 file."""
    folder = tmp_path_factory.mktemp("bases")
    documents = [Document.from_preset(name) for name in AttentionModel.preset_names()]
    cross = AttentionModel(["a", "b", "c"], ["x", "y"], d_model=3, d_k=2, d_v=3, n_heads=2, seed=9)
    documents.append(Document(cross))
    tiny = PretrainedSource("tiny-bert", "models/tiny-bert", False, 2, 3, "the cat sat")
    documents.append(Document(AttentionModel(["[CLS]", "cat", "[SEP]"], d_model=4, n_heads=2), tiny))
    texts = []
    for index, document in enumerate(documents):
        model = document.model
        view = ViewSettings(step=index, head=model.n_heads - 1, focus_query=0, layout=("scores",))
        save_session(folder / f"{index}.attn.json", document, view)
        texts.append((folder / f"{index}.attn.json").read_text(encoding="utf-8"))
    texts.append(json.dumps(as_version_1(json.loads(texts[0])), indent=1))
    for text in texts:  # every base is a session
        (folder / "base.attn.json").write_text(text, encoding="utf-8")
        assert load_or_refuse(folder / "base.attn.json") is not None
    return texts


def test_random_json_documents(tmp_path: Path) -> None:
    path, cases = tmp_path / "random.attn.json", []

    @fuzz(400)
    @given(JSON)
    def check(document: Any) -> None:
        path.write_text(json.dumps(document, allow_nan=True), encoding="utf-8")
        assert load_or_refuse(path) is None  # nothing random is a session
        cases.append(1)

    run(check, cases, 400)


def test_random_documents_with_the_right_header(tmp_path: Path) -> None:
    path, cases = tmp_path / "header.attn.json", []
    names = {name for version in SUPPORTED_VERSIONS for name in FIELDS_BY_VERSION[version]}
    fields = {name: SMALL_JSON for name in sorted(names) if name not in ("format", "version")}
    assert {"source", "preset"} <= fields.keys()
    header = {"format": st.just(FORMAT), "version": st.sampled_from(SUPPORTED_VERSIONS)}

    @fuzz(300)
    @given(st.fixed_dictionaries(header, optional=fields))
    def check(document: dict) -> None:
        path.write_text(json.dumps(document, allow_nan=True), encoding="utf-8")
        assert load_or_refuse(path) is None
        cases.append(1)

    run(check, cases, 300)


def test_random_source_objects(tmp_path: Path, bases: list[str]) -> None:
    # The "source" object alone: every kind (and none), each field present or not, any value.
    path, cases, loaded = tmp_path / "source.attn.json", [], []
    names = sorted({*PRESET_FIELDS, *PRETRAINED_FIELDS} - {"kind"})
    plausible = {
        "name": st.sampled_from(["seed-self", "x" * 200, "x" * 201, ""]),
        "checkpoint": st.sampled_from(["tiny", "", "\ud800"]),
        "folder": st.sampled_from(["models/tiny", "f" * 10_001]),
        "is_default": st.booleans(),
        "layer": st.integers(-2, 4),
        "n_layers": st.integers(-1, 4),
        "text": st.sampled_from(["the cat", " ", "t" * 10_000]),
    }
    fields = {name: plausible[name] | SMALL_JSON for name in names}
    kinds = st.sampled_from(["preset", "pretrained", "Preset", "", "checkpoint"]) | SMALL_JSON
    sources = st.none() | st.fixed_dictionaries({}, optional={"kind": kinds, **fields}) | SMALL_JSON

    @fuzz(400)
    @given(st.sampled_from(bases[:-1]), sources)  # not the version 1 base (last): it has no "source"
    def check(text: str, source: Any) -> None:
        doc = json.loads(text)
        doc["source"] = source
        path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
        document = load_or_refuse(path)
        if document is not None:
            if source is not None:
                assert isinstance(document.source, PresetSource | PretrainedSource)
                assert document.source.label
                # What load accepts, save writes back the same.
                save_session(path, document)
                assert document_of(path)["source"] == source
            loaded.append(1)
        cases.append(1)

    run(check, cases, 400)
    assert loaded  # a null source, and some drawn ones, make a session


def _path(data: st.DataObject, doc: Any) -> tuple:
    """A random location below the root: each level about as likely as the next (the root is
    covered by the random documents)."""
    where: tuple = ()
    value = doc
    while isinstance(value, (dict, list)) and value and (not where or data.draw(st.integers(0, 3)) > 0):
        key = data.draw(st.sampled_from(list(value) if isinstance(value, dict) else range(len(value))))
        where, value = (*where, key), value[key]
    return where


def _mutate(doc: Any, where: tuple, how: str, value: Any) -> Any:
    if not where:
        return value if how == "replace" else doc
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    last = where[-1]
    if how == "replace":
        parent[last] = value
    elif how == "drop":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[f"extra_{value!s:.10}"] = value
    elif how == "add":
        parent.insert(last, value)
    elif how == "duplicate" and isinstance(parent, list):
        parent.append(parent[last])
    return doc


def test_mutated_valid_sessions(tmp_path: Path, bases: list[str]) -> None:
    path, cases, loaded = tmp_path / "mutated.attn.json", [], []

    @fuzz(800)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        doc = json.loads(data.draw(st.sampled_from(bases)))
        for _ in range(data.draw(st.integers(1, 3))):
            where = _path(data, doc)
            how = data.draw(st.sampled_from(("replace", "replace", "drop", "add", "duplicate")))
            doc = _mutate(doc, where, how, data.draw(SMALL_JSON))
        path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
        if load_or_refuse(path) is not None:
            loaded.append(1)
        cases.append(1)

    run(check, cases, 800)
    assert loaded  # some mutations (a different step, an equal value) still make a session


def test_truncated_sessions(tmp_path: Path, bases: list[str]) -> None:
    path, cases = tmp_path / "cut.attn.json", []

    @fuzz(250)
    @given(st.sampled_from(bases), st.floats(0.0, 1.0, exclude_max=True))
    def check(text: str, keep: float) -> None:
        data = text.encode("utf-8")
        data = data[: math.floor(len(data.rstrip()) * keep)]
        path.write_bytes(data)
        assert load_or_refuse(path) is None
        cases.append(1)

    run(check, cases, 250)


def test_sessions_with_damaged_bytes(tmp_path: Path, bases: list[str]) -> None:
    path, cases = tmp_path / "damaged.attn.json", []

    @fuzz(250)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        raw = bytearray(data.draw(st.sampled_from(bases)).encode("utf-8"))
        for _ in range(data.draw(st.integers(1, 4))):
            at = data.draw(st.integers(0, len(raw) - 1))
            action = data.draw(st.sampled_from(("set", "insert", "delete")))
            byte = data.draw(st.integers(0, 255))
            if action == "set":
                raw[at] = byte
            elif action == "insert":
                raw.insert(at, byte)
            else:
                del raw[at]
        path.write_bytes(bytes(raw))
        load_or_refuse(path)  # a changed digit may still be a valid session
        cases.append(1)

    run(check, cases, 250)


def test_random_bytes(tmp_path: Path) -> None:
    path, cases = tmp_path / "bytes.attn.json", []

    @fuzz(250)
    @given(st.binary(max_size=2000) | st.binary(max_size=50).map(lambda b: b'{"format": "' + b))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        assert load_or_refuse(path) is None
        cases.append(1)

    run(check, cases, 250)


def test_a_loaded_mutation_saves_and_loads_again(tmp_path: Path, bases: list[str]) -> None:
    # What load accepts, save writes and load accepts again, unchanged.
    doc = json.loads(bases[0])
    doc["view"]["step"] = 3
    doc["params"]["w_q"][0][0][0] = 7  # an integer
    path = tmp_path / "edited.attn.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    document = load_or_refuse(path)
    assert document is not None
    save_session(tmp_path / "again.attn.json", document)
    assert document_of(tmp_path / "again.attn.json")["params"]["w_q"][0][0][0] == 7.0
    assert load_session(tmp_path / "again.attn.json")[0].source == PresetSource("seed-translate")
