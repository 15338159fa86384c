"""Readable at 720p and 1080p: tokens large enough, never overlapping, inside the view; themes; captions."""

from __future__ import annotations

import itertools

import pytest
from head_view_helpers import colour_at, distance, many_heads, painted_now
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor

from explainer.model import AttentionModel
from explainer.qt.head_view import HeadView

SIZES = ((1280, 720), (1920, 1080))


def text_problems(view: HeadView, least_px: int) -> list[str]:
    bounds = QRectF(0, 0, view.width(), view.height())
    texts = [*view.tokens, *view.numbers]
    problems = [f"{t.text!r} at {t.px} px" for t in texts if t.px < least_px]
    problems += [f"{t.text!r} outside the view" for t in texts if not bounds.contains(t.rect)]
    for a, b in itertools.combinations(texts, 2):
        if a.rect.intersects(b.rect):
            problems.append(f"{a.text!r} ({a.side} {a.index}) overlaps {b.text!r} ({b.side} {b.index})")
    return problems


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("n_q", "n_k"), [(24, None), (24, 24), (20, 12), (6, 24)])
def test_tokens_never_overlap_nor_shrink_below_10_px(make_view, size, n_q, n_k):
    view = make_view(many_heads(12, n_q, n_k), size)
    view.set_heads(range(12))
    painted_now(view)
    assert len(view.tokens) == n_q + (n_k or n_q)
    assert text_problems(view, 10) == []
    assert not any(t.text.endswith("…") for t in view.tokens), "a short word was cut"
    view.set_heads([4])  # one head: the hovered token's α is written beside the tokens it reaches
    view.hover_token("query", n_q - 1)
    painted_now(view)
    assert len(view.numbers) == (n_k or n_q)
    assert text_problems(view, 10) == []
    view.hover_token("key", 0)
    painted_now(view)
    assert len(view.numbers) == n_q
    assert text_problems(view, 10) == []


def test_one_head_writes_the_alpha_of_each_line(make_view):
    model = AttentionModel.from_preset("seed-causal")
    view = make_view(model)
    view.set_heads([1])
    view.pin_token("query", 2)
    painted_now(view)
    row = model.trace.weights[1, 2]
    assert [(n.side, n.index, n.text) for n in view.numbers] == [
        ("key", j, f"{row[j]:.2f}") for j in range(3)
    ], "the keys it reaches, not the masked ones"
    keys = {t.index: t.rect for t in view.tokens if t.side == "key"}
    assert all(n.rect.left() > keys[n.index].right() for n in view.numbers), (
        "beside the word, outside the lines"
    )
    view.set_heads([0, 1])
    painted_now(view)
    assert view.numbers == [], "several heads: the lines alone"


@pytest.mark.parametrize("size", SIZES)
def test_a_short_sentence_reads_at_14_px_or_more(make_view, size):
    view = make_view(AttentionModel.from_preset("seed-translate"), size)
    assert text_problems(view, 14 if size[1] == 720 else 21) == []


def test_a_real_size_layer_keeps_the_tokens_large_at_1080p(make_view):
    view = make_view(many_heads(12, 20, 18), (1920, 1080))
    assert min(t.px for t in view.tokens) >= 14


@pytest.mark.parametrize(("first", "second"), [("light", "dark"), ("dark", "light")])
def test_a_theme_switch_restyles_the_view(make_view, first, second):
    from explainer.qt.style import THEME_STYLES

    view = make_view(AttentionModel.from_preset("seed-translate"), theme=first)
    corner = QPointF(4, view.height() - 4)
    assert distance(colour_at(view, corner), QColor(THEME_STYLES[first].background)) <= 3
    view.appearance.set_theme(second)
    painted_now(view)
    assert distance(colour_at(view, corner), QColor(THEME_STYLES[second].background)) <= 3


def test_the_page_says_what_is_shown_and_follows_the_model(make_page):
    model = AttentionModel.from_preset("seed-translate")
    page = make_page(model)
    text = page.caption.text()
    assert text.startswith("Cross-attention: I hate this movie → kono eiga ga kirai · head 1")
    assert "hover a word" in text
    page.view.pin_token("query", 1)
    assert "where “hate” looks" in page.caption.text()
    assert "Esc" in page.caption.text()
    model.set_tokens(["I", "love", "it"], ["daisuki"])
    assert page.view.trace is model.trace
    assert page.caption.text().startswith("Cross-attention: I love it → daisuki")
    painted_now(page)
    assert [t.text for t in page.view.tokens if t.side == "key"] == ["daisuki"]
    page.set_source("Layer 6")
    assert page.caption.text().startswith("Layer 6 · Cross-attention")


def test_the_page_caption_names_the_heads(make_page):
    model = many_heads(12, 8)
    page = make_page(model)
    page.view.set_heads([2, 8])
    assert "heads 3, 9" in page.caption.text()
    page.view.set_heads(range(12))
    assert "all 12 heads" in page.caption.text()


def test_the_page_caption_follows_the_theme(make_page):
    page = make_page(AttentionModel.from_preset("seed-causal"), theme="light")
    assert "Causal self-attention" in page.caption.text()
    page.appearance.set_theme("dark")
    painted_now(page)
    label = page.caption
    text_colour = label.palette().color(label.foregroundRole())
    assert text_colour == QColor(page.appearance.theme.text)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("word", ["word", "영화"])  # Hangul: the CJK fallback's lines are taller
def test_a_sentence_at_the_limit_is_squeezed_never_cut(make_view, size, word):
    """64 words do not fit a 720p column at 10 px: every word is still written, inside the view."""
    words = [f"{word}{k}" for k in range(64)]  # the model's limit
    view = make_view(AttentionModel(words, d_model=32, d_k=4, n_heads=8), size)
    view.set_heads([2])
    view.hover_token("query", 63)  # one head: the α of each line written beside each key
    painted_now(view)
    assert len(view.tokens) == 128 and len(view.numbers) == 64
    assert text_problems(view, 6) == []
    rows = view.layout_now().queries
    assert rows[-1].bottom() <= view.height(), "the last word's row runs off the bottom"


def test_a_window_too_short_for_every_word_says_so_at_its_foot(make_view):
    words = [f"word{k}" for k in range(64)]
    view = make_view(AttentionModel(words, d_model=32, d_k=4, n_heads=8), (640, 360))
    text, foot_band = view.notice
    hidden = sum(1 for t in view.tokens if t.rect.bottom() > foot_band.top())  # cut, or under the notice
    assert text == f"{hidden} words run off the bottom: make the window taller" and hidden > 40
    foot = view.grab().toImage()
    ink = [foot.pixelColor(x, round(foot_band.center().y())) for x in range(0, view.width(), 2)]
    background = QColor(view.appearance.theme.background)
    assert any(distance(colour, background) > 200 for colour in ink), "the notice is written"
    view.resize(1280, 720)  # every word fits, squeezed: no notice
    painted_now(view)
    assert view.notice[0] == ""
