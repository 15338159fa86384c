"""The classic presets show the meaningful pattern; a broken preset file names file and field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from explainer.model import AttentionModel, Document, PresetError, PresetSource, load_preset, preset_names

PRESET_DIR = files("explainer.resources") / "presets"


def aligned(model: AttentionModel, head: int = 0) -> dict[str, str]:
    """Each query token → the key token it attends to most."""
    best = model.trace.weights[head].argmax(axis=1)
    return {q: model.key_tokens[j] for q, j in zip(model.query_tokens, best, strict=True)}


SHIPPED = [
    "seed-causal",
    "seed-cross",
    "seed-self",
    "seed-translate",
    "seed-translate-ja",
    "seed-translate-ko",
]


def test_the_classic_presets_ship_with_translate_first() -> None:
    names = AttentionModel.preset_names()
    assert sorted(names) == SHIPPED
    assert names[0] == "seed-translate"
    assert preset_names() == names


@pytest.mark.parametrize("name", SHIPPED)
def test_every_preset_loads_into_a_sensible_trace(name: str) -> None:
    document = Document.from_preset(name)
    assert document.source == PresetSource(name)
    assert (document.preset_name, document.label) == (name, name)
    m = AttentionModel.from_preset(name)  # the same numbers, no provenance
    assert m.state.same_as(document.model.state)
    weights = m.trace.weights
    assert np.all(np.isfinite(m.trace.output))
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    # A lecture needs a clear picture: every query has one key it clearly prefers.
    assert np.all(weights.max(axis=-1) > 0.3)


def test_seed_translate_aligns_the_translated_words() -> None:
    m = AttentionModel.from_preset("seed-translate")
    assert m.mode == "cross"
    assert m.query_tokens == ["I", "hate", "this", "movie"]
    assert m.key_tokens == ["kono", "eiga", "ga", "kirai"]
    pairs = aligned(m)
    assert (pairs["hate"], pairs["this"], pairs["movie"]) == ("kirai", "kono", "eiga")


@pytest.mark.parametrize(
    ("name", "keys", "expected"),
    [
        (
            "seed-translate-ja",
            ["この", "映画", "が", "嫌い"],
            {"hate": "嫌い", "this": "この", "movie": "映画"},
        ),
        (
            "seed-translate-ko",
            ["나는", "이", "영화가", "싫어"],
            {"I": "나는", "hate": "싫어", "this": "이", "movie": "영화가"},
        ),
    ],
)
def test_the_lectures_example_in_japanese_script_and_in_korean(name, keys, expected) -> None:
    m = AttentionModel.from_preset(name)
    assert m.mode == "cross"
    assert (m.query_tokens, m.key_tokens) == (["I", "hate", "this", "movie"], keys)
    pairs = aligned(m)
    assert {query: pairs[query] for query in expected} == expected


def test_seed_cross_aligns_the_translated_words() -> None:
    m = AttentionModel.from_preset("seed-cross")
    assert m.mode == "cross"
    assert m.query_tokens == ["this", "is", "an", "example"]
    assert m.key_tokens == ["kore", "wa", "rei", "desu"]
    pairs = aligned(m)
    assert (pairs["this"], pairs["is"], pairs["example"]) == ("kore", "desu", "rei")


def test_seed_self_is_self_attention() -> None:
    m = AttentionModel.from_preset("seed-self")
    assert m.mode == "self"
    assert m.query_tokens == m.key_tokens == ["this", "is", "an", "example"]
    assert m.params["x_kv"] is m.params["x_q"]


def test_seed_causal_hides_every_later_word() -> None:
    m = AttentionModel.from_preset("seed-causal")
    assert m.mode == "causal" and m.self_attention
    n = len(m.query_tokens)
    assert n > 2
    above = np.triu(np.ones((n, n), dtype=bool), k=1)
    assert np.all(m.trace.weights[:, above] == 0.0)
    assert np.all(m.trace.weights[:, ~above][:, 1:] > 0.0)


def test_presets_are_package_data_inside_explainer() -> None:
    # Read with importlib.resources from the package, so an installed wheel has them too.
    shipped = Path(str(PRESET_DIR))
    assert shipped.parent == Path(__file__).resolve().parents[2] / "explainer" / "resources"
    assert sorted(p.name for p in shipped.glob("*.json")) == sorted(f"{n}.json" for n in preset_names())


def test_a_preset_file_path_loads_and_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "mine.json"
    target.write_text((PRESET_DIR / "seed-cross.json").read_text(encoding="utf-8"), encoding="utf-8")
    from_file = AttentionModel.from_preset(target)
    shipped = AttentionModel.from_preset("seed-cross")
    for name in shipped.params:
        assert np.array_equal(from_file.params[name], shipped.params[name]), name
    state, name = load_preset(target)
    assert name == "seed-cross"
    # The document remembers the name inside the file, not the file's name.
    assert Document.from_preset(target).source == PresetSource("seed-cross")
    assert state.key_tokens == ("kore", "wa", "rei", "desu")


def document() -> dict:
    return json.loads((PRESET_DIR / "seed-translate.json").read_text(encoding="utf-8"))


def edited(change: Callable[[dict], object]) -> dict:
    doc = copy.deepcopy(document())
    change(doc)
    return doc


BROKEN = [
    ("not json", "{ this is not json", ("not a JSON",)),
    ("a list", [1, 2], ("top level", "object")),
    ("wrong format", edited(lambda d: d.update(format="other")), ("format", "other")),
    ("wrong version", edited(lambda d: d.update(version=2)), ("version", "2")),
    ("no version", edited(lambda d: d.pop("version")), ("version", "None")),
    ("no name", edited(lambda d: d.pop("name")), ("name",)),
    ("no query tokens", edited(lambda d: d.pop("query_tokens")), ("query_tokens",)),
    ("keys not a list", edited(lambda d: d.update(key_tokens="kono eiga")), ("key_tokens", "kono eiga")),
    ("causal not bool", edited(lambda d: d.update(causal="yes")), ("causal", "yes")),
    ("no params", edited(lambda d: d.pop("params")), ("params",)),
    ("missing param", edited(lambda d: d["params"].pop("w_o")), ("params.w_o",)),
    ("ragged param", edited(lambda d: d["params"]["x_q"][1].pop()), ("params.x_q", "rectangular")),
    ("nan as a string", edited(lambda d: d["params"]["w_k"][0][1].__setitem__(2, "NaN")), ("params.w_k",)),
    ("number as a string", edited(lambda d: d["params"]["b_o"].__setitem__(0, "0.5")), ("params.b_o",)),
    ("wrong shape", edited(lambda d: d["params"].update(b_o=[0.0] * 5)), ("b_o", "(4,)", "(5,)")),
    ("too many rows", edited(lambda d: d["params"]["x_kv"].append([0.0] * 4)), ("x_kv", "(4, 4)", "(5, 4)")),
    ("value too large", edited(lambda d: d["params"]["w_o"][2].__setitem__(3, 5e6)), ("w_o[2, 3]", "5e+06")),
    ("empty token list", edited(lambda d: d.update(query_tokens=[])), ("query_tokens", "none")),
    ("empty token", edited(lambda d: d["key_tokens"].__setitem__(2, "")), ("key_tokens[2]", "empty")),
    ("token not a string", edited(lambda d: d["query_tokens"].__setitem__(1, 7)), ("query_tokens[1]", "7")),
    ("causal cross", edited(lambda d: d.update(causal=True)), ("causal", "self-attention")),
]


@pytest.mark.parametrize(("content", "fragments"), [pytest.param(c, f, id=i) for i, c, f in BROKEN])
def test_a_broken_preset_names_the_file_and_the_field(
    tmp_path: Path, content: object, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / "broken-preset.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(PresetError) as info:
        AttentionModel.from_preset(path)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "broken-preset.json" in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from {message!r}"


def test_nan_written_as_a_json_literal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nan-literal.json"
    doc = document()
    doc["params"]["x_q"][1][2] = float("nan")
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert "NaN" in path.read_text(encoding="utf-8")
    with pytest.raises(PresetError, match=r"nan-literal\.json: x_q\[1, 2\].*finite"):
        load_preset(path)


def test_an_unknown_preset_name_lists_the_known_ones() -> None:
    with pytest.raises(PresetError, match=r"'seed-nope'.*seed-translate"):
        AttentionModel.from_preset("seed-nope")


def test_a_missing_preset_file_says_it_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(PresetError, match=r"absent\.json.*cannot read"):
        AttentionModel.from_preset(tmp_path / "absent.json")


def test_a_file_named_like_a_preset_in_the_working_folder_does_not_hide_it(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seed-translate").mkdir()
    (tmp_path / "seed-causal").write_text("not a preset")
    assert Document.from_preset("seed-translate").preset_name == "seed-translate"
    assert Document.from_preset("seed-causal").model.n_heads == 2


def test_a_preset_file_is_named_by_a_path_or_a_json_name(tmp_path) -> None:
    copy = tmp_path / "mine.json"
    copy.write_bytes((PRESET_DIR / "seed-self.json").read_bytes())
    assert Document.from_preset(copy).model.self_attention
    assert Document.from_preset(str(copy)).model.self_attention
    with pytest.raises(PresetError, match="unknown preset 'mine'; expected one of seed-translate"):
        Document.from_preset("mine")


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_has_a_lesson_whose_worked_query_sees_several_keys(name: str) -> None:
    document = Document.from_preset(name)
    lesson = document.lesson
    assert lesson is not None and lesson.title and len(lesson.description) > 80
    trace = document.model.trace
    worked = trace.query_tokens.index(lesson.worked_query)
    assert (~trace.mask[worked]).sum() >= 2


def test_the_translation_goes_from_the_encoders_japanese_to_the_decoders_english() -> None:
    # The lecture's model translates Japanese → English: English words are the queries.
    for name in ("seed-translate", "seed-cross"):
        document = Document.from_preset(name)
        source, target = document.lesson.title.split(": ", 1)[1].split(" → ")
        assert source.split() == document.model.key_tokens
        assert target.split() == document.model.query_tokens
    assert Document.from_preset("seed-translate").lesson.worked_query == "hate"  # as in the lecture


def test_a_model_not_from_a_shipped_preset_has_no_lesson() -> None:
    assert Document(AttentionModel(["a", "b"])).lesson is None
    assert Document(AttentionModel(["a"]), PresetSource("not-shipped")).lesson is None
