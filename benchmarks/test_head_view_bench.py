"""Head view benchmarks at 1920×1080 (issues 15 and 16; measured, not asserted).

Run with ``python -m pytest benchmarks/test_head_view_bench.py --benchmark-only -s``: each
prints its median and 95th percentile. Target: hovering a token (only its lines drawn,
12 heads × 20 query × 20 key tokens, every head shown) repaints within one 60 Hz frame
(< 16 ms), measured cold (the token's lines drawn on the hover) and warm (drawn ahead
while the view rests, as it does on screen). Also measured: the same through a real mouse
move, one frame of the MP4 export, and edits with no token hovered (every line shown,
4,800): one head's W_Q (that head's lines drawn anew) and an embedding (every head's).
Issue 15 takes the edits and the cold hover to the model's limits: 16 heads × 64 × 64
tokens at d_model 1024, every head shown (65,536 lines).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from gui_helpers import record_p95
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from explainer.model import AttentionModel
from explainer.qt.app import application, dispose
from explainer.qt.focus import Focus
from explainer.qt.head_view import HeadView, HeadViewPage
from explainer.qt.style import Appearance

SIZE = (1920, 1080)
WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "the",
    "lazy",
    "dog",
    "while",
    "a",
    "small",
    "cat",
    "sleeps",
    "near",
    "the",
    "warm",
    "fire",
    "in",
    "an",
    "old",
    "house",
]


def twelve_heads() -> AttentionModel:
    """12 heads, 20 tokens: the size of a real BERT-base layer on a short sentence."""
    model = AttentionModel.from_preset("seed-self")
    model.set_dims(n_heads=12, d_model=96, d_k=8, seed=1)
    model.set_tokens(WORDS[:20])
    return model


def every_head_shown(model: AttentionModel) -> Iterator[HeadViewPage]:
    """A head view page of ``model`` at 1920×1080 with every head shown, disposed after."""
    application()
    page = HeadViewPage(model, Appearance(), Focus())
    page.resize(*SIZE)
    page.show()
    page.view.set_heads(range(model.trace.n_heads))
    QApplication.processEvents()
    yield page
    page.shutdown()
    dispose(page)


@pytest.fixture
def page() -> Iterator[HeadViewPage]:
    yield from every_head_shown(twelve_heads())


def tokens(view: HeadView) -> Iterator[tuple[str, int]]:
    """Every query token, then every key token, endlessly: each hover is a new one."""
    n_q, n_k = len(view.trace.query_tokens), len(view.trace.key_tokens)
    return itertools.cycle([*(("query", i) for i in range(n_q)), *(("key", j) for j in range(n_k))])


def hover_cold(benchmark, view: HeadView, rounds: int) -> None:
    """Hovers of one token after another, each token's lines drawn on its hover (none ahead)."""
    order = tokens(view)

    def hover() -> None:
        view.hover_token(*next(order))
        view.repaint()

    benchmark.pedantic(hover, setup=view.forget_drawn_lines, rounds=rounds, warmup_rounds=2)
    record_p95(benchmark)


def test_hover_a_token(benchmark, page):
    """hover_token → the token's 12 × 20 lines drawn and the view repainted, the caption updated."""
    hover_cold(benchmark, page.view, 120)
    assert len(page.view.lines) <= 12 * 20


def test_hover_a_token_drawn_ahead(benchmark, page):
    """The same once the view has rested a moment: every token's lines drawn ahead in idle time."""
    view, order = page.view, tokens(page.view)
    view.repaint()
    while not view.warm:
        QApplication.processEvents()

    def hover() -> None:
        view.hover_token(*next(order))
        view.repaint()

    benchmark(hover)
    record_p95(benchmark)
    assert view.warm


def test_hover_by_mouse_move(benchmark, page):
    """A real mouse move over the next token: hit test, focus linked, its lines drawn, repaint."""
    view, order = page.view, tokens(page.view)

    def move() -> None:
        side, index = next(order)
        point = QPointF(view.token_rect(side, index).center())
        event = QMouseEvent(
            QMouseEvent.Type.MouseMove,
            point,
            view.mapToGlobal(point),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(view, event)
        view.repaint()

    benchmark.pedantic(move, setup=view.forget_drawn_lines, rounds=120, warmup_rounds=2)
    record_p95(benchmark)
    assert page.focus.query is not None or page.focus.key is not None


# What an edit changes: W_Q of head 1 (its lines drawn anew), an embedding (every head's).
EDITS = {"one_head": ("w_q", (0, 0, 0)), "every_head": ("x_q", (0, 0))}


def edit_and_repaint(benchmark, page: HeadViewPage, edit: str) -> None:
    """Edits of the cell ``EDITS[edit]`` with no token hovered (every line shown), each repainted."""
    name, cell = EDITS[edit]
    values = itertools.cycle([0.5, -0.5])

    def edit_once() -> None:
        page.model.set_value(name, cell, next(values))
        page.view.repaint()

    benchmark.pedantic(edit_once, rounds=60, warmup_rounds=2)
    record_p95(benchmark)


@pytest.mark.parametrize("edit", list(EDITS))
def test_edit(benchmark, page, edit):
    """An edit with no token hovered: 12 heads × 400 lines shown."""
    edit_and_repaint(benchmark, page, edit)
    assert len(page.view.lines) > 12 * 300


@pytest.fixture
def largest_page() -> Iterator[HeadViewPage]:
    """The model's limits, every head shown: 16 heads × 64 × 64 tokens, d_model 1024."""
    words = [f"word{k}" for k in range(64)]
    yield from every_head_shown(AttentionModel(words, d_model=1024, d_k=64, n_heads=16))


@pytest.mark.parametrize("edit", list(EDITS))
def test_edit_at_the_limits(benchmark, largest_page, edit):
    """An edit with 65,536 lines shown (16 heads × 64 × 64)."""
    edit_and_repaint(benchmark, largest_page, edit)
    assert len(largest_page.view.lines) > 16 * 64 * 60


def test_hover_a_token_at_the_limits(benchmark, largest_page):
    """A hover at the limits, its lines not drawn ahead: 16 heads × 64 lines."""
    hover_cold(benchmark, largest_page.view, 60)
    assert len(largest_page.view.lines) == 16 * 64


def test_export_frame(benchmark, page):
    """One frame of the MP4 export: the page hovered and rendered into an image."""
    from explainer.qt.head_view.export import _grab

    view, order = page.view, tokens(page.view)

    def frame() -> None:
        view.hover_token(*next(order))
        _grab(page)

    benchmark(frame)
    record_p95(benchmark)
