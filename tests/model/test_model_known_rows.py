"""Retyped words keep their designed rows: set_tokens(known=…) and Document.set_tokens."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.model import AttentionModel, Document
from explainer.model.designed_rows import preset_rows
from explainer.model.state import token_embedding

TRANSLATE_QUERIES = ["I", "hate", "this", "movie"]
TRANSLATE_KEYS = ["kono", "eiga", "ga", "kirai"]


def strongest_keys(model: AttentionModel) -> dict[str, str]:
    weights = model.trace.weights[0]
    return {
        q: model.key_tokens[int(np.argmax(row))] for q, row in zip(model.query_tokens, weights, strict=True)
    }


def test_seed_translate_comes_back_after_another_sentence() -> None:
    document = Document.from_preset("seed-translate")
    model = document.model
    designed = model.state
    lesson = {"hate": "kirai", "this": "kono", "movie": "eiga"}
    assert {q: k for q, k in strongest_keys(model).items() if q in lesson} == lesson
    document.set_tokens(["the", "cat", "sat"], ["neko", "ga", "suwatta"])
    document.set_tokens(["I", "love", "this", "film"], ["kono", "eiga", "ga", "suki"])
    document.set_tokens(TRANSLATE_QUERIES, TRANSLATE_KEYS)
    np.testing.assert_array_equal(model.params["x_q"], designed.params["x_q"])
    np.testing.assert_array_equal(model.params["x_kv"], designed.params["x_kv"])
    assert model.state.same_as(designed)
    assert {q: k for q, k in strongest_keys(model).items() if q in lesson} == lesson


def test_without_the_document_the_model_forgets_the_designed_rows() -> None:
    model = AttentionModel.from_preset("seed-translate")
    designed = model.params["x_q"].copy()
    model.set_tokens(["the", "cat", "sat"], ["neko", "ga", "suwatta"])
    model.set_tokens(TRANSLATE_QUERIES, TRANSLATE_KEYS)
    assert not np.array_equal(model.params["x_q"], designed)  # what Document.set_tokens is for


def test_each_occurrence_of_a_repeated_preset_word_gets_its_own_row_back() -> None:
    document = Document.from_preset("seed-causal")
    model = document.model
    designed = model.state
    document.set_tokens(["the", "dog", "barked"])
    document.set_tokens(["a", "mat"])
    document.set_tokens(list(designed.query_tokens))
    assert model.state.same_as(designed)


def test_a_self_attention_preset_comes_back_too() -> None:
    document = Document.from_preset("seed-self")
    designed = document.model.state
    document.set_tokens(["hello", "world"])
    document.set_tokens(["this", "is", "an", "example"])
    assert document.model.state.same_as(designed)


def test_an_edited_row_still_present_is_kept() -> None:
    document = Document.from_preset("seed-translate")
    model = document.model
    model.set_value("x_q", (1, 0), 0.5)  # hate
    edited = model.params["x_q"][1].copy()
    document.set_tokens(["I", "really", "hate", "this", "movie"], TRANSLATE_KEYS)
    np.testing.assert_array_equal(model.params["x_q"][2], edited)
    document.set_tokens(["hate", "this"], TRANSLATE_KEYS)
    np.testing.assert_array_equal(model.params["x_q"][0], edited)


def test_new_words_in_a_preset_document_come_from_the_table() -> None:
    document = Document.from_preset("seed-translate")
    document.set_tokens(["I", "love", "this", "film"], TRANSLATE_KEYS)
    model = document.model
    np.testing.assert_array_equal(model.params["x_q"][1], token_embedding("love", 4, model.seed))
    np.testing.assert_array_equal(model.params["x_q"][3], token_embedding("film", 4, model.seed))


def test_another_d_model_has_no_designed_rows() -> None:
    document = Document.from_preset("seed-translate")
    model = document.model
    model.set_dims(d_model=8)
    assert preset_rows("seed-translate", 8) is None
    document.set_tokens(["the", "cat"], TRANSLATE_KEYS)
    document.set_tokens(TRANSLATE_QUERIES, TRANSLATE_KEYS)
    np.testing.assert_array_equal(model.params["x_q"][1], token_embedding("hate", 8, model.seed))


def test_a_document_not_from_a_preset_works_like_the_model() -> None:
    document = Document(AttentionModel(["a", "b"], seed=2))
    twin = AttentionModel(["a", "b"], seed=2)
    document.set_tokens(["hate", "b", "c"], ["kirai"])
    twin.set_tokens(["hate", "b", "c"], ["kirai"])
    assert document.model.state.same_as(twin.state)
    assert preset_rows(None, 4) is None and preset_rows("no-such-preset", 4) is None


def test_preset_rows_are_read_only_stacks_by_word() -> None:
    rows = preset_rows("seed-causal", 6)
    assert rows is not None
    the = rows["the"]
    assert the.shape == (2, 6) and not the.flags.writeable
    assert not np.array_equal(the[0], the[1])
    with pytest.raises(TypeError):
        rows["new"] = the  # type: ignore[index]


def test_known_rows_win_over_the_table_for_new_tokens_only() -> None:
    model = AttentionModel(["I", "like", "tea"], d_model=2)
    known = {"tea": np.array([9.0, 9.0]), "coffee": [[1.0, 2.0], [3.0, 4.0]]}
    model.set_tokens(["coffee", "tea", "coffee", "coffee"], known=known)
    tea = model.params["x_q"][1].copy()
    assert not np.array_equal(tea, [9.0, 9.0])  # tea had a row: it keeps it
    np.testing.assert_array_equal(model.params["x_q"][[0, 2, 3]], [[1, 2], [3, 4], [3, 4]])
    model.set_tokens(["chai"], known={"chai": [5.0, 6.0]})
    np.testing.assert_array_equal(model.params["x_q"], [[5.0, 6.0]])


@pytest.mark.parametrize(
    ("known", "message"),
    [
        ({"tea": [1.0, 2.0, 3.0]}, r"known\['tea'\]: expected a row of 2 numbers"),
        ({"tea": np.zeros((0, 2))}, r"known\['tea'\]: expected a row of 2 numbers"),
        ({"tea": ["a", "b"]}, r"known\['tea'\]: expected a row of 2 numbers"),
        ({"tea": [np.nan, 1.0]}, r"known\['tea'\]\[0, 0\]: expected a finite number"),
    ],
)
def test_bad_known_rows_are_refused_and_change_nothing(known: dict[str, object], message: str) -> None:
    model = AttentionModel(["I", "like"], d_model=2)
    before = model.state
    with pytest.raises(ValueError, match=message):
        model.set_tokens(["I", "like", "tea"], known=known)  # type: ignore[arg-type]
    assert model.state is before
