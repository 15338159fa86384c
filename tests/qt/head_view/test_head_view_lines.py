"""The lines a person sees: one per pair and head, as opaque as α, none for a masked pair."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from head_view_helpers import colour_at, distance, drawn_pairs, many_heads, painted_now, visible
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from explainer.model import AttentionModel
from explainer.qt.head_view import head_colour


@pytest.mark.parametrize("mode", ["self", "cross", "causal"])
def test_every_line_is_as_opaque_as_its_alpha_in_every_head(make_view, mode):
    model = many_heads(12, 20, 18 if mode == "cross" else None, causal=mode == "causal")
    view = make_view(model, (1920, 1080))
    view.set_heads(range(12))
    painted_now(view)
    pairs = drawn_pairs(view)
    weights, mask = model.trace.weights, model.trace.mask
    expected = {
        (h, i, j)
        for h, i, j in np.ndindex(weights.shape)
        if not mask[i, j] and visible(float(weights[h, i, j]))
    }
    assert set(pairs) == expected
    for (h, i, j), alpha in pairs.items():
        assert abs(alpha - weights[h, i, j]) <= 0.5 / 255 + 1e-12
    assert {line.colour for line in view.lines if line.head == 5} == {head_colour(5)}


def test_a_masked_pair_has_no_line_at_all(make_view):
    model = AttentionModel.from_preset("seed-causal")
    view = make_view(model)
    view.set_heads([0, 1])
    painted_now(view)
    pairs = drawn_pairs(view)
    assert pairs, "the causal preset draws lines"
    assert all(j <= i for _, i, j in pairs), "a line to a key after its query"
    # Every query still reaches itself and the words before it, in both heads.
    n = len(model.query_tokens)
    assert {(i, j) for _, i, j in pairs} == {(i, j) for i in range(n) for j in range(i + 1)}
    view.hover_token("query", 0)
    painted_now(view)
    assert {(i, j) for _, i, j in drawn_pairs(view)} == {(0, 0)}
    faded = {token.index for token in view.tokens if token.side == "key"} - {0}
    assert faded, "the other keys are still written"


def test_cross_attention_shows_each_sentence_on_its_side(make_view):
    view = make_view(AttentionModel.from_preset("seed-translate"))
    queries = [t for t in view.tokens if t.side == "query"]
    keys = [t for t in view.tokens if t.side == "key"]
    assert " ".join(t.text for t in queries) == "I hate this movie"
    assert " ".join(t.text for t in keys) == "kono eiga ga kirai"
    assert max(t.rect.right() for t in queries) < min(t.rect.left() for t in keys)
    assert all(a.rect.bottom() <= b.rect.top() for a, b in itertools.pairwise(queries))


def line_point(view, i: int, j: int, share: float) -> QPointF:
    shown = view.layout_now()
    a, b = shown.queries[i].center().y(), shown.keys[j].center().y()
    x = shown.line_left + (shown.line_right - shown.line_left) * share
    return QPointF(x, a + (b - a) * share)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_strong_line_shows_stronger_than_a_weak_one(make_view, theme):
    model = AttentionModel.from_preset("seed-translate")
    view = make_view(model, theme=theme)
    hate = model.query_tokens.index("hate")
    view.hover_token("query", hate)
    row = model.trace.weights[0, hate]
    strong, weak = int(np.argmax(row)), int(np.argmin(row))
    assert row[strong] > 0.5 and row[weak] < 0.2, "the preset's pattern: hate looks at kirai"
    background = QColor(view.appearance.theme.background)
    strong_colour = colour_at(view, line_point(view, hate, strong, 0.8))
    weak_colour = colour_at(view, line_point(view, hate, weak, 0.8))
    assert distance(strong_colour, background) > 2 * distance(weak_colour, background)
    # The strong line is its head's colour laid over the background (the line is antialiased:
    # its centre pixel holds a share of the line's α, never more).
    head = np.array(QColor(head_colour(0)).getRgb()[:3], float)
    ground = np.array(background.getRgb()[:3], float)
    seen = np.array(strong_colour.getRgb()[:3], float)
    share = float(np.dot(seen - ground, head - ground) / np.dot(head - ground, head - ground))
    assert 0.3 < share <= row[strong] + 0.05
    assert np.abs(ground + share * (head - ground) - seen).max() <= 12
