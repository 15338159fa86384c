"""Bad input: a ValueError that says what, where and what was given; the model stays as it was."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from attention_reference import Snapshot, watch

from explainer.model import AttentionModel, ModelState

Edit = Callable[[AttentionModel], object]

# (id, edit, fragments the message must contain). The cross model has 3 queries, 2 keys,
# d_model 4, d_k 3, d_v 2, 2 heads: w_q (2, 4, 3), w_v (2, 4, 2), b_o (4,).
VALUE_CASES: list[tuple[str, Edit, tuple[str, ...]]] = [
    ("unknown name", lambda m: m.set_value("w_x", (0, 0, 0), 1.0), ("'w_x'", "w_q", "b_o")),
    ("index out of range", lambda m: m.set_value("w_q", (0, 4, 0), 1.0), ("w_q", "[0, 4, 0]", "(2, 4, 3)")),
    ("negative index", lambda m: m.set_value("b_o", -1, 1.0), ("b_o", "[-1]", "(4,)")),
    ("index too short", lambda m: m.set_value("w_q", (0, 1), 1.0), ("w_q", "3", "(2, 4, 3)", "(0, 1)")),
    ("index not whole", lambda m: m.set_value("b_o", 1.5, 1.0), ("b_o", "(4,)", "1.5")),
    ("nan", lambda m: m.set_value("w_q", (1, 2, 0), float("nan")), ("w_q[1, 2, 0]", "finite", "nan")),
    ("+inf", lambda m: m.set_value("x_q", (2, 3), float("inf")), ("x_q[2, 3]", "finite", "inf")),
    ("-inf", lambda m: m.set_value("b_o", 0, -float("inf")), ("b_o[0]", "finite", "-inf")),
    ("too large", lambda m: m.set_value("w_o", (3, 1), 2e6), ("w_o[3, 1]", "1e+06", "2e+06")),
    ("too negative", lambda m: m.set_value("b_v", (1, 1), -1.5e6), ("b_v[1, 1]", "1e+06", "-1.5e+06")),
    ("huge int", lambda m: m.set_value("b_k", (0, 0), 10**400), ("b_k[0, 0]", "1e+06")),
    ("not a number", lambda m: m.set_value("w_k", (0, 0, 0), "abc"), ("w_k[0, 0, 0]", "number", "'abc'")),
    ("bool", lambda m: m.set_value("b_q", (0, 0), True), ("b_q[0, 0]", "number", "True")),
]

PARAM_CASES: list[tuple[str, Edit, tuple[str, ...]]] = [
    ("unknown name", lambda m: m.set_param("weights", [1.0]), ("'weights'", "x_q", "w_o")),
    ("wrong shape", lambda m: m.set_param("w_q", [[0.0] * 3] * 4), ("w_q", "(2, 4, 3)", "(4, 3)")),
    ("scalar", lambda m: m.set_param("b_o", 1.0), ("b_o", "(4,)", "()")),
    ("nan inside", lambda m: m.set_param("b_o", [0.0, 1.0, float("nan"), 2.0]), ("b_o[2]", "finite", "nan")),
    ("inf inside", lambda m: m.set_param("b_o", [0.0, float("inf"), 0, 0]), ("b_o[1]", "finite", "inf")),
    ("too large inside", lambda m: m.set_param("b_o", [0, 0, 0, 3e6]), ("b_o[3]", "1e+06", "3e+06")),
    ("strings", lambda m: m.set_param("b_o", ["abc"] * 4), ("b_o", "numbers", "(4,)", "'abc'")),
    ("numeric strings", lambda m: m.set_param("b_o", ["1.5"] * 4), ("b_o", "numbers", "'1.5'")),
    ("ragged", lambda m: m.set_param("x_kv", [[1, 2, 3, 4], [1]]), ("x_kv", "numbers", "(2, 4)")),
    ("none", lambda m: m.set_param("b_o", None), ("b_o", "numbers", "None")),
]

TOKEN_CASES: list[tuple[str, Edit, tuple[str, ...]]] = [
    ("empty queries", lambda m: m.set_tokens([], ["x"]), ("query_tokens", "at least one", "none")),
    ("empty keys", lambda m: m.set_tokens(["x"], []), ("key_tokens", "at least one", "none")),
    ("65 tokens", lambda m: m.set_tokens([f"t{i}" for i in range(65)], ["x"]), ("query_tokens", "64", "65")),
    ("empty string", lambda m: m.set_tokens(["a", ""], ["x"]), ("query_tokens[1]", "empty")),
    ("blank string", lambda m: m.set_tokens(["a"], ["x", "  "]), ("key_tokens[1]", "empty")),
    ("not a string", lambda m: m.set_tokens(["a", 3], ["x"]), ("query_tokens[1]", "string", "3")),
    ("one string", lambda m: m.set_tokens("hello", ["x"]), ("query_tokens", "list", "'hello'")),
    ("token too long", lambda m: m.set_tokens(["a" * 41], ["x"]), ("query_tokens[0]", "40", "41")),
    # Issue 15: None raised TypeError; control characters and noncharacters made SVG exports invalid XML.
    ("no queries", lambda m: m.set_tokens(None, ["x"]), ("query_tokens", "list of tokens", "None")),
    ("a number for keys", lambda m: m.set_tokens(["a"], 5), ("key_tokens", "list of tokens", "5")),
    (
        "a terminal escape",
        lambda m: m.set_tokens(["a", "\x07\x1b[31m"], ["x"]),
        ("query_tokens[1]", "U+0007"),
    ),
    ("a zero character", lambda m: m.set_tokens(["a"], ["a\x00b"]), ("key_tokens[0]", "U+0000", "control")),
    (
        "a noncharacter",
        lambda m: m.set_tokens(["\uffff"], ["x"]),
        ("query_tokens[0]", "U+FFFF", "noncharacter"),
    ),
    ("a C1 control", lambda m: m.set_tokens(["a\x9bb"], ["x"]), ("query_tokens[0]", "U+009B")),
    ("a tab inside", lambda m: m.set_tokens(["a\tb"], ["x"]), ("query_tokens[0]", "U+0009")),
]

OTHER_CASES: list[tuple[str, Edit, tuple[str, ...]]] = [
    ("causal in cross mode", lambda m: m.set_options(causal=True), ("causal", "self-attention")),
    ("d_k zero", lambda m: m.set_dims(d_k=0), ("d_k", "1 to", "0")),
    ("too many heads", lambda m: m.set_dims(n_heads=17), ("n_heads", "16", "17")),
    ("d_model not whole", lambda m: m.set_dims(d_model=2.5), ("d_model", "whole", "2.5")),
    ("negative seed", lambda m: m.set_dims(seed=-1), ("seed", "-1")),
    (
        "bad state",
        lambda m: m.restore(ModelState(("a", "b"), ("c", "d"), False, True, m.params)),
        ("x_q", "(2, 4)", "(3, 4)"),
    ),
]

ALL_CASES = [
    pytest.param(edit, fragments, id=f"{group}: {name}")
    for group, cases in (
        ("set_value", VALUE_CASES),
        ("set_param", PARAM_CASES),
        ("set_tokens", TOKEN_CASES),
        ("other", OTHER_CASES),
    )
    for name, edit, fragments in cases
]


def cross_model() -> AttentionModel:
    return AttentionModel(["I", "like", "tea"], ["ocha", "suki"], d_model=4, d_k=3, d_v=2, n_heads=2)


@pytest.mark.parametrize(("edit", "fragments"), ALL_CASES)
def test_refused_edit_explains_itself_and_changes_nothing(edit: Edit, fragments: tuple[str, ...]) -> None:
    m = cross_model()
    before, state, seed = Snapshot.of(m), m.state, m.seed
    emitted = watch(m)
    with pytest.raises(ValueError) as info:
        edit(m)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from {message!r}"
    before.assert_same(m)
    assert m.state is state
    assert m.seed == seed
    assert emitted.count == 0


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"query_tokens": []}, "query_tokens"),
        ({"query_tokens": ["a"] * 65}, "65"),
        ({"query_tokens": ["a", " "]}, "query_tokens[1]"),
        ({"query_tokens": ["a"], "key_tokens": []}, "key_tokens"),
        ({"query_tokens": ["a"], "d_model": 0}, "d_model"),
        ({"query_tokens": ["a"], "d_k": 257}, "d_k"),
        ({"query_tokens": ["a"], "d_v": -1}, "d_v"),
        ({"query_tokens": ["a"], "n_heads": 0}, "n_heads"),
        ({"query_tokens": ["a"], "seed": -5}, "seed"),
    ],
)
def test_constructor_refuses_bad_arguments_by_name(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment.replace("[", r"\[")):
        AttentionModel(**kwargs)


def test_a_refused_seed_does_not_break_later_edits() -> None:
    m = cross_model()
    with pytest.raises(ValueError, match="seed"):
        m.randomize(-3)
    m.set_tokens(["a", "brand-new"], ["ocha"])
    assert m.query_tokens == ["a", "brand-new"]


def test_a_refused_edit_inside_a_batch_leaves_the_earlier_edits_and_emits_them_once() -> None:
    m = cross_model()
    emitted = watch(m)
    with pytest.raises(ValueError, match="b_o"), m.batch():
        m.set_value("b_o", 0, 0.5)
        m.set_value("b_o", 1, float("nan"))
    assert m.params["b_o"][0] == 0.5
    assert m.params["b_o"][1] == 0.0
    assert emitted.count == 1
    assert emitted.traces[0] is m.trace


def test_a_token_that_is_not_text_is_refused_like_any_bad_token():
    # A lone surrogate cannot be encoded (saved, hashed into an embedding, drawn).
    with pytest.raises(ValueError, match=r"query_tokens\[1\]: expected text"):
        AttentionModel(["ok", "\ud800"])
    model = AttentionModel(["a", "b"])
    before = model.state
    with pytest.raises(ValueError, match=r"key_tokens\[0\]: expected text"):
        model.set_tokens(["a"], ["\udfff"])
    assert model.state is before


@pytest.mark.parametrize(
    "token",
    ["\x7f", "a\x85b", "\ufdd0", "\ufdef", "\ufffe", "\U0001fffe", "\U0010ffff", "x\u0080"],
)
def test_control_characters_and_noncharacters_are_refused_with_what_is_allowed(token: str) -> None:
    with pytest.raises(ValueError) as info:
        AttentionModel(["ok", token])
    message = str(info.value)
    assert message.startswith("query_tokens[1]: ")
    assert "a token may hold letters, marks, digits, punctuation, symbols and spaces" in message
    assert message.isprintable()  # the token itself is shown escaped


@pytest.mark.parametrize(
    "token",
    [
        '"quoted"',
        "it's",
        "<b>&amp;</b>",
        "a > b",
        "👩‍🔬",  # emoji joined by ZERO WIDTH JOINER (a format character)
        "🇯🇵",
        "映画",
        "e\u0301",  # e + COMBINING ACUTE ACCENT
        "\u05d0\u200f",  # Hebrew letter + RIGHT-TO-LEFT MARK
        "non\u00a0breaking",
        "\ue000",  # private use
    ],
)
def test_every_kind_of_text_is_still_a_token(token: str) -> None:
    assert AttentionModel(["ok", token]).query_tokens == ["ok", token]
