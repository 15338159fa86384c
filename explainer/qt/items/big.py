"""Big matrices (a real model's 384-wide X or W): when a matrix counts as big, and what its row strip says.

A big matrix's cells are too small for numbers: it shows its shape in its title,
the focused token's row as a strip of numbers, and a zoomable inset on hover.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from explainer.i18n import _

from ..style import Appearance
from .cell_text import Painted, fitting_font, format_number, widest_advance

BIG_CELLS = 24  # more rows or columns than this: too many for a number in every cell
STRIP_UNITS = 2.4  # view units of a row strip's band
STRIP_FIRST = 8  # the row's first values a strip always writes
STRIP_LARGEST = 3  # and its largest |values|, wherever they are


def is_big(shape: tuple[int, ...], numbers: bool) -> bool:
    """A matrix drawn without numbers that has more than BIG_CELLS rows or columns."""
    return not numbers and len(shape) == 2 and max(shape) > BIG_CELLS


def shaped(title: str, shape: tuple[int, ...]) -> str:
    """``title`` with the matrix's shape: "X (13 × 384)"; "X (one row per token, 13 × 384)"."""
    rows, cols = shape
    if title.endswith(")"):  # one pair of brackets, not two
        return f"{title[:-1]}, {rows} × {cols})"
    return f"{title} ({rows} × {cols})"


def row_summary(name: str, row: np.ndarray, first: int = STRIP_FIRST) -> str:
    """The row's first values, then its largest |values| that were not among them, and its length.

    "x_[CLS] = 0.12 −0.40 … ; largest |x|: [223] −9.85 [12] 4.10 (384 values)": the teaching
    rules never leave the largest entry out behind an ellipsis.
    """
    n = len(row)
    shown = " ".join(format_number(float(v)) for v in row[:first])
    if n <= first:
        return f"{name} = {shown}"
    order = np.argsort(-np.abs(row), kind="stable")
    largest = [int(j) for j in order[:STRIP_LARGEST] if j >= first]
    text = f"{name} = {shown} …"
    if largest:
        text += _("  largest |·|: {values}").format(
            values="  ".join(f"[{j}] {format_number(float(row[j]))}" for j in largest)
        )
    return _("{text}  ({n} values)").format(text=text, n=n)


class RowStrip(pg.GraphicsObject):
    """One line of text in a band of view units (the focused token's row), drawn in device pixels."""

    def __init__(self, appearance: Appearance) -> None:
        super().__init__()
        self.appearance = appearance
        self.text = ""
        self.rect = QRectF()
        self.version = 0
        self.painted: list[Painted] = []

    def show_row(self, rect: QRectF, name: str, row: np.ndarray, first: int = STRIP_FIRST) -> None:
        """Write ``name``'s ``row`` (its summary) in ``rect`` (view units); equal content repaints nothing."""
        text = row_summary(name, row, first)
        if text == self.text and rect == self.rect:
            return
        if rect != self.rect:
            self.prepareGeometryChange()
        self.text, self.rect = text, QRectF(rect)
        self.version += 1
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self.rect)

    def paint(self, painter: QPainter, *_: object) -> None:
        self.painted = []
        if not self.text or self.rect.isEmpty():
            return
        area = painter.transform().mapRect(self.rect)
        wanted = self.appearance.fitted(min(area.height() * 0.7, 14.0), 16)
        font = fitting_font([self.text], wanted, area.width(), area.height())
        if font is None:  # a thumbnail: an unreadable smudge tells no one anything
            return
        painter.save()
        painter.resetTransform()
        painter.setFont(font)
        painter.setPen(QColor(self.appearance.theme.text))
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.text)
        painter.restore()
        widest = widest_advance((self.text,), font.pixelSize())
        self.painted.append(Painted("strip", font.pixelSize(), area.width(), widest))
