"""ZoomInset: a magnifier over a big matrix — the cells around the pointer, large, with their numbers.

A 384-wide X is colour noise at any panel size; hovering it shows, beside the
pointer, a window of rows × columns around the hovered cell with each value
written at a readable size and the indices it covers ("rows 3–7 of 13, columns
120–127 of 384"). Ctrl or Shift + wheel over the matrix, or + / − with the panel
focused, shows fewer / more cells (the plain wheel still zooms the panel).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from explainer.i18n import _

from ..style import Appearance
from .cell_text import READABLE_PX, Painted, font_of, format_number, widest_advance
from .matrix import MatrixItem

Cell = tuple[int, int]
# (rows, columns) shown, fewest first; the wheel walks this list.
WINDOWS = ((3, 4), (3, 6), (5, 8), (7, 10), (9, 12))
DEFAULT_WINDOW = 2
GAP_PX = 24  # between the pointer and the inset


class Shown(Protocol):
    """What the inset reads of a matrix: its values, colours and title."""

    values: np.ndarray
    colors: np.ndarray
    masked: np.ndarray
    title: str

    def mapToScene(self, point: QPointF) -> QPointF: ...


def window_of(shape: tuple[int, int], cell: Cell, size: tuple[int, int]) -> tuple[range, range]:
    """The rows and columns of a ``size`` window around ``cell``, moved inside the matrix."""

    def around(centre: int, count: int, total: int) -> range:
        count = min(count, total)
        start = min(max(0, centre - count // 2), total - count)
        return range(start, start + count)

    return around(cell[0], size[0], shape[0]), around(cell[1], size[1], shape[1])


class ZoomInset(QWidget):
    """The magnifier: a child of the panel's window, transparent to the mouse, painted in pixels."""

    def __init__(self, view: QGraphicsView, appearance: Appearance) -> None:
        super().__init__(view)
        self.view, self.appearance = view, appearance
        self.level = DEFAULT_WINDOW
        self.matrix: Shown | None = None
        self.cell: Cell = (0, 0)
        self.rows, self.cols = range(0), range(0)
        self.texts: list[list[str]] = []  # the numbers as painted, row by row
        self.painted: list[Painted] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()
        view.installEventFilter(self)

    # ------------------------------------------------------------- showing
    def point(self, matrix: Shown | None, cell: Cell | None) -> None:
        """The pointer is on ``cell`` of ``matrix`` (None: it left): show the cells around it."""
        if matrix is None or cell is None:
            self.matrix = None
            self.hide()
            return
        self.matrix, self.cell = matrix, cell
        self.refresh()

    def refresh(self) -> None:
        """Read the matrix again (an edit, a new head) and place the inset beside its cell."""
        matrix = self.matrix
        if matrix is None:
            return
        shape = matrix.values.shape
        if not shape[0] or not shape[1]:
            self.point(None, None)
            return
        cell = (min(self.cell[0], shape[0] - 1), min(self.cell[1], shape[1] - 1))
        self.rows, self.cols = window_of(shape, cell, WINDOWS[self.level])
        self.texts = [[self._text(r, c) for c in self.cols] for r in self.rows]
        host = self.view.window()
        if self.parentWidget() is not host:
            self.setParent(host)
        self.resize(self._size())
        self._place(cell, host)
        self.show()
        self.raise_()
        self.update()

    def zoom(self, steps: int) -> None:
        """``steps`` > 0: fewer, larger-looking cells; < 0: more cells."""
        level = min(max(0, self.level - steps), len(WINDOWS) - 1)
        if level != self.level:
            self.level = level
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
                self.zoom(-1 if key == Qt.Key.Key_Minus else 1)
                return True
        return False

    def _text(self, r: int, c: int) -> str:
        assert self.matrix is not None
        return "−∞" if self.matrix.masked[r, c] else format_number(float(self.matrix.values[r, c]))

    def heading(self) -> str:
        rows, cols = self.matrix.values.shape if self.matrix is not None else (0, 0)
        return _(
            "rows {first_row}–{last_row} of {rows}, columns {first_column}–{last_column} of {columns}"
        ).format(
            first_row=self.rows.start,
            last_row=self.rows.stop - 1,
            rows=rows,
            first_column=self.cols.start,
            last_column=self.cols.stop - 1,
            columns=cols,
        )

    # ------------------------------------------------------------- geometry
    def number_px(self) -> int:
        return max(READABLE_PX, round(13 * self.appearance.font_scale))

    def _cell_size(self) -> tuple[float, float]:
        px = self.number_px()
        widest = widest_advance(tuple(t for row in self.texts for t in row), px)
        return max(widest + 10, px * 3.0), px * 1.9

    def _label_w(self) -> float:
        labels = tuple(str(r) for r in self.rows)
        return widest_advance(labels, self.number_px()) + 10

    def _size(self) -> QSize:
        cell_w, cell_h = self._cell_size()
        px = self.number_px()
        width = self._label_w() + cell_w * len(self.cols) + 8
        title = self.matrix.title if self.matrix is not None else ""
        width = max(width, widest_advance((self.heading(), title), px, True) + 16)
        height = px * 1.6 * 2 + cell_h * (len(self.rows) + 1) + 8
        return QSize(int(width + 1), int(height + 1))

    def _place(self, cell: Cell, host: QWidget) -> None:
        """Beside the cell, on the side with more room, inside the window."""
        assert self.matrix is not None
        scene = self.matrix.mapToScene(QPointF(cell[1] + 0.5, cell[0] + 0.5))
        at = self.view.viewport().mapTo(host, self.view.mapFromScene(scene))
        room = host.rect()
        x = at.x() + GAP_PX if at.x() < room.center().x() else at.x() - GAP_PX - self.width()
        y = at.y() + GAP_PX if at.y() < room.center().y() else at.y() - GAP_PX - self.height()
        x = min(max(room.left(), x), room.right() - self.width())
        y = min(max(room.top(), y), room.bottom() - self.height())
        self.move(QPoint(int(x), int(y)))

    # ------------------------------------------------------------- drawing
    def paintEvent(self, _event: QPaintEvent) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        theme = self.appearance.theme
        painter = QPainter(self)
        px = self.number_px()
        painter.fillRect(self.rect(), QColor(theme.background))
        painter.setPen(QColor(theme.text))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        line = px * 1.6
        painter.setFont(font_of(px, True))
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(8, 4, self.width() - 16, line), left, matrix.title)
        painter.setFont(font_of(px))
        painter.drawText(QRectF(8, 4 + line, self.width() - 16, line), left, self.heading())
        cell_w, cell_h = self._cell_size()
        x0, y0 = 4 + self._label_w(), 4 + 2 * line + cell_h
        centre = Qt.AlignmentFlag.AlignCenter
        for k, c in enumerate(self.cols):
            painter.drawText(QRectF(x0 + k * cell_w, y0 - cell_h, cell_w, cell_h), centre, str(c))
        for i, r in enumerate(self.rows):
            painter.setPen(QColor(theme.text))
            label = QRectF(4, y0 + i * cell_h, self._label_w() - 6, cell_h)
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(r))
            for k, c in enumerate(self.cols):
                rect = QRectF(x0 + k * cell_w, y0 + i * cell_h, cell_w, cell_h)
                red, green, blue = (int(v) for v in matrix.colors[r, c, :3])
                painter.fillRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), QColor(red, green, blue))
                light = 0.299 * red + 0.587 * green + 0.114 * blue > 140
                painter.setPen(QColor("#000000" if light else "#ffffff"))
                painter.drawText(rect, centre, self.texts[i][k])
        painter.end()
        widest = widest_advance(tuple(t for row in self.texts for t in row), px)
        self.painted = [Painted("numbers", px, cell_w, widest)]


def magnify(view: QGraphicsView, appearance: Appearance, items: Sequence[MatrixItem]) -> ZoomInset:
    """One inset for a panel's view, shown while the pointer is on a big one of ``items``."""
    inset = ZoomInset(view, appearance)

    def pointer(item: MatrixItem, cell: Cell | None) -> None:
        inset.point(item if item.big() else None, cell)

    for item in items:
        item.on_pointer = pointer
        item.on_wheel = inset.zoom
        item.setAcceptHoverEvents(True)
    return inset
