"""set_tokens keeps known embedding rows; set_dims resizes everything consistently."""

from __future__ import annotations

import numpy as np
import pytest
from attention_reference import watch

from explainer.model import AttentionModel


def row(model: AttentionModel, which: str, token: str) -> np.ndarray:
    tokens = model.query_tokens if which == "x_q" else model.key_tokens
    return model.params[which][tokens.index(token)]


def test_a_token_already_present_keeps_its_edited_row() -> None:
    m = AttentionModel(["I", "like", "tea"], ["ocha", "suki"], d_model=4)
    m.set_param("x_q", np.arange(12.0).reshape(3, 4))
    m.set_param("x_kv", -np.arange(8.0).reshape(2, 4))
    m.set_tokens(["tea", "I", "really", "like"], ["suki", "desu", "ocha"])
    np.testing.assert_array_equal(m.params["x_q"][[0, 1, 3]], [[8, 9, 10, 11], [0, 1, 2, 3], [4, 5, 6, 7]])
    np.testing.assert_array_equal(m.params["x_kv"][[0, 2]], [[-4, -5, -6, -7], [0, -1, -2, -3]])


def test_a_new_token_gets_the_same_row_it_would_get_in_a_fresh_model() -> None:
    m = AttentionModel(["I", "like"], ["suki"], seed=4)
    m.set_tokens(["I", "like", "matcha"], ["suki"])
    fresh = AttentionModel(["matcha"], seed=4)
    np.testing.assert_array_equal(row(m, "x_q", "matcha"), fresh.params["x_q"][0])
    assert not np.array_equal(row(m, "x_q", "matcha"), AttentionModel(["matcha"], seed=5).params["x_q"][0])


def test_a_key_word_that_is_already_a_query_reuses_that_row() -> None:
    m = AttentionModel(["tea", "time"])
    m.set_tokens(["tea", "time"], ["time", "for", "tea"])
    np.testing.assert_array_equal(row(m, "x_kv", "tea"), row(m, "x_q", "tea"))
    np.testing.assert_array_equal(row(m, "x_kv", "time"), row(m, "x_q", "time"))


def test_cross_keys_keep_their_own_rows_when_the_same_word_is_a_query() -> None:
    m = AttentionModel(["the", "cat"], ["the", "neko"], d_model=2)
    m.set_param("x_q", [[1.0, 1.0], [2.0, 2.0]])
    m.set_param("x_kv", [[-1.0, -1.0], [-2.0, -2.0]])
    m.set_tokens(["the", "cat", "sat"], ["the", "neko"])
    np.testing.assert_array_equal(m.params["x_kv"], [[-1.0, -1.0], [-2.0, -2.0]])
    np.testing.assert_array_equal(m.params["x_q"][:2], [[1.0, 1.0], [2.0, 2.0]])


def test_repeated_words_keep_their_own_rows_when_the_sentence_grows_or_shrinks() -> None:
    m = AttentionModel.from_preset("seed-causal")
    assert m.query_tokens.count("the") == 2
    x = m.params["x_q"].copy()
    first, second = (i for i, t in enumerate(m.query_tokens) if t == "the")
    assert not np.array_equal(x[first], x[second])
    m.set_tokens([*m.query_tokens, "today"])
    np.testing.assert_array_equal(m.params["x_q"][: len(x)], x)
    m.set_tokens(m.query_tokens[1:])
    np.testing.assert_array_equal(m.params["x_q"][: len(x) - 1], x[1:])


def test_switching_cross_to_self_shares_the_query_rows() -> None:
    m = AttentionModel(["I", "like", "tea"], ["ocha", "suki"])
    x_q = m.params["x_q"].copy()
    emitted = watch(m)
    m.set_tokens(["I", "like", "tea"])
    assert m.mode == "self"
    assert m.params["x_kv"] is m.params["x_q"]
    np.testing.assert_array_equal(m.params["x_q"], x_q)
    assert m.key_tokens == ["I", "like", "tea"]
    assert m.trace.weights.shape == (1, 3, 3)
    assert emitted.count == 1


def test_switching_self_to_cross_gives_keys_their_own_array() -> None:
    m = AttentionModel(["I", "like", "tea"])
    m.set_tokens(["I", "like", "tea"], ["tea", "please"])
    assert m.mode == "cross"
    assert m.params["x_kv"] is not m.params["x_q"]
    np.testing.assert_array_equal(m.params["x_kv"][0], m.params["x_q"][2])
    assert m.trace.weights.shape == (1, 3, 2)
    m.set_value("x_kv", (0, 0), 3.0)
    assert m.params["x_q"][2, 0] != 3.0


def test_tokens_are_stripped_and_returned_as_new_lists() -> None:
    m = AttentionModel([" I ", "like"], ["suki\t"])
    assert (m.query_tokens, m.key_tokens) == (["I", "like"], ["suki"])
    m.query_tokens.append("mutated")
    assert m.query_tokens == ["I", "like"]
    assert m.trace.query_tokens == ("I", "like")


def test_sixty_four_tokens_are_allowed() -> None:
    m = AttentionModel([f"t{i}" for i in range(64)], ["k"])
    assert m.trace.weights.shape == (1, 64, 1)


@pytest.mark.parametrize("mode", ["self", "cross", "causal"])
def test_set_dims_changes_every_shape_consistently(mode: str) -> None:
    keys = ["x", "y"] if mode == "cross" else None
    m = AttentionModel(["a", "b", "c"], keys, causal=mode == "causal")
    x_q = m.params["x_q"].copy()
    m.set_dims(d_k=3, d_v=5, n_heads=2)
    n_q, n_k = 3, 2 if mode == "cross" else 3
    shapes = {name: array.shape for name, array in m.params.items()}
    assert shapes == {
        "x_q": (n_q, 8),
        "x_kv": (n_k, 8),
        "w_q": (2, 8, 3),
        "w_k": (2, 8, 3),
        "w_v": (2, 8, 5),
        "b_q": (2, 3),
        "b_k": (2, 3),
        "b_v": (2, 5),
        "w_o": (10, 8),
        "b_o": (8,),
    }
    np.testing.assert_array_equal(m.params["x_q"], x_q)
    t = m.trace
    assert (t.q.shape, t.k.shape, t.v.shape) == ((2, n_q, 3), (2, n_k, 3), (2, n_k, 5))
    assert t.weights.shape == (2, n_q, n_k)
    assert (t.context.shape, t.concat.shape, t.output.shape) == ((2, n_q, 5), (n_q, 10), (n_q, 8))
    assert (m.d_model, m.d_k, m.d_v, m.n_heads, m.mode) == (8, 3, 5, 2, mode)
    assert (m.params["x_kv"] is m.params["x_q"]) == (mode != "cross")


def test_set_dims_with_a_new_d_model_re_derives_the_embeddings() -> None:
    m = AttentionModel(["a", "b"], ["c"])
    m.set_dims(d_model=6)
    assert m.params["x_q"].shape == (2, 6) and m.params["x_kv"].shape == (1, 6)
    assert m.params["w_o"].shape == (4, 6) and m.params["b_o"].shape == (6,)
    np.testing.assert_array_equal(m.params["x_q"], AttentionModel(["a", "b"], d_model=6).params["x_q"])
    assert m.trace.output.shape == (2, 6)


def test_randomize_draws_new_weights_and_keeps_embeddings() -> None:
    m = AttentionModel(["a", "b"], ["c"])
    before = {name: array.copy() for name, array in m.params.items()}
    m.randomize(11)
    assert m.seed == 11
    assert not np.array_equal(m.params["w_q"], before["w_q"])
    np.testing.assert_array_equal(m.params["x_q"], before["x_q"])
    np.testing.assert_array_equal(m.params["x_kv"], before["x_kv"])
    np.testing.assert_array_equal(m.params["w_q"], AttentionModel(["z"], seed=11).params["w_q"])
