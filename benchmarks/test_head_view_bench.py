"""Head view benchmarks at 1920×1080 (issue 16; measured, not asserted).

Run with ``python -m pytest benchmarks/test_head_view_bench.py --benchmark-only -s``: each
prints its median and 95th percentile. Target: hovering a token (only its lines drawn,
12 heads × 20 query × 20 key tokens, every head shown) repaints within one 60 Hz frame
(< 16 ms), measured cold (the token's lines drawn on the hover) and warm (drawn ahead
while the view rests, as it does on screen). Also measured: the same through a real mouse
move, every line of every head after a weight edit (no token hovered: 4800 lines), and one
frame of the MP4 export.
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


@pytest.fixture
def page() -> Iterator[HeadViewPage]:
    application()
    page = HeadViewPage(twelve_heads(), Appearance(), Focus())
    page.resize(*SIZE)
    page.show()
    page.view.set_heads(range(12))
    QApplication.processEvents()
    yield page
    page.shutdown()
    dispose(page)


def tokens(view: HeadView) -> Iterator[tuple[str, int]]:
    """Every query token, then every key token, endlessly: each hover is a new one."""
    n_q, n_k = len(view.trace.query_tokens), len(view.trace.key_tokens)
    return itertools.cycle([*(("query", i) for i in range(n_q)), *(("key", j) for j in range(n_k))])


def test_hover_a_token(benchmark, page):
    """hover_token → the token's 12 × 20 lines drawn and the view repainted, the caption updated."""
    view, order = page.view, tokens(page.view)

    def hover() -> None:
        view.hover_token(*next(order))
        view.repaint()

    benchmark.pedantic(hover, setup=view.forget_drawn_lines, rounds=120, warmup_rounds=2)
    record_p95(benchmark)
    assert len(view.lines) <= 12 * 20


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


def test_edit_repaints_every_line(benchmark, page):
    """A weight edit with no token hovered: 12 heads × 400 lines drawn anew."""
    values = itertools.cycle([0.5, -0.5])

    def edit() -> None:
        page.model.set_value("w_q", (0, 0, 0), next(values))
        page.view.repaint()

    benchmark(edit)
    record_p95(benchmark)
    assert len(page.view.lines) > 12 * 300


def test_export_frame(benchmark, page):
    """One frame of the MP4 export: the page hovered and rendered into an image."""
    from explainer.qt.head_view.export import _grab

    view, order = page.view, tokens(page.view)

    def frame() -> None:
        view.hover_token(*next(order))
        _grab(page)

    benchmark(frame)
    record_p95(benchmark)
