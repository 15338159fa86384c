"""A matrix's row labels, column labels and title: the room they take around its grid, and their drawing.

The room is in item units but fixed on screen, however a big matrix is squeezed;
the text is drawn in device pixels, each kind shrunk to its room, never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QTransform

from ..style import Appearance
from .cell_text import LABEL_CAP_PX, MIN_TEXT_PX, Painted, fitting_font, widest_advance

__all__ = ["LABEL_UNITS", "Labels", "draw_labels"]

LABEL_UNITS = 2.4  # room left of the grid for row labels, in cells
HEADER_UNITS = 0.9  # room above the grid for column labels, in cells
TITLE_UNITS = 0.9
BIG_TITLE_UNITS = 2.2  # a squeezed matrix's view units are small: its title gets more of them
TITLE_OVERHANG = 0.5  # cells a title may reach past each side of its matrix


@dataclass(frozen=True)
class Labels:
    """What is written around a grid of ``shape``, squeezed by ``squeeze`` (``big``: no numbers)."""

    rows: Sequence[str]
    columns: Sequence[str]
    title: str
    shape: tuple[int, int]
    squeeze: tuple[float, float]
    big: bool

    def margins(self) -> tuple[float, float, float]:
        """Label, header and title room in item units: fixed on screen however squeezed."""
        sx, sy = self.squeeze
        title = BIG_TITLE_UNITS if self.big else TITLE_UNITS
        return LABEL_UNITS / sx, HEADER_UNITS / sy, title / sy

    def title_overhang(self) -> float:
        """Item units a title may reach past each side: only over a narrow matrix ("out_I", one column)."""
        narrow = self.shape[1] * self.squeeze[0] < 3
        return TITLE_OVERHANG / self.squeeze[0] if self.title and narrow else 0.0

    def bounds(self) -> QRectF:
        """The grid and the room its labels and title take, in item units."""
        rows, cols = self.shape
        label_w, header_h, title_h = self.margins()
        left = label_w if self.rows else 0.0
        top = (header_h if self.columns else 0.0) + (title_h if self.title else 0.0)
        rect = QRectF(-left, -top, cols + left, rows + top)
        over = self.title_overhang()
        rect.adjust(-over, 0, over, 0)
        return rect


def draw_labels(
    painter: QPainter,
    labels: Labels,
    appearance: Appearance,
    transform: QTransform,
    cell_w: float,
    cell_h: float,
) -> list[Painted]:
    """Row labels, column labels and the title, each shrunk to its room, never cut; what was written.

    Text that would be smaller than MIN_TEXT_PX is left out (a thumbnail):
    an elided "ex…" tells no one anything.
    """
    painted: list[Painted] = []

    def record(what: str, font: QFont, room: float, texts: Sequence[str]) -> None:
        widest = widest_advance(tuple(texts), font.pixelSize(), font.bold())
        painted.append(Painted(what, font.pixelSize(), room, widest))

    painter.setPen(QColor(appearance.theme.text))
    rows, cols = labels.shape
    label_w, header_h, title_h = labels.margins()
    left_px = label_w * cell_w - 6
    if labels.rows and cell_h >= MIN_TEXT_PX:
        wanted = appearance.fitted(cell_h * 0.42, LABEL_CAP_PX)
        font = fitting_font(labels.rows[:rows], wanted, left_px, cell_h)
        if font is not None:
            painter.setFont(font)
            for r, text in enumerate(labels.rows[:rows]):
                rect = transform.mapRect(QRectF(-label_w, r, label_w, 1)).adjusted(0, 0, -6, 0)
                painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            record("row labels", font, left_px, labels.rows[:rows])
    if labels.columns and cell_w >= MIN_TEXT_PX:
        wanted = min(
            appearance.fitted(cell_w * 0.34, LABEL_CAP_PX),
            appearance.fitted(cell_h * 0.42, LABEL_CAP_PX),
        )
        room = cell_w - 4
        font = fitting_font(labels.columns[:cols], wanted, room, header_h * cell_h)
        if font is not None:
            painter.setFont(font)
            for c, text in enumerate(labels.columns[:cols]):
                rect = transform.mapRect(QRectF(c, -header_h, 1, header_h))
                painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
            record("column labels", font, room, labels.columns[:cols])
    if labels.title:
        top = -(header_h if labels.columns else 0.0) - title_h
        left = -label_w if labels.rows else 0.0
        rect = transform.mapRect(QRectF(left, top, cols - left, title_h))
        over = labels.title_overhang() * cell_w
        rect.adjust(-over, 0, over, 0)  # as far as boundingRect reaches, so panels fit it in
        share = BIG_TITLE_UNITS * 0.6 if labels.big else 0.45  # of a view unit, in pixels
        wanted = appearance.fitted(cell_h / labels.squeeze[1] * share, LABEL_CAP_PX + 4)
        font = fitting_font([labels.title], wanted, rect.width(), rect.height() * 1.2, bold=True)
        if font is not None:
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, labels.title)
            record("title", font, rect.width(), [labels.title])
    return painted
