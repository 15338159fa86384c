"""Systematic: every field of a session, dropped or given each awkward value, loads or is refused.

Complements the random fuzzing: every location is certain to meet every value once, the
fields of each kind of ``"source"`` and a version 1 file's ``"preset"`` included.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from session_helpers import as_version_1, load_or_refuse

from explainer.model import AttentionModel, Document, PretrainedSource
from explainer.session import ViewSettings, save_session

DEEP: Any = 0.5
for _ in range(400):
    DEEP = [DEEP]

AWKWARD = [
    None, True, False, 0, 1, -1, 3, 2**31, 2**63, 10**400, -(10**400), 1e308, 5e-324, -0.0, 0.5,
    float("nan"), float("inf"), float("-inf"), "", " ", "x", "0", "light", "\ud800", "é" * 50,
    [], [1], ["scores"], [[1.0]], {}, {"a": 1}, DEEP,
]  # fmt: skip


def locations(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key of every object and the first two items of every list, at any depth."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += [(*prefix, key), *locations(item, (*prefix, key))]
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            found += [(*prefix, index), *locations(item, (*prefix, index))]
    return found


def pretrained_label() -> Document:
    source = PretrainedSource("tiny-bert", "models/tiny-bert", False, 1, 3, "the cat sat")
    return Document(AttentionModel.from_preset("seed-causal"), source)


# (name, the document to save, whether to rewrite it as a version 1 file, a field it must walk)
CASES = [
    ("seed-causal", lambda: Document.from_preset("seed-causal"), False, ("source", "name")),
    ("seed-translate", lambda: Document.from_preset("seed-translate"), False, ("source", "kind")),
    ("pretrained source", pretrained_label, False, ("source", "n_layers")),
    ("version 1", lambda: Document.from_preset("seed-translate"), True, ("preset",)),
]


@pytest.mark.parametrize(("case", "make", "version_1", "walked"), CASES, ids=[c[0] for c in CASES])
def test_every_location_meets_every_awkward_value(
    tmp_path: Path, case: str, make: Any, version_1: bool, walked: tuple
) -> None:
    path = tmp_path / "every.attn.json"
    save_session(path, make(), ViewSettings(focus_query=1, focus_key=0))
    text = path.read_text(encoding="utf-8")
    if version_1:
        text = json.dumps(as_version_1(json.loads(text)))
        path.write_text(text, encoding="utf-8")
    assert load_or_refuse(path) is not None  # the unbroken file loads
    spots = locations(json.loads(text))
    assert walked in spots
    cases = 0
    for where in spots:
        for value in [*AWKWARD, "drop"]:
            doc = json.loads(text)
            parent = doc
            for key in where[:-1]:
                parent = parent[key]
            if value == "drop":
                del parent[where[-1]]
            else:
                parent[where[-1]] = value
            path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
            load_or_refuse(path)
            cases += 1
    assert len(spots) > 60
    assert cases == len(spots) * (len(AWKWARD) + 1)
