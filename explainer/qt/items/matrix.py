"""MatrixItem: a labelled grid of coloured cells with numbers, drawn in one paint call.

Cells are vector rectangles and numbers are text (so SVG export stays vector).
Item coordinates: cell (r, c) covers x in [c, c+1], y in [r, r+1]; the view is
y-inverted so row 0 is at the top. Text is drawn in device pixels, sized from
the on-screen cell size, so it stays crisp at any zoom.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import HoverEvent, MouseClickEvent
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsSceneWheelEvent

from ..style import Appearance
from .big import is_big, shaped
from .cell_text import (
    MIN_TEXT_PX,
    READABLE_PX,
    Painted,
    advance,
    draw_centred,
    format_number,
    number_room,
    step_line,
    widest_advance,
)
from .cells import argb_fills, filled, light_cells, same, shared_when_filled
from .matrix_labels import Labels, draw_labels
from .outline import CellEdges, Grid, RunEdges, draw_outline, edges_of

__all__ = ["Cell", "MatrixItem", "filled"]

Cell = tuple[int, int]
# A matrix is drawn as one image above this many cells, or when its cells are
# too small on screen for gaps and numbers; otherwise every cell is a rectangle.
VECTOR_CELLS = 4096
SMALL_CELL_PX = 12


class MatrixItem(pg.GraphicsObject):
    """A matrix of cells with optional row / column labels and a title."""

    def __init__(
        self,
        appearance: Appearance,
        *,
        on_hover: Callable[[Cell | None], None] | None = None,
        on_click: Callable[[Cell], None] | None = None,
        tooltip: Callable[[Cell], str] | None = None,
    ):
        super().__init__()
        self.appearance = appearance
        self._on_hover, self._on_click, self._tooltip = on_hover, on_click, tooltip
        self.values: np.ndarray = np.zeros((0, 0))
        self.colors: np.ndarray = np.zeros((0, 0, 4), dtype=np.uint8)
        self.opacity: np.ndarray = np.zeros((0, 0))
        self.step_lit: np.ndarray = np.zeros((0, 0), dtype=bool)
        self.focus_lit: np.ndarray = np.zeros((0, 0), dtype=bool)
        self.masked: np.ndarray = np.zeros((0, 0), dtype=bool)
        self.row_labels: Sequence[str] = ()
        self.col_labels: Sequence[str] = ()
        self.title = ""
        self.numbers = True
        self._texts: tuple[object, ...] = ((), (), "", True, (1.0, 1.0), None)
        self.printed: tuple[tuple[str, ...], ...] | None = None  # cell texts, when not the values
        self.squeeze = (1.0, 1.0)
        self._bounds: QRectF | None = None  # boundingRect, found again when the content changes
        self.version = 0
        self._fill_cache: tuple[tuple[int, str], np.ndarray] | None = None
        self.painted: list[Painted] = []  # what the last paint wrote, and the room it had
        self._draw_cache: dict[str, tuple[tuple[object, ...], list[Any]]] = {}  # see _cell_fills
        self._edge_cache: dict[tuple[int, int], tuple[np.ndarray, CellEdges | RunEdges | None]] = {}
        # A big matrix's magnifier (see inset.py): told where the pointer is, zoomed by Ctrl/Shift+wheel.
        self.on_pointer: Callable[[MatrixItem, Cell | None], None] | None = None
        self.on_wheel: Callable[[int], None] | None = None
        self.setAcceptHoverEvents(on_hover is not None or tooltip is not None)

    # ------------------------------------------------------------- content
    def set_content(
        self,
        values: np.ndarray,
        colors: np.ndarray,
        *,
        opacity: np.ndarray | None = None,
        step_lit: np.ndarray | None = None,
        focus_lit: np.ndarray | None = None,
        masked: np.ndarray | None = None,
        row_labels: Sequence[str] = (),
        col_labels: Sequence[str] = (),
        title: str = "",
        numbers: bool = True,
        max_units: float | None = None,
        texts: Sequence[Sequence[str]] | None = None,
    ) -> None:
        """Replace what is drawn; arrays are (rows, cols), colors (rows, cols, 4) uint8.

        Content equal to what is on screen schedules no repaint: during playback
        most matrices stand still while one panel animates.
        """
        shape = values.shape
        none = filled(shape, False)
        arrays = (
            values,
            colors,
            filled(shape, 1.0) if opacity is None else shared_when_filled(opacity, 1.0),
            none if step_lit is None else shared_when_filled(step_lit, False),
            none if focus_lit is None else shared_when_filled(focus_lit, False),
            none if masked is None else shared_when_filled(masked, False),
        )
        # A real model's 384-wide matrix is squeezed to ``max_units`` view units so the
        # product layout stays readable; its cells become thin, its labels keep their size.
        rows, cols = shape
        sx = min(1.0, max_units / cols) if max_units and cols else 1.0
        sy = min(1.0, max_units / rows) if max_units and rows else 1.0
        if (sx, sy) != self.squeeze:
            self.squeeze = (sx, sy)
            self.setTransform(QTransform.fromScale(sx, sy))
        printed = None if texts is None else tuple(tuple(row) for row in texts)
        title = shaped(title, shape) if title and is_big(shape, numbers) else title
        texts_now = (tuple(row_labels), tuple(col_labels), title, numbers, (sx, sy), printed)
        current = (self.values, self.colors, self.opacity, self.step_lit, self.focus_lit, self.masked)
        if texts_now == self._texts and all(same(a, b) for a, b in zip(arrays, current, strict=True)):
            # Equal: nothing to draw, but hold the caller's arrays (a new trace's), not an old trace's.
            self.values, self.colors = values, colors
            return
        if (
            shape != self.values.shape
            or [bool(t) for t in texts_now[:3]] != [bool(t) for t in self._texts[:3]]
            or texts_now[4] != self._texts[4]
        ):
            self.prepareGeometryChange()
        self.values, self.colors, self.opacity, self.step_lit, self.focus_lit, self.masked = arrays
        self.row_labels, self.col_labels, self.title, self.numbers = texts_now[:4]
        self.printed = printed
        self._texts = texts_now
        self._bounds = None
        self.version += 1  # offscreen export re-renders a panel only when a version moved
        self.update()

    def cell_at(self, point: QPointF) -> Cell | None:
        r, c = int(np.floor(point.y())), int(np.floor(point.x()))
        rows, cols = self.values.shape
        return (r, c) if 0 <= r < rows and 0 <= c < cols else None

    def cell_center(self, cell: Cell) -> QPointF:
        return QPointF(cell[1] + 0.5, cell[0] + 0.5)

    # ------------------------------------------------------------- geometry
    def boundingRect(self) -> QRectF:
        # Qt asks ~100 times a frame at the limits: kept, and a copy handed out.
        if self._bounds is None:
            self._bounds = self._bounding_rect()
        return QRectF(self._bounds)

    def _bounding_rect(self) -> QRectF:
        return self._labels().bounds()

    def _labels(self) -> Labels:
        """What is written around the grid, and the room it takes."""
        return Labels(
            self.row_labels, self.col_labels, self.title, self.values.shape, self.squeeze, self.big()
        )

    def big(self) -> bool:
        """Too many cells for numbers (a real model's X or W): shape in the title, an inset on hover."""
        return is_big(self.values.shape, self.numbers)

    # ------------------------------------------------------------- drawing
    def paint(self, painter: QPainter, *_: object) -> None:
        rows, cols = self.values.shape
        if rows == 0 or cols == 0:
            return
        theme = self.appearance.theme
        transform = painter.transform()
        unit = transform.mapRect(QRectF(0, 0, 1, 1))
        cell_w, cell_h = unit.width(), unit.height()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        fills = self._fills()  # one numpy pass; the loops below only draw
        origin = transform.map(QPointF(0, 0))
        x0, y0 = origin.x(), origin.y()
        rects = Grid(x0, y0, cell_w, cell_h)
        if rows * cols > VECTOR_CELLS or (cell_w < SMALL_CELL_PX and rows * cols > 256):
            # A real model's matrices (384 × 32 …): one image, not thousands of rectangles.
            image = QImage(np.ascontiguousarray(fills).data, cols, rows, cols * 4, QImage.Format.Format_RGB32)
            painter.drawImage(QRectF(x0, y0, cols * cell_w, rows * cell_h), image)
        else:  # vector cells: crisp gaps between cells, and a <rect> per cell in SVG export
            for rect, color in self._cell_fills(fills, rects):
                painter.fillRect(rect, color)
        self.painted = []
        number_px = self._number_px(cell_w, cell_h) if self.numbers else 0.0
        if self.numbers and number_px >= MIN_TEXT_PX:
            font = QFont()
            font.setPixelSize(int(number_px))
            painter.setFont(font)
            dark_text, light_text = QColor("#000000"), QColor("#ffffff")
            light = None
            for rect, text, light_cell in self._cell_numbers(fills, rects):
                if light_cell is not light:
                    painter.setPen(dark_text if light_cell else light_text)
                    light = light_cell
                draw_centred(painter, rect, text, int(number_px))
            widest = widest_advance(self._number_texts(), int(number_px))
            self.painted.append(Painted("numbers", int(number_px), number_room(cell_w), widest))
        self._outline(
            painter, rects, self.focus_lit, QColor(theme.focus), max(2.0, cell_w * 0.06), dashed=True
        )
        self._outline(painter, rects, self.step_lit, QColor(theme.step), step_line(cell_w))
        self.painted += draw_labels(painter, self._labels(), self.appearance, transform, cell_w, cell_h)
        painter.restore()

    def _cell_fills(self, fills: np.ndarray, rects: Grid) -> list[tuple[QRectF, QColor]]:
        """Each vector cell's rectangle and colour, kept while the content, theme and geometry stay."""
        key = ("fills", self.version, self.appearance.theme.name, *rects.key())
        if self._draw_cache.get("fills", (None,))[0] != key:
            rows, cols = fills.shape
            cells = [
                (rects.rect(r, c).adjusted(0.5, 0.5, -0.5, -0.5), QColor(int(fills[r, c])))
                for r in range(rows)
                for c in range(cols)
            ]
            self._draw_cache["fills"] = (key, cells)
        return self._draw_cache["fills"][1]

    def _cell_numbers(self, fills: np.ndarray, rects: Grid) -> list[tuple[QRectF, str, bool]]:
        """Each shown number's rectangle, text and whether its cell is light (black text)."""
        key = ("numbers", self.version, self.appearance.theme.name, *rects.key())
        if self._draw_cache.get("numbers", (None,))[0] != key:
            light = light_cells(fills)
            numbers = [
                (
                    rects.rect(r, c),
                    self._text(r, c),
                    bool(light[r, c]),
                )
                for r, c in np.argwhere(self.opacity > 0.35).tolist()
            ]
            self._draw_cache["numbers"] = (key, numbers)
        return self._draw_cache["numbers"][1]

    def _text(self, r: int, c: int) -> str:
        if self.printed is not None:
            return self.printed[r][c]
        return "−∞" if self.masked[r, c] else format_number(float(self.values[r, c]))

    def _fills(self) -> np.ndarray:
        """Each cell's colour as 0xAARRGGBB: colormap, masked grey, or fading in from empty.

        Kept until the content or the theme changes: a repaint (zoom, pan, expose)
        reuses it.
        """
        theme = self.appearance.theme
        if self._fill_cache is not None and self._fill_cache[0] == (self.version, theme.name):
            return self._fill_cache[1]
        fills = argb_fills(self.colors, self.opacity, self.masked, theme)
        self._fill_cache = ((self.version, theme.name), fills)
        return fills

    def _outline(
        self,
        painter: QPainter,
        rects: Grid,
        lit: np.ndarray,
        color: QColor,
        width: float,
        dashed: bool = False,
    ) -> None:
        """Outline the lit region, not each cell: a lit row reads as one row."""
        edges = self._edges(lit)
        if edges is not None:
            draw_outline(painter, rects, edges, color, width, dashed)

    def _edges(self, lit: np.ndarray) -> CellEdges | RunEdges | None:
        """The outline of ``lit`` in cells, found once per content (repaints only draw it)."""
        key = (self.version, id(lit))
        hit = self._edge_cache.get(key)
        if hit is None:
            hit = (lit, edges_of(lit))  # keeps ``lit`` alive: its id stays its own
            if len(self._edge_cache) >= 4:
                self._edge_cache.clear()
            self._edge_cache[key] = hit
        return hit[1]

    def _number_px(self, cell_w: float, cell_h: float) -> float:
        """Numbers follow the cell and the text size (Ctrl+=), up to what fits in the cell."""
        # A fifth of the cell, and at least READABLE_PX (12): room for Ctrl+= to grow it.
        wanted = max(min(cell_h * 0.3, cell_w * 0.22), READABLE_PX) * self.appearance.font_scale
        # Every number is at least as wide as "0.00": when even that cannot fit at a legible
        # size (64 tokens' cells), say so without writing out thousands of cells' texts.
        narrowest = advance("0.00", 100) / 100
        at_most = min(wanted, number_room(cell_w) / narrowest, cell_h * 0.7)
        if at_most < MIN_TEXT_PX:
            return at_most
        widest = widest_advance(self._number_texts(), 100) / 100  # per pixel of font size
        return min(wanted, number_room(cell_w) / widest if widest else wanted, cell_h * 0.7)

    def _number_texts(self) -> tuple[str, ...]:
        """Every cell's text, shown or not (the size holds while cells appear), kept per content."""
        key = ("texts", self.version)
        if self._draw_cache.get("texts", (None,))[0] != key:
            rows, cols = self.values.shape
            texts = {self._text(r, c) for r in range(min(rows, 64)) for c in range(min(cols, 64))}
            self._draw_cache["texts"] = (key, sorted(texts))
        return tuple(self._draw_cache["texts"][1])

    # ------------------------------------------------------------- pointer
    def hoverEvent(self, event: HoverEvent) -> None:
        if self.on_pointer is not None:
            self.on_pointer(self, None if event.isExit() else self.cell_at(event.pos()))
        if event.isExit():
            if self._on_hover:
                self._on_hover(None)
            return
        cell = self.cell_at(event.pos())
        if self._tooltip is not None:
            self.setToolTip(self._tooltip(cell) if cell is not None else "")
        if self._on_hover:
            self._on_hover(cell)

    def wheelEvent(self, event: QGraphicsSceneWheelEvent) -> None:
        """Ctrl or Shift + wheel over a big matrix: its inset shows fewer / more cells."""
        modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if self.on_wheel is None or not self.big() or not event.modifiers() & modifiers:
            event.ignore()  # the plain wheel zooms the panel
            return
        event.accept()
        self.on_wheel(1 if event.delta() > 0 else -1)

    def mouseClickEvent(self, event: MouseClickEvent) -> None:
        cell = self.cell_at(event.pos())
        if cell is not None and self._on_click is not None:
            event.accept()
            self._on_click(cell)
