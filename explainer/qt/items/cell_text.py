"""Text in and around a matrix's cells: how numbers are written and how large text may be.

Measurements are cached by text and pixel size: during a camera move the cells
change size on every frame, and the same few strings are measured again and again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QStaticText, QTransform

READABLE_PX = 12  # numbers are at least this size where their cell has room for it
MIN_TEXT_PX = 7  # smaller text is left out, not drawn as an unreadable smudge
NUMBER_PAD = 1.0  # pixels kept free on each side of a cell's number, inside the step's outline
STEP_LINE = 0.08  # the step's outline, as a share of the cell width (at least 2.5 px)
LABEL_CAP_PX = 30  # tokens as large as the numbers in a big presenter cell, but no larger


def format_number(x: float) -> str:
    if x == -math.inf:  # a plain comparison: np.isneginf per cell cost more than the formatting
        return "−∞"
    text = f"{x:.2f}" if abs(x) < 100 else f"{x:.0f}"
    return "0.00" if text == "-0.00" else text.replace("-", "−")


def step_line(cell_w: float) -> float:
    return max(2.5, cell_w * STEP_LINE)


def number_room(cell_w: float) -> float:
    """The width a cell's number may take: clear of the step's outline on both sides."""
    return cell_w - 2 * (step_line(cell_w) + NUMBER_PAD)


@dataclass(frozen=True)
class Painted:
    """One kind of text as last painted: its pixel size, the room it had and its widest advance."""

    what: str
    px: int
    room: float
    widest: float


def font_of(px: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setBold(bold)
    font.setPixelSize(px)
    return font


@lru_cache(maxsize=8192)
def advance(text: str, px: int, bold: bool = False) -> float:
    """One text's advance, cached: while weights move, most cells' numbers stay the same strings."""
    return QFontMetricsF(font_of(px, bold)).horizontalAdvance(text)


@lru_cache(maxsize=1024)
def widest_advance(texts: tuple[str, ...], px: int, bold: bool = False) -> float:
    """The advance of the widest of ``texts`` at ``px`` pixels (0 for no texts)."""
    return max((advance(t, px, bold) for t in texts), default=0.0)


@lru_cache(maxsize=8192)
def static_text(text: str, px: int) -> QStaticText:
    """A cell's number laid out once: drawing it again costs a third of a drawText."""
    laid_out = QStaticText(text)
    laid_out.setTextFormat(Qt.TextFormat.PlainText)
    laid_out.prepare(QTransform(), font_of(px))
    return laid_out


def draw_centred(painter: QPainter, rect: QRectF, text: str, px: int) -> None:
    """``text`` centred in ``rect`` in the painter's font (set to ``px`` pixels, untransformed)."""
    laid_out = static_text(text, px)
    size = laid_out.size()
    corner = QPointF(rect.center().x() - size.width() / 2, rect.center().y() - size.height() / 2)
    painter.drawStaticText(corner, laid_out)


@lru_cache(maxsize=256)
def _fitting_size(texts: tuple[str, ...], wanted: int, room: int, height: int, bold: bool) -> int:
    size = min(wanted, height)
    while size >= MIN_TEXT_PX:  # advances do not scale exactly with the size: measure again
        widest = widest_advance(texts, size, bold)
        if widest <= room:
            break
        size = min(size - 1, int(size * room / widest))
    return size


def fitting_font(
    texts: Sequence[str], wanted: float, room: float, height: float, bold: bool = False
) -> QFont | None:
    """A font at ``wanted`` pixels, or smaller so the widest text fits ``room``; None below MIN_TEXT_PX."""
    size = _fitting_size(tuple(texts), int(wanted), int(room), int(height), bold)
    return font_of(size, bold) if size >= MIN_TEXT_PX else None
