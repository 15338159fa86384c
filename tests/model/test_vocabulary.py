"""New words: rows from a real model's word table, the same in every process, scaled so softmax reads."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from explainer.model import AttentionModel, Document
from explainer.model.state import ROW_RMS, token_embedding
from explainer.model.vocabulary import VOCABULARY_FILE, vocabulary, word_key

# Sentences a student might type; every kind of word: in the table, not in it, capitalised.
SENTENCES = (
    "the cat sat on the mat",
    "I love this film",
    "my teacher gave us homework today",
    "the quick brown fox jumps over the lazy dog",
    "she drinks green tea every morning",
    "attention is all you need",
    "we watched a funny movie at home",
)
# With the default random weights (σ² = 1/d_model) a score's standard deviation is
# ROW_RMS² = 1/4 at any size: |q·k/√d_k| stays well inside this bound (measured ≤ 1.5).
DEFAULT_WEIGHTS_SCORE_BOUND = 2.0
# Typed into a preset (its designed, stronger weights, d_model 4): measured ≤ 2.9.
PRESET_WEIGHTS_SCORE_BOUND = 4.0


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def rows_of_visible_keys(model: AttentionModel) -> tuple[np.ndarray, np.ndarray]:
    """Scaled scores of visible cells and the largest α of each row that sees more than one key."""
    t = model.trace
    visible = np.isfinite(t.masked)
    several = visible.sum(axis=-1) > 1
    return t.scaled[visible], t.weights.max(axis=-1)[several]


def test_the_table_ships_as_package_data_and_holds_common_whole_words() -> None:
    table = vocabulary()
    assert VOCABULARY_FILE.is_file()
    assert len(VOCABULARY_FILE.read_bytes()) < 300_000
    assert (len(table.words), table.n_components) == (6000, 16)
    assert len(set(table.words)) == len(table.words)
    assert all(word.isascii() and word.isalpha() and word.islower() for word in table.words)
    assert table.words[:4] == ("a", "i", "the", "of")  # vocabulary order: most frequent first
    for sentence in ("i hate this movie", "this is an example", "the cat sat on the"):
        assert all(word in table for word in sentence.split()), sentence
    assert not table.vectors.flags.writeable


def test_similar_words_get_similar_rows() -> None:
    pairs = [
        ("movie", "film", "sat"),
        ("cat", "dog", "hate"),
        ("king", "queen", "sat"),
        ("red", "blue", "movie"),
    ]
    for d_model in (4, 8, 16, 64):
        for word, near, far in pairs:
            row = token_embedding(word, d_model, 0)
            near_cos = cosine(row, token_embedding(near, d_model, 0))
            far_cos = cosine(row, token_embedding(far, d_model, 0))
            assert near_cos > far_cos, (d_model, word, near, far)
    assert cosine(token_embedding("movie", 16, 0), token_embedding("film", 16, 0)) > 0.8


@pytest.mark.parametrize("d_model", [1, 4, 8, 16, 17, 64, 1024])
def test_every_new_row_has_the_same_length(d_model: int) -> None:
    for word in ("movie", "kirai", "?", "Straße"):
        row = token_embedding(word, d_model, 3)
        assert row.shape == (d_model,)
        assert np.array_equal(row, np.round(row, 2))  # as the app prints it
        rounding = 0.005 * np.sqrt(d_model)
        assert abs(np.linalg.norm(row) - ROW_RMS * np.sqrt(d_model)) <= rounding + 1e-9, word


def test_a_table_word_is_looked_up_without_case_or_outer_punctuation() -> None:
    assert word_key("Movie!") == word_key("movie") == "movie"
    assert word_key("?") == "?"
    for d_model in (4, 16, 64):
        np.testing.assert_array_equal(
            token_embedding("Movie!", d_model, 0), token_embedding("movie", d_model, 0)
        )
        np.testing.assert_array_equal(token_embedding("I", d_model, 0), token_embedding("i", d_model, 0))


def test_table_rows_are_the_same_for_every_seed_and_noise_depends_on_it() -> None:
    np.testing.assert_array_equal(token_embedding("movie", 8, 0), token_embedding("movie", 8, 9))
    assert not np.array_equal(token_embedding("kirai", 8, 0), token_embedding("kirai", 8, 9))
    # Past the table's 16 components the rest is seeded noise: the head keeps the word's direction.
    a, b = token_embedding("movie", 64, 0), token_embedding("movie", 64, 9)
    assert not np.array_equal(a, b)
    assert cosine(a[:16], b[:16]) > 0.999
    assert cosine(a[:16], vocabulary().vector("movie")) > 0.999


def test_the_same_word_gets_the_same_row_in_another_process() -> None:
    words, sizes = ["movie", "Hate", "kirai", "matcha!", "?"], [4, 8, 64]
    here = {f"{w} {d}": token_embedding(w, d, 7).tolist() for w in words for d in sizes}
    code = (
        "import json, sys\n"
        "from explainer.model.state import token_embedding\n"
        f"words, sizes = {words!r}, {sizes!r}\n"
        "print(json.dumps({f'{w} {d}': token_embedding(w, d, 7).tolist() for w in words for d in sizes}))\n"
    )
    # Another string-hash salt: rows must not depend on Python's hash().
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, timeout=120
    )
    assert json.loads(result.stdout) == here


@pytest.mark.parametrize("d_model", [4, 8, 64])
def test_a_new_sentence_with_default_weights_gives_readable_softmax(d_model: int) -> None:
    for sentence in SENTENCES:
        for seed in range(3):
            model = AttentionModel(sentence.split(), d_model=d_model, seed=seed)
            scores, top = rows_of_visible_keys(model)
            assert np.abs(scores).max() < DEFAULT_WEIGHTS_SCORE_BOUND, (sentence, seed)
            assert top.max() < 0.99, (sentence, seed)


def test_default_sizes_in_cross_and_causal_attention_give_readable_softmax() -> None:
    for queries, keys in itertools.pairwise(SENTENCES):
        for model in (
            AttentionModel(queries.split(), keys.split()),
            AttentionModel(queries.split(), causal=True),
        ):
            scores, top = rows_of_visible_keys(model)
            assert np.abs(scores).max() < DEFAULT_WEIGHTS_SCORE_BOUND, (queries, model.mode)
            assert top.max() < 0.99, (queries, model.mode)


@pytest.mark.parametrize("preset", ["seed-translate", "seed-cross", "seed-self"])
def test_a_sentence_typed_into_a_preset_keeps_softmax_readable(preset: str) -> None:
    # seed-causal is left out: its designed W_Q·W_Kᵀ amplifies one direction 8.6-fold.
    for queries, keys in itertools.pairwise(SENTENCES):
        document = Document.from_preset(preset)
        document.set_tokens(queries.split(), None if document.model.self_attention else keys.split())
        scores, top = rows_of_visible_keys(document.model)
        assert np.abs(scores).max() < PRESET_WEIGHTS_SCORE_BOUND, queries
        assert top.max() < 0.99, queries
