"""TargetMarks: a corner flag in the theme's step colour on each targeted cell of the α matrix.

A triangle in the cell's top-right corner, clear of the centred number (a ring around
the number cut its digits). A child of the matrix item, so it shares its cell
coordinates (cell (r, c) covers x in [c, c+1], y in [r, r+1], y down) and its fading;
drawn in device pixels like the matrix, so it stays crisp, and vector in SVG.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from ..style import Appearance

FLAG = 0.36  # the flag's legs along the top and right edges, as a share of the cell
MIN_FLAG_PX = 10.0
HALO_PX = 1.5  # its long edge in the background colour: the flag reads on yellow and on purple


def flag_legs(cell_px: float) -> float:
    """The flag's legs in pixels, for a cell ``cell_px`` across."""
    return max(MIN_FLAG_PX, FLAG * cell_px)


class TargetMarks(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A flag on each targeted cell of the parent matrix; nothing when none are targeted."""

    def __init__(self, appearance: Appearance, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.appearance = appearance
        self.cells: np.ndarray = np.zeros((0, 0), dtype=bool)
        self.version = 0  # offscreen export re-renders a panel only when a version moved

    def set_cells(self, cells: np.ndarray | None, shape: tuple[int, int]) -> None:
        """Flag ``cells`` (bool, the matrix's shape); None or another shape: no flags."""
        new = cells if cells is not None and cells.shape == shape else np.zeros(shape, dtype=bool)
        if new.shape == self.cells.shape and np.array_equal(new, self.cells):
            return
        if new.shape != self.cells.shape:
            self.prepareGeometryChange()
        self.cells = new
        self.version += 1
        self.update()

    def boundingRect(self) -> QRectF:
        rows, cols = self.cells.shape
        return QRectF(0, 0, cols, rows)

    def paint(self, painter: QPainter, *_: object) -> None:
        if not self.cells.any():
            return
        transform = painter.transform()
        unit = transform.mapRect(QRectF(0, 0, 1, 1))
        legs = min(flag_legs(min(unit.width(), unit.height())), 0.6 * min(unit.width(), unit.height()))
        theme = self.appearance.theme
        corners = [transform.map(QPointF(c + 1, r)) for r, c in np.argwhere(self.cells).tolist()]
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor(theme.background), HALO_PX))
        painter.setBrush(QColor(theme.step))
        for corner in corners:
            x, y = corner.x() - 0.5, corner.y() + 0.5  # inside the cell's gap, as its fill is
            painter.drawPolygon(QPolygonF([QPointF(x, y), QPointF(x - legs, y), QPointF(x, y + legs)]))
        painter.restore()
