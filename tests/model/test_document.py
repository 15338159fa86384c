"""Document: a model and its source, replaced together; ``source_changed`` only when the source changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest
from attention_reference import Snapshot, watch

from explainer.model import AttentionModel, Document, ModelState, PresetSource, PretrainedSource, Source

TINY = PretrainedSource("tiny-bert", "models/tiny-bert", False, 2, 3, "the cat sat")
MINILM = PretrainedSource("all-MiniLM-L6-v2", "site-packages/minilm", True, 0, 6, "The animal")


def sources_of(document: Document) -> list[Source]:
    emitted: list[Source] = []
    document.source_changed.connect(emitted.append)
    return emitted


def test_a_preset_document_knows_its_preset() -> None:
    document = Document.from_preset("seed-causal")
    assert document.source == PresetSource("seed-causal")
    assert (document.preset_name, document.label) == ("seed-causal", "seed-causal")
    assert document.model.state.same_as(AttentionModel.from_preset("seed-causal").state)


def test_provenance_is_not_the_model_s() -> None:
    model = AttentionModel.from_preset("seed-self")
    for gone in ("preset_name", "source_info", "from_pretrained"):
        assert not hasattr(model, gone), gone
        assert not hasattr(AttentionModel, gone), gone


@pytest.mark.parametrize(
    ("source", "preset_name", "label"),
    [
        (None, None, "untitled"),
        (PresetSource("seed-self"), "seed-self", "seed-self"),
        (TINY, None, "tiny-bert · layer 3 of 3"),
        (MINILM, None, "all-MiniLM-L6-v2 · layer 1 of 6"),
    ],
    ids=["none", "preset", "a folder", "the default"],
)
def test_label_and_preset_name_of_each_source(source: Source, preset_name: str | None, label: str) -> None:
    model = AttentionModel(["a", "b"])
    document = Document(model, source)
    assert document.model is model
    assert (document.source, document.preset_name, document.label) == (source, preset_name, label)


def test_a_document_without_a_source_has_none() -> None:
    assert Document(AttentionModel(["a"])).source is None


def test_replace_brings_new_numbers_and_a_new_source() -> None:
    document = Document.from_preset("seed-translate")
    sources, changed = sources_of(document), watch(document.model)
    new = AttentionModel(["[CLS]", "the", "cat", "sat", "[SEP]"], d_model=8, n_heads=2, seed=4).state
    document.replace(new, TINY)
    assert document.model.state.same_as(new)
    assert document.model.seed == 4
    assert document.source == TINY
    assert sources == [TINY]
    assert changed.count == 1


def test_replace_with_the_same_source_emits_no_source_change() -> None:
    document = Document.from_preset("seed-translate")
    sources, changed = sources_of(document), watch(document.model)
    other = AttentionModel.from_preset("seed-cross").state
    document.replace(other, PresetSource("seed-translate"))  # equal, though not the same object
    assert document.model.state.same_as(other)
    assert changed.count == 1
    assert sources == []
    document.replace(other, PresetSource("seed-translate"))  # nothing new at all
    assert (changed.count, sources) == (1, [])


def test_replace_with_the_same_numbers_and_a_new_source_emits_the_source_only() -> None:
    document = Document.from_preset("seed-self")
    sources, changed = sources_of(document), watch(document.model)
    document.replace(document.model.state, None)
    assert (document.source, document.label) == (None, "untitled")
    assert sources == [None]
    assert changed.count == 0


def tokens_too_long(state: ModelState) -> ModelState:
    return dataclasses.replace(state, query_tokens=("x" * 41, *state.query_tokens[1:]))


def wrong_shape(state: ModelState) -> ModelState:
    return dataclasses.replace(state, params={**state.params, "b_o": np.zeros(3)})


def not_a_number(state: ModelState) -> ModelState:
    w_q = np.array(state.params["w_q"])
    w_q[0, 0, 0] = np.nan
    return dataclasses.replace(state, params={**state.params, "w_q": w_q})


@pytest.mark.parametrize(
    ("break_state", "fragment"),
    [
        (tokens_too_long, "query_tokens"),
        (wrong_shape, "b_o"),
        (not_a_number, "w_q"),
        (lambda state: dataclasses.replace(state, seed=-1), "seed"),
        (lambda state: dataclasses.replace(state, causal=True, key_tokens=("a",)), "causal"),
    ],
    ids=["a long token", "a wrong shape", "NaN", "a negative seed", "causal cross-attention"],
)
def test_a_refused_state_changes_neither_numbers_nor_source(
    break_state: Callable[[ModelState], ModelState], fragment: str
) -> None:
    document = Document.from_preset("seed-translate")
    model, state = document.model, document.model.state
    before = Snapshot.of(model)
    sources, changed = sources_of(document), watch(model)
    with pytest.raises(ValueError, match=fragment):
        document.replace(break_state(AttentionModel.from_preset("seed-self").state), TINY)
    assert document.model is model
    assert model.state is state
    before.assert_same(model)
    assert document.source == PresetSource("seed-translate")
    assert (sources, changed.count) == ([], 0)


def test_set_source_emits_only_on_a_change() -> None:
    document = Document(AttentionModel(["a", "b"]))
    sources = sources_of(document)
    document.set_source(None)
    document.set_source(TINY)
    document.set_source(dataclasses.replace(TINY))  # equal
    document.set_source(dataclasses.replace(TINY, layer=1))
    document.set_source(None)
    assert sources == [TINY, dataclasses.replace(TINY, layer=1), None]


def test_edits_keep_the_source() -> None:
    document = Document.from_preset("seed-causal")
    sources = sources_of(document)
    document.model.set_value("w_q", (0, 0, 0), 0.5)
    document.model.set_tokens(["a", "new", "sentence"])
    document.model.randomize(3)
    assert document.source == PresetSource("seed-causal")
    assert sources == []


def test_a_snapshot_is_independent() -> None:
    document = Document(AttentionModel.from_preset("seed-self"), TINY)
    copy = document.snapshot()
    assert copy is not document and copy.model is not document.model
    assert copy.source == TINY
    assert copy.model.state.same_as(document.model.state)
    document.model.set_value("b_o", (0,), 7.0)
    document.model.randomize(9)
    document.set_source(None)
    assert copy.model.params["b_o"][0] != 7.0
    assert (copy.model.seed, copy.source) == (0, TINY)


def test_sources_are_values() -> None:
    assert PresetSource("a") == PresetSource("a") != PresetSource("b")
    assert hash(TINY) == hash(dataclasses.replace(TINY))
    assert dataclasses.replace(TINY, is_default=True) != TINY
    with pytest.raises(dataclasses.FrozenInstanceError):
        TINY.layer = 0  # type: ignore[misc]
