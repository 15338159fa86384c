"""Shared strategies and checks for the session tests: random documents, bit-exact comparison."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import strategies as st

from explainer.model import AttentionModel, Document, PresetSource, PretrainedSource, Source
from explainer.model.limits import PARAM_NAMES
from explainer.session import PANEL_NAMES, SessionError, ViewSettings, load_session
from explainer.session.errors import MAX_MESSAGE

# Any float64 a model accepts: tiny, subnormal, huge within the limit, -0.0.
VALUES = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=True, width=64)
SPECIAL = (0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 0.1 + 0.2, 1 / 3, 1e6, -1e6, 1e-300)
# Any text a token may hold: no lone surrogates, control characters or noncharacters (the model's rule).
TOKEN_CHARACTERS = st.characters(exclude_categories=("Cs", "Cc")).filter(
    lambda char: not (0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE)
)
TOKENS = st.text(TOKEN_CHARACTERS, min_size=1, max_size=12).map(str.strip).filter(bool)
# Any text UTF-8 can write (no lone surrogates), spaces and control characters included.
TEXT = st.characters(exclude_categories=("Cs",))


@st.composite
def pretrained_sources(draw: st.DrawFn) -> PretrainedSource:
    """A random checkpoint layer: any names and text, any layer below any number of layers."""
    n_layers = draw(st.integers(1, 48) | st.integers(1, 2**70))
    return PretrainedSource(
        checkpoint=draw(st.text(TEXT, min_size=1, max_size=20) | st.just("x" * 200)),
        folder=draw(st.text(TEXT, min_size=1, max_size=40) | st.just("f" * 10_000)),
        is_default=draw(st.booleans()),
        layer=draw(st.integers(0, n_layers - 1)),
        n_layers=n_layers,
        text=draw(st.text(TEXT, min_size=1, max_size=60) | st.just("é" * 10_000)),
    )


# Where a document's numbers came from: none, a preset by name, or a checkpoint's layer.
SOURCES: st.SearchStrategy[Source] = (
    st.none()
    | st.builds(PresetSource, st.text(TEXT, min_size=1, max_size=20) | st.just("p" * 200))
    | pretrained_sources()
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A random document: shape, mode, tokens, seed, source and every value drawn."""
    mode = draw(st.sampled_from(("self", "cross", "causal")))
    n_q = draw(st.integers(1, 5))
    queries = draw(st.lists(TOKENS, min_size=n_q, max_size=n_q))
    keys = draw(st.lists(TOKENS, min_size=1, max_size=5)) if mode == "cross" else None
    model = AttentionModel(
        queries,
        keys,
        d_model=draw(st.integers(1, 6)),
        d_k=draw(st.integers(1, 4)),
        d_v=draw(st.integers(1, 4)),
        n_heads=draw(st.integers(1, 3)),
        causal=mode == "causal",
        scale=draw(st.booleans()),
        seed=draw(st.integers(0, 2**70)),
    )
    elements = VALUES | st.sampled_from(SPECIAL)
    with model.batch():
        for name in PARAM_NAMES:
            if name == "x_kv" and model.self_attention:
                continue
            model.set_param(name, draw(hnp.arrays(np.float64, model.params[name].shape, elements=elements)))
    return Document(model, draw(SOURCES))


def views_for(model: AttentionModel) -> st.SearchStrategy[ViewSettings]:
    """Random view settings that fit ``model``."""
    return st.builds(
        ViewSettings,
        step=st.integers(0, 10_000),
        detail=st.sampled_from(("full", "first-query", "rows", "matrix")),
        head=st.integers(0, model.n_heads - 1),
        theme=st.sampled_from(("light", "dark")),
        layout=st.lists(st.sampled_from(PANEL_NAMES), min_size=1, max_size=6, unique=True).map(tuple),
        font_scale=st.floats(0.6, 3.0),
        focus_query=st.none() | st.integers(0, len(model.query_tokens) - 1),
        focus_key=st.none() | st.integers(0, len(model.key_tokens) - 1),
    )


def assert_same_bits(loaded: Document, original: Document | AttentionModel) -> None:
    """Tokens, options, sizes, seed, source and every parameter identical, bit for bit.

    A bare model is what ``save_session`` writes with no source, so it must load with none.
    """
    assert isinstance(loaded, Document)
    if isinstance(original, AttentionModel):
        original = Document(original)
    assert loaded.source == original.source
    a, b = loaded.model.state, original.model.state
    assert (a.query_tokens, a.key_tokens, a.causal, a.scale) == (
        b.query_tokens,
        b.key_tokens,
        b.causal,
        b.scale,
    )
    assert loaded.model.seed == original.model.seed == a.seed == b.seed
    for name in PARAM_NAMES:
        assert a.params[name].dtype == np.float64
        assert a.params[name].shape == b.params[name].shape, name
        assert a.params[name].tobytes() == b.params[name].tobytes(), name
    if loaded.model.self_attention:
        assert a.params["x_kv"] is a.params["x_q"]


def load_or_refuse(path: Path) -> Document | None:
    """Load ``path``: a usable document, or a SessionError naming the file; anything else fails the test."""
    try:
        document, view = load_session(path)
    except SessionError as error:
        message = str(error)
        assert message.startswith(f"{path.name}: "), message
        assert len(message) <= MAX_MESSAGE, message
        assert message.isprintable(), message  # one clean line for a message box or a terminal
        return None
    assert isinstance(view, ViewSettings)
    assert isinstance(document, Document)
    assert document.source is None or isinstance(document.source, (PresetSource, PretrainedSource))
    assert isinstance(document.label, str) and document.label  # a title can always be made
    model = document.model
    assert model.trace.output.shape == model.params["x_q"].shape  # the model computes
    assert 0 <= view.head < model.n_heads
    return document


def document_of(path: Path) -> dict:
    """The decoded JSON of a saved session."""
    return json.loads(path.read_text(encoding="utf-8"))


def as_version_1(doc: dict) -> dict:
    """A version 2 session document as version 1 wrote it: ``"preset"`` (a name or null) for ``"source"``."""
    source = doc["source"]
    preset = source["name"] if isinstance(source, dict) and source.get("kind") == "preset" else None
    old = {}
    for key, value in doc.items():  # in the same order, "preset" where "source" is
        if key == "source":
            old["preset"] = preset
        else:
            old[key] = value
    old["version"] = 1
    return old


NAME = "lecture.attn.json"


def refused(path: Path) -> str:
    """The message of the SessionError that loading ``path`` must raise (one line, file first)."""
    with pytest.raises(SessionError) as caught:
        load_session(path)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: "), message
    assert len(message) <= MAX_MESSAGE
    assert message.isprintable()
    return message


def set_at(doc: dict, dotted: str, value: Any) -> None:
    """Set ``doc["a"]["b"] = value`` for ``dotted="a.b"``."""
    *parents, last = dotted.split(".")
    for part in parents:
        doc = doc[part]
    doc[last] = value


def breaks(doc: dict, edit: Callable[[dict], None], path: Path) -> str:
    """Apply ``edit`` to a decoded session, write it to ``path`` and return the refusal message."""
    edit(doc)
    path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
    return refused(path)
