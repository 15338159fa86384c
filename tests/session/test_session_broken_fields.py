"""A broken structure (format, version, fields, types, shapes, values) is refused naming the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from session_helpers import NAME, breaks, document_of, set_at

from explainer.model import Document
from explainer.session import save_session


def w_q_cell(value: Any) -> Callable[[dict], None]:
    def edit(doc: dict) -> None:
        doc["params"]["w_q"][0][1][2] = value

    return edit


# (what is wrong, how to break the document, what the message must say)
BROKEN_FIELDS: list[tuple[str, Callable[[dict], None], str]] = [
    (
        "wrong format",
        lambda d: set_at(d, "format", "zip"),
        "field format: expected 'attention-explainer-session', got the string 'zip'",
    ),
    (
        "a preset",
        lambda d: set_at(d, "format", "attention-explainer-preset"),
        "field format: this is a preset file",
    ),
    (
        "no format",
        lambda d: d.pop("format"),
        "field format: expected 'attention-explainer-session', got nothing",
    ),
    (
        "newer version",
        lambda d: set_at(d, "version", 3),
        "field version: 3 is newer than this app reads (supported versions: 1, 2)",
    ),
    (
        "version as text",
        lambda d: set_at(d, "version", "2"),
        "field version: expected a supported version (1, 2), got the string '2'",
    ),
    (
        "version true",
        lambda d: set_at(d, "version", True),
        "field version: expected a supported version (1, 2), got true",
    ),
    (
        "version 2.0",
        lambda d: set_at(d, "version", 2.0),
        "field version: expected a supported version (1, 2), got 2.0",
    ),
    (
        "version 0",
        lambda d: set_at(d, "version", 0),
        "field version: expected a supported version (1, 2), got 0",
    ),
    (
        "no version",
        lambda d: d.pop("version"),
        "field version: expected a supported version (1, 2), got nothing",
    ),
    ("missing field", lambda d: d.pop("seed"), "field seed: missing; a version 2 session has this field"),
    ("no source", lambda d: d.pop("source"), "field source: missing; a version 2 session has this field"),
    (
        "version 1's preset in a version 2 file",
        lambda d: d.update(preset=d.pop("source")["name"]),
        "field source: missing; a version 2 session has this field",
    ),
    (
        "version 2's source in a version 1 file",
        lambda d: set_at(d, "version", 1),
        "field preset: missing; a version 1 session has this field",
    ),
    (
        "extra field",
        lambda d: set_at(d, "colour", "red"),
        "field colour: unexpected; allowed here: format, version, source, query_tokens",
    ),
    (
        "missing parameter",
        lambda d: d["params"].pop("w_k"),
        "field params.w_k: missing; a version 2 session has this field",
    ),
    ("extra parameter", lambda d: set_at(d, "params.w_x", []), "field params.w_x: unexpected"),
    (
        "missing size",
        lambda d: d["sizes"].pop("d_k"),
        "field sizes.d_k: missing; a version 2 session has this field",
    ),
    ("extra view field", lambda d: set_at(d, "view.zoom", 2), "field view.zoom: unexpected"),
    ("missing view field", lambda d: d["view"].pop("theme"), "field view.theme: missing"),
    (
        "params not an object",
        lambda d: set_at(d, "params", [1, 2]),
        "field params: expected a JSON object, got a list of 2",
    ),
    (
        "wrong shape",
        lambda d: set_at(d, "params.w_q", [[[0.5] * 3] * 4]),
        "field params.w_q: expected shape (1, 4, 4) (n_heads, d_model, d_k), got shape (1, 4, 3)",
    ),
    (
        "too many heads",
        lambda d: set_at(d, "params.b_q", [[0.0] * 4] * 2),
        "field params.b_q: expected shape (1, 4) (n_heads, d_k), got shape (2, 4)",
    ),
    (
        "too deep",
        lambda d: set_at(d, "params.b_o", [[0.0]] * 4),
        "field params.b_o: expected shape (4,) (d_model,), got shape (4, 1)",
    ),
    (
        "ragged row",
        lambda d: set_at(d, "params.w_q", [[[0.5] * 4, [0.5] * 4, [0.5] * 3, [0.5] * 4]]),
        "field params.w_q[0, 2]: expected a list of 4 numbers, got a list of 3",
    ),
    (
        "ragged block",
        lambda d: d["params"]["x_q"].__setitem__(3, 7),
        "field params.x_q[3]: expected a list of 4 numbers, got 7",
    ),
    (
        "a number for a matrix",
        lambda d: set_at(d, "params.w_o", 0.5),
        "field params.w_o: expected a nested list of numbers of shape (4, 4)",
    ),
    ("NaN", w_q_cell(float("nan")), "field params.w_q[0, 1, 2]: expected a number, got NaN"),
    ("Infinity", w_q_cell(float("inf")), "field params.w_q[0, 1, 2]: expected a number, got Infinity"),
    ("-Infinity", w_q_cell(float("-inf")), "field params.w_q[0, 1, 2]: expected a number, got -Infinity"),
    (
        "a string number",
        w_q_cell("0.5"),
        "field params.w_q[0, 1, 2]: expected a number, got the string '0.5'",
    ),
    ("a boolean", w_q_cell(True), "field params.w_q[0, 1, 2]: expected a number, got true"),
    ("null", w_q_cell(None), "field params.w_q[0, 1, 2]: expected a number, got null"),
    ("a list in a cell", w_q_cell([1.0]), "field params.w_q[0, 1, 2]: expected a number, got a list of 1"),
    (
        "beyond the value limit",
        w_q_cell(2e6),
        "field params.w_q[0, 1, 2]: |value| must be at most 1e+06, got 2e+06",
    ),
    (
        "a huge integer",
        w_q_cell(10**30),
        "field params.w_q[0, 1, 2]: |value| must be at most 1e+06, got 1e+30",
    ),
    (
        "a huge integer in the bias",
        lambda d: set_at(d, "params.b_o", [0, 0, 0, 10**400]),
        "field params.b_o[3]: |value| must be at most 1e+06",
    ),
]


@pytest.mark.parametrize(("case", "edit", "expected"), BROKEN_FIELDS, ids=[c[0] for c in BROKEN_FIELDS])
def test_a_broken_field_is_named(saved: Path, case: str, edit: Callable[[dict], None], expected: str) -> None:
    assert breaks(document_of(saved), edit, saved).startswith(f"{NAME}: {expected}")


def test_self_attention_x_kv_must_equal_x_q(tmp_path: Path) -> None:
    path = tmp_path / NAME
    save_session(path, Document.from_preset("seed-self"))

    def edit(doc: dict) -> None:
        doc["params"]["x_kv"][0][0] += 1.0

    expected = f"{NAME}: field params.x_kv: in self-attention x_kv must equal x_q"
    assert breaks(document_of(path), edit, path) == expected
