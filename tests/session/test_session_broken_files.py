"""A file that is no session at all (missing, a folder, binary, not JSON, too large) is refused."""

from __future__ import annotations

import copy
import json
import math
import os
import time
from pathlib import Path
from typing import Any

import pytest
from session_helpers import NAME, document_of, refused, set_at

from explainer.model import limits
from explainer.session import MAX_SESSION_BYTES
from explainer.session.document import MAX_CONTAINERS, MAX_STRINGS, MAX_VALUES

BROKEN_TEXT: list[tuple[str, bytes, str]] = [
    ("empty", b"", "not a session file: the file is empty"),
    ("blank", b"  \n\t ", "not a session file: the file is empty"),
    ("not JSON", b"hello, class", "not a session file: invalid JSON at line 1, column 1: Expecting value"),
    (
        "binary",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "not a session file: it holds binary data (a zero byte at offset 8)",
    ),
    (
        "not UTF-8",
        '{"format": "café"}'.encode("latin-1"),
        "not a session file: not UTF-8 text (byte 0xe9 at offset 15)",
    ),
    (
        "UTF-16",
        '{"format": 1}'.encode("utf-16"),
        "not a session file: the text is UTF-16; a session file is UTF-8",
    ),
    ("a list", b"[1, 2, 3]", "expected a JSON object at the top level, got a list of 3"),
    ("a string", b'"session"', "expected a JSON object at the top level, got the string 'session'"),
    (
        "duplicate key",
        b'{"format": 1, "format": 2}',
        "not a session file: the key 'format' appears twice in one object",
    ),
    (
        "depth bomb",
        b"[" * 200_000 + b"]" * 200_000,
        "not a session file: lists or objects are nested too deeply",
    ),
    (
        "object bomb",
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "not a session file: lists or objects are nested too deeply",
    ),
    (
        "a 5000-digit number",
        b'{"format": ' + b"9" * 5000 + b"}",
        "field format: expected 'attention-explainer-session', got a 5000-digit number",
    ),
    (
        "a float beyond range",
        b'{"format": 1e400}',
        "field format: expected 'attention-explainer-session', got 1e400 (beyond the float range)",
    ),
]


@pytest.mark.parametrize(("case", "data", "expected"), BROKEN_TEXT, ids=[c[0] for c in BROKEN_TEXT])
def test_a_file_that_is_no_session_is_refused(tmp_path: Path, case: str, data: bytes, expected: str) -> None:
    path = tmp_path / NAME
    path.write_bytes(data)
    assert refused(path).startswith(f"{NAME}: {expected}")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_file_says_it_ends_too_early(saved: Path, keep: float) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data[: int(len(data) * keep)])
    message = refused(saved)
    assert "invalid JSON" in message
    assert message.endswith("(the file ends too early: truncated?)")


def test_a_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / NAME) == f"{NAME}: cannot open: no such file"


def test_a_folder(tmp_path: Path) -> None:
    (tmp_path / NAME).mkdir()
    assert refused(tmp_path / NAME) == f"{NAME}: is a folder, not a session file"


def test_a_path_inside_a_file(saved: Path) -> None:
    assert refused(saved / "inner.attn.json") == "inner.attn.json: cannot open: Not a directory"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / NAME)
    assert refused(tmp_path / NAME) == f"{NAME}: not a regular file, so not a session file"


def test_a_500_mb_file_is_refused_by_its_size_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / NAME
    with open(path, "wb") as file:
        file.truncate(500 * 2**20)  # sparse: no disk used
    opened: list[object] = []
    monkeypatch.setattr("builtins.open", lambda *args, **kwargs: opened.append(args))
    start = time.perf_counter()
    message = refused(path)
    assert time.perf_counter() - start < 0.5
    assert opened == []  # refused by its size, never opened
    assert message == f"{NAME}: the file is too large (500 MB); a session file is at most 128 MB"
    assert MAX_SESSION_BYTES == 128 * 2**20


def test_a_file_just_over_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("explainer.session.files.MAX_SESSION_BYTES", 1000)
    path = tmp_path / NAME
    path.write_bytes(b" " * 1001)
    assert refused(path) == f"{NAME}: the file is too large (0.0 MB); a session file is at most 0.0 MB"


def test_long_values_are_cut_short(saved: Path) -> None:
    doc = document_of(saved)
    doc["format"] = "x" * 100_000
    doc["view"]["theme"] = "y" * 100_000
    saved.write_text(json.dumps(doc), encoding="utf-8")
    message = refused(saved)
    assert len(message) < 150
    assert message.endswith("…")


def test_nothing_but_session_error_for_a_surprising_value_anywhere(saved: Path) -> None:
    doc = document_of(saved)
    deep: Any = 1.0
    for _ in range(900):
        deep = [deep]
    for field in ("seed", "source", "source.kind", "source.name", "causal"):
        broken = copy.deepcopy(doc)
        set_at(broken, field, deep)
        saved.write_text(json.dumps(broken), encoding="utf-8")
        assert f"field {field}: expected" in refused(saved)


def test_a_file_of_empty_lists_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 15, defect 5: 127 MB of `[],[],…` (under the size cap) took 3.35 GB and 33 s before it
    # was refused; 30 MB of them here (1.4 s at 127 MB, mostly counting the bytes).
    path = tmp_path / NAME
    lists = 10_000_000
    path.write_bytes(b'{"format": "attention-explainer-session", "params": [' + b"[]," * lists + b"[]]}")
    parsed: list[object] = []
    monkeypatch.setattr("json.loads", lambda *args, **kwargs: parsed.append(args))
    start = time.perf_counter()
    message = refused(path)
    assert time.perf_counter() - start < 3
    assert parsed == []  # refused by counting, never built
    assert message == (
        f"{NAME}: not a session file: it holds {lists + 3:,} lists and objects; "
        f"a session holds at most {MAX_CONTAINERS:,}"
    )


@pytest.mark.parametrize(
    ("item", "count", "expected"),
    [
        (b"0", MAX_VALUES + 1, "values"),
        (b'"ab"', MAX_STRINGS, "strings"),
        (b"{}", MAX_CONTAINERS, "lists and objects"),
    ],
)
def test_other_small_items_by_the_million_are_refused_before_they_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, item: bytes, count: int, expected: str
) -> None:
    path = tmp_path / NAME
    path.write_bytes(
        b'{"format": "attention-explainer-session", "params": [' + (item + b",") * count + item + b"]}"
    )
    monkeypatch.setattr("json.loads", lambda *args, **kwargs: pytest.fail("parsed"))
    message = refused(path)
    assert message.startswith(f"{NAME}: not a session file: it holds ") and f" {expected}; " in message


def test_the_largest_session_the_model_allows_is_within_the_counts() -> None:
    shapes = limits.param_shapes(
        limits.MAX_TOKENS,
        limits.MAX_TOKENS,
        limits.MAX_D_MODEL,
        limits.MAX_D_K,
        limits.MAX_D_K,
        limits.MAX_HEADS,
    )
    lists = sum(
        math.prod(shape[:-1]) + sum(math.prod(shape[:k]) for k in range(len(shape) - 1))
        for shape in shapes.values()
    )
    numbers = sum(math.prod(shape) for shape in shapes.values())
    assert lists + 10 < MAX_CONTAINERS
    assert numbers + lists + 2 * limits.MAX_TOKENS < MAX_VALUES
