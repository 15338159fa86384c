"""Outlines of lit cells: where they run (found once per content) and how they are drawn.

A lit region is outlined as a whole, not cell by cell, so a lit row reads as one row.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen


class Grid:
    """Cell rectangles in device pixels, made on demand (a big matrix has thousands)."""

    def __init__(self, x0: float, y0: float, width: float, height: float):
        self.x0, self.y0, self.width, self.height = x0, y0, width, height

    def key(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.width, self.height)

    def rect(self, r: int, c: int) -> QRectF:
        return QRectF(self.x0 + c * self.width, self.y0 + r * self.height, self.width, self.height)


class CellEdges:
    """A few lit cells (at most 64), each with which of its sides border unlit cells."""

    def __init__(self, cells: list[tuple[int, int, bool, bool, bool, bool]]):
        self.cells = cells


class RunEdges:
    """The outline as runs: (row, c0, c1) for top and bottom edges, (col, r0, r1) for left and right."""

    def __init__(self, top: Runs, bottom: Runs, left: Runs, right: Runs):
        self.top, self.bottom, self.left, self.right = top, bottom, left, right


Runs = list[tuple[int, int, int]]


def find_edges(lit: np.ndarray) -> CellEdges | RunEdges | None:
    """Where the outline of ``lit`` runs; None when nothing is lit.

    A few cells: plain edge checks per cell. More: edges found with numpy and
    merged into runs, so a lit 384 × 32 matrix costs a few dozen lines, not a
    loop over its cells.
    """
    count = int(np.count_nonzero(lit))
    if count == 0:
        return None
    rows, cols = lit.shape
    if count <= 64:
        cells = []
        for r, c in np.argwhere(lit).tolist():
            cells.append(
                (
                    r,
                    c,
                    bool(r == 0 or not lit[r - 1, c]),
                    bool(r == rows - 1 or not lit[r + 1, c]),
                    bool(c == 0 or not lit[r, c - 1]),
                    bool(c == cols - 1 or not lit[r, c + 1]),
                )
            )
        return CellEdges(cells)
    padded = np.pad(lit, 1)
    inner = padded[1:-1, 1:-1]
    top, bottom = inner & ~padded[:-2, 1:-1], inner & ~padded[2:, 1:-1]
    left, right = inner & ~padded[1:-1, :-2], inner & ~padded[1:-1, 2:]

    def by_row(edges: np.ndarray) -> Runs:
        return [
            (row, c0, c1) for row in np.flatnonzero(edges.any(axis=1)).tolist() for c0, c1 in runs(edges[row])
        ]

    def by_col(edges: np.ndarray) -> Runs:
        return [
            (col, r0, r1)
            for col in np.flatnonzero(edges.any(axis=0)).tolist()
            for r0, r1 in runs(edges[:, col])
        ]

    return RunEdges(by_row(top), by_row(bottom), by_col(left), by_col(right))


_EDGES: dict[tuple[tuple[int, ...], bytes], CellEdges | RunEdges | None] = {}
EDGES_KEPT = 32


def edges_of(lit: np.ndarray) -> CellEdges | RunEdges | None:
    """``find_edges`` of ``lit``, kept by content: after an edit the same row is lit in a new array."""
    key = (lit.shape, np.packbits(lit).tobytes())
    if key not in _EDGES:
        if len(_EDGES) >= EDGES_KEPT:
            del _EDGES[next(iter(_EDGES))]
        _EDGES[key] = find_edges(lit)
    return _EDGES[key]


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True as (start, stop) pairs: [F, T, T, F, T] -> [(1, 3), (4, 5)]."""
    steps = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(steps == 1).tolist(), np.flatnonzero(steps == -1).tolist(), strict=True))


def draw_outline(
    painter: QPainter,
    rects: Grid,
    edges: CellEdges | RunEdges,
    color: QColor,
    width: float,
    dashed: bool = False,
) -> None:
    """Draw ``edges`` inside the cells of ``rects``: a lit 384 × 32 matrix costs a few dozen lines.

    ``dashed``: the pointer's linked highlight, told apart from the step's solid one.
    """
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.SquareCap)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawLines(outline_lines(rects, edges, width / 2))


_LINES: dict[tuple[int, tuple[float, ...], float], tuple[CellEdges | RunEdges, list[QLineF]]] = {}
LINES_KEPT = 64


def outline_lines(rects: Grid, edges: CellEdges | RunEdges, inset: float) -> list[QLineF]:
    """The outline's lines in device pixels, kept while the edges and the geometry stay.

    One ``drawLines`` of a kept list: a playback frame drew ~1,000 lines one call at a time.
    """
    key = (id(edges), rects.key(), inset)
    hit = _LINES.get(key)
    if hit is None:
        if len(_LINES) >= LINES_KEPT:
            del _LINES[next(iter(_LINES))]
        # The entry keeps ``edges`` alive: its id stays its own.
        hit = _LINES[key] = (edges, _lines(rects, edges, inset))
    return hit[1]


def _lines(rects: Grid, edges: CellEdges | RunEdges, inset: float) -> list[QLineF]:
    x0, y0, cw, ch = rects.x0, rects.y0, rects.width, rects.height
    lines: list[QLineF] = []
    if isinstance(edges, CellEdges):  # a few cells: each cell's own outer edges
        for r, c, top, bottom, left, right in edges.cells:
            rect = rects.rect(r, c).adjusted(inset, inset, -inset, -inset)
            if top:
                lines.append(QLineF(rect.topLeft(), rect.topRight()))
            if bottom:
                lines.append(QLineF(rect.bottomLeft(), rect.bottomRight()))
            if left:
                lines.append(QLineF(rect.topLeft(), rect.bottomLeft()))
            if right:
                lines.append(QLineF(rect.topRight(), rect.bottomRight()))
        return lines
    for runs, y_shift in ((edges.top, inset), (edges.bottom, ch - inset)):
        for row, c0, c1 in runs:
            y = y0 + row * ch + y_shift
            lines.append(QLineF(x0 + c0 * cw + inset, y, x0 + c1 * cw - inset, y))
    for runs, x_shift in ((edges.left, inset), (edges.right, cw - inset)):
        for col, r0, r1 in runs:
            x = x0 + col * cw + x_shift
            lines.append(QLineF(x, y0 + r0 * ch + inset, x, y0 + r1 * ch - inset))
    return lines
