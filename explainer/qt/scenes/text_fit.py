"""Text of the scene views: the largest size that fits a box, and a record of what was painted.

The record (:class:`PaintedText`) is what the tests read: the pixel size of
every label and where it landed, so that overlaps and cut text are found from
what the user saw, not from the layout the code meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

WRAP = int(Qt.TextFlag.TextWordWrap)
CENTRED = int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True)
class PaintedText:
    """One text as painted: whose it is (``owner``), what it is (``what``), its size and its box.

    ``rect`` is the text's own bounding box in widget pixels; ``room`` the box
    it had to fit in; ``fits`` whether it did at ``px`` (False: it was cut).
    """

    owner: str
    what: str
    text: str
    px: int
    rect: QRectF
    room: QRectF
    fits: bool


def font_px(px: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, px))
    font.setBold(bold)
    return font


@lru_cache(maxsize=4096)
def _text_size(text: str, px: int, bold: bool, width: int) -> tuple[float, float]:
    metrics = QFontMetricsF(font_px(px, bold))
    box = metrics.boundingRect(QRectF(0, 0, width, 100000), WRAP | CENTRED, text)
    return box.width(), box.height()


def text_size(text: str, px: int, bold: bool = False, width: float = 100000) -> tuple[float, float]:
    """The size of ``text`` at ``px`` pixels, word-wrapped at ``width``."""
    return _text_size(text, px, bold, max(1, int(width)))


def fitting_px(text: str, room: QRectF, wanted: int, least: int, bold: bool = False) -> tuple[int, bool]:
    """The largest size from ``wanted`` down to ``least`` at which ``text`` (wrapped) fits ``room``.

    Returns the size and whether it fits; at ``least`` it may not (then it is cut).
    """
    px = max(wanted, least)
    while True:
        width, height = text_size(text, px, bold, room.width())
        if width <= room.width() + 0.5 and height <= room.height() + 0.5:
            return px, True
        if px <= least:
            return px, False
        px -= 1


def draw_text(
    painter: QPainter,
    record: list[PaintedText],
    owner: str,
    what: str,
    text: str,
    room: QRectF,
    px: int,
    fits: bool = True,
    bold: bool = False,
    flags: int = CENTRED,
) -> QRectF:
    """Draw ``text`` wrapped in ``room`` at ``px`` pixels and record it; returns the text's box."""
    painter.setFont(font_px(px, bold))
    drawn = painter.drawText(room, flags | WRAP, text)
    record.append(PaintedText(owner, what, text, px, QRectF(drawn), QRectF(room), fits))
    return QRectF(drawn)
