"""Beyond the model's limits (tokens, sizes, seed, options) or a view that does not fit: refused.

The limit messages are the model's own, prefixed with the file and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from session_helpers import NAME, breaks, document_of, set_at

# (what is wrong, how to break the document, what the message must say)
BROKEN_FIELDS: list[tuple[str, Callable[[dict], None], str]] = [
    (
        "65 tokens",
        lambda d: set_at(d, "query_tokens", [f"t{i}" for i in range(65)]),
        "field query_tokens: at most 64 tokens, got 65",
    ),
    (
        "no tokens",
        lambda d: set_at(d, "key_tokens", []),
        "field key_tokens: expected at least one token, got none",
    ),
    (
        "an empty token",
        lambda d: d["query_tokens"].__setitem__(1, "  "),
        "field query_tokens[1]: a token cannot be empty",
    ),
    (
        "a long token",
        lambda d: d["query_tokens"].__setitem__(1, "x" * 41),
        "field query_tokens[1]: a token has at most 40 characters, got 41",
    ),
    (
        "a number token",
        lambda d: d["query_tokens"].__setitem__(1, 3),
        "field query_tokens[1]: expected a string, got 3",
    ),
    (
        "tokens as text",
        lambda d: set_at(d, "key_tokens", "kono eiga"),
        "field key_tokens: expected a list of tokens or null, got the string 'kono eiga'",
    ),
    (
        "a lone surrogate",
        lambda d: d["query_tokens"].__setitem__(0, "\ud800"),
        "field query_tokens[0]: expected text (a lone surrogate escape is not)",
    ),
    (
        "d_model too big",
        lambda d: set_at(d, "sizes.d_model", 2000),
        "field sizes.d_model: expected 1 to 1024, got 2000",
    ),
    ("d_k zero", lambda d: set_at(d, "sizes.d_k", 0), "field sizes.d_k: expected 1 to 256, got 0"),
    ("17 heads", lambda d: set_at(d, "sizes.n_heads", 17), "field sizes.n_heads: expected 1 to 16, got 17"),
    (
        "size as text",
        lambda d: set_at(d, "sizes.d_model", "4"),
        "field sizes.d_model: expected a whole number, got the string '4'",
    ),
    (
        "size as float",
        lambda d: set_at(d, "sizes.d_v", 4.0),
        "field sizes.d_v: expected a whole number, got 4.0",
    ),
    (
        "sizes disagree with params",
        lambda d: set_at(d, "sizes.d_model", 5),
        "field params.x_q: expected shape (4, 5) (query tokens, d_model), got shape (4, 4)",
    ),
    (
        "causal cross-attention",
        lambda d: set_at(d, "causal", True),
        "field causal: causal attention needs self-attention",
    ),
    (
        "causal as text",
        lambda d: set_at(d, "causal", "yes"),
        "field causal: expected true or false, got the string 'yes'",
    ),
    ("scale as number", lambda d: set_at(d, "scale", 1), "field scale: expected true or false, got 1"),
    ("negative seed", lambda d: set_at(d, "seed", -1), "field seed: expected a whole number >= 0, got -1"),
    ("fractional seed", lambda d: set_at(d, "seed", 1.5), "field seed: expected a whole number, got 1.5"),
    (
        "source as number",
        lambda d: set_at(d, "source", 3),
        "field source: expected null or a JSON object, got 3",
    ),
    (
        "view head beyond the heads",
        lambda d: set_at(d, "view.head", 1),
        "field view.head: expected a whole number from 0 to 0, got 1",
    ),
    (
        "negative step",
        lambda d: set_at(d, "view.step", -1),
        "field view.step: expected a whole number from 0 to 2147483647, got -1",
    ),
    (
        "step true",
        lambda d: set_at(d, "view.step", True),
        "field view.step: expected a whole number from 0 to 2147483647, got true",
    ),
    (
        "unknown detail",
        lambda d: set_at(d, "view.detail", "fast"),
        "field view.detail: expected one of full, first-query, rows, matrix, got the string 'fast'",
    ),
    (
        "unknown theme",
        lambda d: set_at(d, "view.theme", "blue"),
        "field view.theme: expected one of light, dark, got the string 'blue'",
    ),
    (
        "unknown panel",
        lambda d: set_at(d, "view.layout", ["scores", "heatmap"]),
        "field view.layout[1]: expected one of embeddings, projections",
    ),
    (
        "a panel twice",
        lambda d: set_at(d, "view.layout", ["scores", "scores"]),
        "field view.layout[1]: expected each panel once, got the string 'scores'",
    ),
    (
        "no panels",
        lambda d: set_at(d, "view.layout", []),
        "field view.layout: expected a non-empty list of panel names, got a list of 0",
    ),
    (
        "huge text",
        lambda d: set_at(d, "view.font_scale", 10),
        "field view.font_scale: expected a number from 0.6 to 3.0, got 10",
    ),
    (
        "a 401-digit text size",
        lambda d: set_at(d, "view.font_scale", 10**400),
        "field view.font_scale: expected a number from 0.6 to 3.0, got a 401-digit number",
    ),
    (
        "a 401-digit step",
        lambda d: set_at(d, "view.step", 10**400),
        "field view.step: expected a whole number from 0 to 2147483647, got a 401-digit number",
    ),
    (
        "a 401-digit seed",
        lambda d: set_at(d, "seed", -(10**400)),
        "field seed: expected a whole number >= 0, got -1000000000",
    ),
    (
        "NaN text size",
        lambda d: set_at(d, "view.font_scale", float("nan")),
        "field view.font_scale: expected a number from 0.6 to 3.0, got NaN",
    ),
    (
        "focus beyond the tokens",
        lambda d: set_at(d, "view.focus_key", 4),
        "field view.focus_key: expected null or a whole number from 0 to 3, got 4",
    ),
    ("view not an object", lambda d: set_at(d, "view", None), "field view: expected a JSON object, got null"),
]


@pytest.mark.parametrize(("case", "edit", "expected"), BROKEN_FIELDS, ids=[c[0] for c in BROKEN_FIELDS])
def test_a_broken_field_is_named(saved: Path, case: str, edit: Callable[[dict], None], expected: str) -> None:
    assert breaks(document_of(saved), edit, saved).startswith(f"{NAME}: {expected}")
