"""The head view's lines: rasterised on screen, one vector path each in an SVG.

On screen the lines are drawn 1 px wide into a layer at 1/``factor`` of the
view's resolution, and that layer is scaled up smoothly: lines ``factor``
pixels wide, antialiased, for the cost of short thin ones. The layer's pixels
come from NumPy (raster.py: ten times Qt's speed for these lines), and each
head's share is kept while its α bytes stay: a W_V or W_O edit redraws no line,
a W_Q edit of one head only that head's (see benchmarks/test_head_view_bench.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from explainer.model import Trace

from .colours import head_colour
from .layout import HeadViewLayout
from .painting import DrawnLine
from .raster import LineSamples, painted, sample_lines

__all__ = [
    "HeadLines",
    "LayerCache",
    "LineBatch",
    "LineLayer",
    "alpha_bytes",
    "draw_layer",
    "draw_line_paths",
    "line_batches",
    "records",
]

Token = tuple[str, int] | None


def alpha_bytes(trace: Trace) -> np.ndarray:
    """Each pair's line opacity as drawn, (heads, queries, keys) bytes round(255 α); 0 (no line) if masked."""
    levels: np.ndarray = np.rint(np.clip(trace.weights, 0.0, 1.0) * 255).astype(np.uint8)
    levels[:, trace.mask] = 0
    return levels


@dataclass(frozen=True)
class HeadLines:
    """One head's lines: query ``i[k]`` to key ``j[k]`` at alpha byte ``levels[k]`` (none below one byte)."""

    head: int
    i: np.ndarray
    j: np.ndarray
    levels: np.ndarray


def pairs(n_q: int, n_k: int, token: Token) -> tuple[np.ndarray, np.ndarray]:
    """The (query, key) pairs whose lines ``token`` shows: every pair (queries major), its row or column."""
    if token is None:
        return np.divmod(np.arange(n_q * n_k), n_k)
    side, index = token
    if side == "query":
        return np.full(n_k, index), np.arange(n_k)
    return np.arange(n_q), np.full(n_q, index)


def head_lines(levels: np.ndarray, head: int, token: Token) -> HeadLines:
    """The lines of ``head`` drawn: every pair's, or only the token's row (a query) or column (a key)."""
    i, j = pairs(levels.shape[1], levels.shape[2], token)
    chosen = levels[head][i, j]
    drawn = chosen > 0
    return HeadLines(head, i[drawn], j[drawn], chosen[drawn])


def records(levels: np.ndarray, heads: Sequence[int], token: Token) -> list[DrawnLine]:
    """Every line drawn, one record each (what the tests read)."""
    drawn = []
    for head in heads:
        lines, colour = head_lines(levels, head, token), head_colour(head)
        drawn += [
            DrawnLine(head, int(i), int(j), int(level) / 255, colour)
            for i, j, level in zip(lines.i, lines.j, lines.levels, strict=True)
        ]
    return drawn


def _fan_offsets(shown: HeadViewLayout, heads: Sequence[int]) -> list[float]:
    """Several heads fan out across the token's row, so each head's line keeps its own colour at the ends."""
    if len(heads) < 2:
        return [0.0] * len(heads)
    row_h = shown.queries[0].height() if shown.queries else 0.0
    spread = min(shown.line_width * 1.5, 0.5 * row_h / (len(heads) - 1))
    return [(rank - (len(heads) - 1) / 2) * spread for rank in range(len(heads))]


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


def line_batches(
    levels: np.ndarray, heads: Sequence[int], token: Token, shown: HeadViewLayout
) -> list[LineBatch]:
    """The lines drawn, batched by colour and alpha byte (lines of one opacity share a pen)."""
    y_q = np.array([r.center().y() for r in shown.queries])
    y_k = np.array([r.center().y() for r in shown.keys])
    batches = []
    for head, offset in zip(heads, _fan_offsets(shown, heads), strict=True):
        lines = head_lines(levels, head, token)
        for level in np.unique(lines.levels):
            same = lines.levels == level
            ends = zip(y_q[lines.i[same]] + offset, y_k[lines.j[same]] + offset, strict=True)
            batches.append(LineBatch(head_colour(head), int(level), [(float(a), float(b)) for a, b in ends]))
    return batches


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


@dataclass(frozen=True)
class LineLayer:
    """The lines rasterised at low resolution, and where the image goes in the view."""

    image: QImage
    target: QRectF


class _Frame:
    """Where the layer lies in the view and where the lines fall on it, in layer pixels."""

    def __init__(self, shown: HeadViewLayout, heads: Sequence[int]):
        factor = max(1, round(shown.line_width))  # lines 1 layer pixel wide: ``factor`` px on screen
        left = math.floor(shown.line_left) - 2 * factor
        rows = [*shown.queries, *shown.keys]
        top = math.floor(min((r.top() for r in rows), default=0.0)) - 2 * factor
        bottom = math.ceil(max((r.bottom() for r in rows), default=0.0)) + 2 * factor
        width = math.ceil(shown.line_right) + 2 * factor - left
        self.shape = (math.ceil((bottom - top) / factor), math.ceil(width / factor))
        self.target = QRectF(left, top, self.shape[1] * factor, self.shape[0] * factor)
        self.x = ((shown.line_left - left) / factor, (shown.line_right - left) / factor)

        def snapped(y: np.ndarray) -> np.ndarray:
            """On a layer pixel's centre: a level line fills one row, not half of two (a blur when scaled)."""
            return np.floor((y - top) / factor) + 0.5

        self.y_q = snapped(np.array([r.center().y() for r in shown.queries]))
        self.y_k = snapped(np.array([r.center().y() for r in shown.keys]))
        ends = np.concatenate([self.y_q, self.y_k]) if rows else np.array([0.5])
        room = (int(ends.min()), self.shape[0] - 2 - int(ends.max()))  # rows free above and below
        # Each head's lines are the same lines moved by whole rows: one set of samples serves all.
        self.shifts = {
            head: int(np.clip(round(offset / factor), -room[0], room[1]))
            for head, offset in zip(heads, _fan_offsets(shown, heads), strict=True)
        }
        self._every: LineSamples | None = None

    def samples(self, token: Token) -> LineSamples:
        """Where the lines of ``token``'s :func:`pairs` fall, the same for every head (every pair's kept)."""
        if token is None and self._every is not None:
            return self._every
        i, j = pairs(len(self.y_q), len(self.y_k), token)
        made = sample_lines(self.y_q[i], self.y_k[j], *self.x, self.shape)
        if token is None:
            self._every = made
        return made

    def head_images(self, heads: Sequence[int], levels: np.ndarray, token: Token) -> list[QImage]:
        """Each head's lines of ``token`` in its colour on a clear layer; ``levels``: every pair's."""
        i, j = pairs(len(self.y_q), len(self.y_k), token)
        chosen = [levels[head][i, j] for head in heads]
        paints = [
            (bytes_, _rgb(head_colour(h)), self.shifts[h]) for h, bytes_ in zip(heads, chosen, strict=True)
        ]
        rows, cols = self.shape
        images = []
        for pixels in painted(self.samples(token), paints):
            image = QImage(pixels.data, cols, rows, cols * 4, QImage.Format.Format_ARGB32_Premultiplied)
            images.append(image.copy())  # a copy: the image outlives ``pixels``
        return images

    def layer(self, images: Sequence[QImage]) -> LineLayer:
        """The heads' images laid over one another in order (Qt's blend: a fraction of a ms each)."""
        if len(images) == 1:
            return LineLayer(images[0], self.target)
        rows, cols = self.shape
        layer = QImage(cols, rows, QImage.Format.Format_ARGB32_Premultiplied)
        layer.fill(Qt.GlobalColor.transparent)
        painter = QPainter(layer)
        for image in images:
            painter.drawImage(0, 0, image)
        painter.end()
        return LineLayer(layer, self.target)


def _rgb(colour: str) -> tuple[int, int, int]:
    qcolor = QColor(colour)
    return qcolor.red(), qcolor.green(), qcolor.blue()


def draw_layer(painter: QPainter, layer: LineLayer) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(layer.target, layer.image)
    painter.restore()


class LayerCache:
    """Each token's lines drawn once and kept while the heads, the layout and the α bytes drawn stay.

    Every line (no token shown) is kept head by head: an edit that changes one
    head's α redraws only that head's lines. A hover then only scales a ready
    image: :meth:`warm_one` draws the tokens not hovered yet, one per call,
    while the view is idle.
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget every token's lines (they are drawn again when needed)."""
        self._trace: Trace | None = None
        self._levels = np.zeros((0, 0, 0), np.uint8)
        self._geometry: tuple[tuple[int, ...], HeadViewLayout] | None = None
        self._frame: _Frame | None = None
        self._heads: dict[int, QImage] = {}  # every line of a head, on its own layer
        self._made: dict[Token, LineLayer] = {}

    def get(self, trace: Trace, heads: Sequence[int], shown: HeadViewLayout, token: Token) -> LineLayer:
        """The layer of ``token``'s lines (None: every line) of ``heads``, drawn now unless kept."""
        self._follow(trace, tuple(heads), shown)
        made = self._made.get(token)
        if made is None:
            made = self._made[token] = self._draw(token)
        return made

    @property
    def levels(self) -> np.ndarray:
        """The α bytes of the trace last drawn."""
        return self._levels

    def _follow(self, trace: Trace, heads: tuple[int, ...], shown: HeadViewLayout) -> None:
        """Drop what the new trace, heads or layout changed."""
        if (heads, shown) != self._geometry:
            self.clear()
            self._geometry, self._frame = (heads, shown), _Frame(shown, heads)
        if trace is self._trace:
            return
        levels = alpha_bytes(trace)
        same_shape = levels.shape == self._levels.shape
        changed = [h for h in heads if not same_shape or not np.array_equal(levels[h], self._levels[h])]
        if changed:
            self._made = {}
            for head in changed:
                self._heads.pop(head, None)
        self._trace, self._levels = trace, levels

    def _draw(self, token: Token) -> LineLayer:
        assert self._frame is not None and self._geometry is not None
        frame, heads = self._frame, self._geometry[0]
        if token is not None:
            return frame.layer(frame.head_images(heads, self._levels, token))
        missing = [head for head in heads if head not in self._heads]
        self._heads.update(zip(missing, frame.head_images(missing, self._levels, None), strict=True))
        return frame.layer([self._heads[head] for head in heads])

    def _tokens(self) -> list[Token]:
        if self._trace is None:
            return []
        trace = self._trace
        return [
            None,
            *(("query", i) for i in range(len(trace.query_tokens))),
            *(("key", j) for j in range(len(trace.key_tokens))),
        ]

    def complete(self) -> bool:
        return all(token in self._made for token in self._tokens())

    def warm_one(self) -> bool:
        """Draw the next token not drawn yet; True while more remain."""
        missing = [token for token in self._tokens() if token not in self._made]
        if missing:
            self._made[missing[0]] = self._draw(missing[0])
        return len(missing) > 1
