"""The head view's lines: drawn fast on screen, one vector path each in an SVG.

Qt's raster engine strokes a wide antialiased line through its general path
filler: a 2 px line across a 1080p view cost ~0.4 ms on the reference machine,
so the 240 lines of one hovered token with 12 heads took ~100 ms. Its 1 px
(cosmetic) antialiased lines are ten times cheaper, so the lines are drawn
1 px wide into a layer at 1/``factor`` of the view's resolution and that layer
is scaled up smoothly: lines ``factor`` pixels wide, antialiased, for the cost
of short thin ones (see benchmarks/test_head_view_bench.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from explainer.model import Trace

from .colours import head_colour
from .layout import HeadViewLayout
from .painting import DrawnLine

__all__ = [
    "LayerCache",
    "LineBatch",
    "LineLayer",
    "draw_layer",
    "draw_line_paths",
    "line_batches",
    "line_layer",
]

Token = tuple[str, int] | None


@dataclass(frozen=True)
class LineBatch:
    """Lines of one colour and one alpha byte: ``ends`` are (y at the queries, y at the keys)."""

    colour: str
    alpha: int
    ends: Sequence[tuple[float, float]]

    def qcolor(self) -> QColor:
        colour = QColor(self.colour)
        colour.setAlpha(self.alpha)
        return colour


@dataclass(frozen=True)
class LineLayer:
    """The lines rasterised at low resolution, and where the image goes in the view."""

    image: QImage
    target: QRectF


def line_layer(shown: HeadViewLayout, batches: Sequence[LineBatch]) -> LineLayer:
    """The lines of ``batches`` drawn 1 px wide at 1/factor resolution (factor: the line width)."""
    factor = max(1, round(shown.line_width))
    left = math.floor(shown.line_left) - 2 * factor
    width = math.ceil(shown.line_right) + 2 * factor - left
    rows = [*shown.queries, *shown.keys]
    top = math.floor(min((r.top() for r in rows), default=0.0)) - 2 * factor
    bottom = math.ceil(max((r.bottom() for r in rows), default=0.0)) + 2 * factor
    size = (math.ceil(width / factor), math.ceil((bottom - top) / factor))
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    x0, x1 = (shown.line_left - left) / factor, (shown.line_right - left) / factor

    def snapped(y: float) -> float:
        """On a layer pixel's centre: a level line fills one row, not half of two (a blur when scaled)."""
        return math.floor((y - top) / factor) + 0.5

    for batch in batches:
        painter.setPen(QPen(batch.qcolor(), 0))  # width 0: cosmetic 1 px, Qt's fast antialiased line
        painter.drawLines([QLineF(x0, snapped(a), x1, snapped(b)) for a, b in batch.ends])
    painter.end()
    target = QRectF(left, top, image.width() * factor, image.height() * factor)
    return LineLayer(image, target)


def draw_layer(painter: QPainter, layer: LineLayer) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(layer.target, layer.image)
    painter.restore()


def draw_line_paths(painter: QPainter, shown: HeadViewLayout, batches: Sequence[LineBatch]) -> None:
    """Every line its own path at full width (an SVG: one ``<path>`` per line, sharp at any zoom)."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for batch in batches:
        pen = QPen(batch.qcolor(), shown.line_width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        for a, b in batch.ends:
            path = QPainterPath(QPointF(shown.line_left, a))
            path.lineTo(shown.line_right, b)
            painter.drawPath(path)


def _pairs(trace: Trace, token: Token) -> tuple[np.ndarray, np.ndarray]:
    """The (i, j) indices of the pairs drawn: all, or the token's row (a query) or column (a key)."""
    n_q, n_k = len(trace.query_tokens), len(trace.key_tokens)
    if token is None:
        i, j = np.meshgrid(np.arange(n_q), np.arange(n_k), indexing="ij")
        return i.ravel(), j.ravel()
    side, index = token
    if side == "query":
        return np.full(n_k, index), np.arange(n_k)
    return np.arange(n_q), np.full(n_q, index)


def line_batches(
    trace: Trace, heads: Sequence[int], token: Token, shown: HeadViewLayout
) -> tuple[list[DrawnLine], list[LineBatch]]:
    """One line per unmasked pair and head at alpha byte round(255 α) (none below one byte), as drawn.

    Returns the record of the lines and the same lines batched by colour and alpha.
    """
    rows_i, rows_j = _pairs(trace, token)
    mask = trace.mask[rows_i, rows_j]
    y_q = np.array([r.center().y() for r in shown.queries])
    y_k = np.array([r.center().y() for r in shown.keys])
    # Several heads fan out across the token's row, so each head's line keeps its own colour at the ends.
    row_h = shown.queries[0].height() if shown.queries else 0.0
    spread = min(shown.line_width * 1.5, 0.5 * row_h / max(1, len(heads) - 1)) if len(heads) > 1 else 0.0
    lines, batches = [], []
    for rank, head in enumerate(heads):
        colour = head_colour(head)
        offset = (rank - (len(heads) - 1) / 2) * spread
        levels = np.rint(np.clip(trace.weights[head][rows_i, rows_j], 0.0, 1.0) * 255).astype(int)
        drawn = np.flatnonzero(~mask & (levels > 0))
        lines += [DrawnLine(head, int(rows_i[k]), int(rows_j[k]), levels[k] / 255, colour) for k in drawn]
        for level in np.unique(levels[drawn]):  # lines of one opacity share a pen
            same = drawn[levels[drawn] == level]
            ends = [(float(y_q[rows_i[k]] + offset), float(y_k[rows_j[k]] + offset)) for k in same]
            batches.append(LineBatch(colour, int(level), ends))
    return lines, batches


class LayerCache:
    """Each token's lines drawn once for the current trace, heads and layout; all of them dropped on a change.

    A hover then only scales a ready image: :meth:`warm_one` draws the tokens not
    hovered yet, one per call, while the view is idle.
    """

    def __init__(self) -> None:
        self._base: tuple[Trace, tuple[int, ...], HeadViewLayout] | None = None
        self._made: dict[Token, tuple[list[DrawnLine], LineLayer]] = {}

    def get(
        self, trace: Trace, heads: Sequence[int], shown: HeadViewLayout, token: Token
    ) -> tuple[list[DrawnLine], LineLayer]:
        base = (trace, tuple(heads), shown)  # a Trace compares by identity: a new trace is a change
        if base != self._base:
            self._made = {}
            self._base = base
        made = self._made.get(token)
        if made is None:
            lines, batches = line_batches(trace, heads, token, shown)
            made = self._made[token] = (lines, line_layer(shown, batches))
        return made

    def _tokens(self) -> list[Token]:
        if self._base is None:
            return []
        trace = self._base[0]
        return [
            None,
            *(("query", i) for i in range(len(trace.query_tokens))),
            *(("key", j) for j in range(len(trace.key_tokens))),
        ]

    def clear(self) -> None:
        """Forget every token's lines (they are drawn again when needed)."""
        self._base, self._made = None, {}

    def complete(self) -> bool:
        return all(token in self._made for token in self._tokens())

    def warm_one(self) -> bool:
        """Draw the next token not drawn yet; True while more remain."""
        missing = [token for token in self._tokens() if token not in self._made]
        if missing and self._base is not None:
            self.get(*self._base, missing[0])
        return len(missing) > 1
