"""A row of words, one rounded chip each (a tokens block of the architecture scene)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from ..style import Theme
from .colours import mix
from .text_fit import PaintedText, draw_text, text_size

GAP = 4.0


@dataclass(frozen=True)
class Chip:
    word: str
    rect: QRectF
    px: int
    fits: bool


def _widths(words: Sequence[str], px: int) -> list[float]:
    return [text_size(word, px, True)[0] + 0.5 * px for word in words]


def chip_rows(words: Sequence[str], room: QRectF, wanted: int, least: int) -> list[Chip]:
    """The chips of ``words`` centred in ``room``: one row at the largest size from ``wanted`` to ``least``.

    At ``least`` a row too wide for ``room`` wraps into as many rows as it needs.
    """
    px = wanted
    while px > least and (
        sum(_widths(words, px)) + GAP * (len(words) - 1) > room.width() or 1.4 * px > room.height()
    ):
        px -= 1
    widths, height = _widths(words, px), 1.4 * px
    rows: list[list[int]] = [[]]
    used = 0.0
    for index, width in enumerate(widths):
        if rows[-1] and used + GAP + width > room.width():
            rows.append([])
            used = 0.0
        used += (GAP if rows[-1] else 0.0) + width
        rows[-1].append(index)
    total_h = len(rows) * height + (len(rows) - 1) * GAP / 2
    y = room.center().y() - total_h / 2
    fits = total_h <= room.height() + 0.5
    chips = []
    for row in rows:
        row_w = sum(widths[i] for i in row) + GAP * (len(row) - 1)
        x = room.center().x() - row_w / 2
        for i in row:
            chips.append(
                Chip(words[i], QRectF(x, y, widths[i], height), px, fits and widths[i] <= room.width())
            )
            x += widths[i] + GAP
        y += height + GAP / 2
    return chips


def draw_chips(
    painter: QPainter,
    record: list[PaintedText],
    owner: str,
    chips: Sequence[Chip],
    theme: Theme,
    strong: bool,
) -> None:
    """Draw ``chips``: a panel-coloured pill per word, outlined, its word in bold."""
    fill = QColor(theme.panel) if strong else mix(theme.panel, theme.background, 0.4)
    edge = mix(theme.muted, theme.background, 0.9 if strong else 0.3)
    text = QColor(theme.text) if strong else mix(theme.muted, theme.background, 0.6)
    for chip in chips:
        path = QPainterPath()
        radius = chip.rect.height() / 2
        path.addRoundedRect(chip.rect, radius, radius)
        painter.fillPath(path, fill)
        painter.strokePath(path, QPen(edge, 1.2))
        painter.setPen(text)
        draw_text(painter, record, owner, "token", chip.word, chip.rect, chip.px, chip.fits, bold=True)
