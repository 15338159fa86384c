"""Shared strategies and checks for the session tests: random models, bit-exact comparison."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import strategies as st

from explainer.model import AttentionModel
from explainer.model.limits import PARAM_NAMES
from explainer.session import PANEL_NAMES, SessionError, ViewSettings, load_session
from explainer.session.errors import MAX_MESSAGE

# Any float64 a model accepts: tiny, subnormal, huge within the limit, -0.0.
VALUES = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=True, width=64)
SPECIAL = (0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 0.1 + 0.2, 1 / 3, 1e6, -1e6, 1e-300)
TOKENS = (
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12).map(str.strip).filter(bool)
)


@st.composite
def models(draw: st.DrawFn) -> AttentionModel:
    """A random model: shape, mode, tokens, seed, preset label and every value drawn."""
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
    model.preset_name = draw(st.none() | TOKENS)
    elements = VALUES | st.sampled_from(SPECIAL)
    with model.batch():
        for name in PARAM_NAMES:
            if name == "x_kv" and model.self_attention:
                continue
            model.set_param(name, draw(hnp.arrays(np.float64, model.params[name].shape, elements=elements)))
    return model


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


def assert_same_bits(loaded: AttentionModel, original: AttentionModel) -> None:
    """Tokens, options, sizes, seed, preset and every parameter identical, bit for bit."""
    a, b = loaded.state, original.state
    assert (a.query_tokens, a.key_tokens, a.causal, a.scale) == (
        b.query_tokens,
        b.key_tokens,
        b.causal,
        b.scale,
    )
    assert (loaded.seed, loaded.preset_name) == (original.seed, original.preset_name)
    for name in PARAM_NAMES:
        assert a.params[name].dtype == np.float64
        assert a.params[name].shape == b.params[name].shape, name
        assert a.params[name].tobytes() == b.params[name].tobytes(), name
    if loaded.self_attention:
        assert a.params["x_kv"] is a.params["x_q"]


def load_or_refuse(path: Path) -> AttentionModel | None:
    """Load ``path``: a usable model, or a SessionError naming the file; anything else fails the test."""
    try:
        model, view = load_session(path)
    except SessionError as error:
        message = str(error)
        assert message.startswith(f"{path.name}: "), message
        assert len(message) <= MAX_MESSAGE, message
        assert message.isprintable(), message  # one clean line for a message box or a terminal
        return None
    assert isinstance(view, ViewSettings)
    assert model.trace.output.shape == model.params["x_q"].shape  # the model computes
    assert 0 <= view.head < model.n_heads
    return model


def document_of(path: Path) -> dict:
    """The decoded JSON of a saved session."""
    return json.loads(path.read_text(encoding="utf-8"))


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
