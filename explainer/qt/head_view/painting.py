"""What the head view paints besides its lines and tokens, and the records of what it painted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from explainer.i18n import _
from explainer.model import Trace

from ..style import Theme
from .colours import chip_text_colour, head_colour
from .layout import ALL_LABEL, CHIPS_LABEL, LEAST_TOKEN_PX, HeadViewLayout, font_px, text_width, words_cut

__all__ = [
    "DrawnLine",
    "DrawnToken",
    "Side",
    "mix",
    "paint_chips",
    "paint_cut_words",
    "paint_headers",
    "paint_numbers",
]

Side = Literal["query", "key"]


class DrawnLine(NamedTuple):
    """One line as painted: head ``head`` from query ``i`` to key ``j`` at opacity ``alpha`` in ``colour``."""

    head: int
    i: int
    j: int
    alpha: float
    colour: str


@dataclass(frozen=True)
class DrawnToken:
    """One token as painted: its side, index, text (maybe elided), pixel size and text box."""

    side: Side
    index: int
    text: str
    px: int
    rect: QRectF


def mix(colour: str, background: str, share: float) -> QColor:
    a, b = QColor(colour), QColor(background)
    return QColor(
        round(a.red() * share + b.red() * (1 - share)),
        round(a.green() * share + b.green() * (1 - share)),
        round(a.blue() * share + b.blue() * (1 - share)),
    )


def paint_chips(
    painter: QPainter, shown: HeadViewLayout, theme: Theme, heads: Sequence[int], n_heads: int
) -> None:
    """The head chips: a head drawn is a filled chip of its colour, the others an outline."""
    chosen = set(heads)
    everything = len(chosen) == n_heads
    painter.setFont(font_px(shown.chip_px, True))
    painter.setPen(QColor(theme.muted))
    painter.drawText(shown.chips_label, int(Qt.AlignmentFlag.AlignVCenter), _(CHIPS_LABEL))
    for head, rect in shown.chips:
        on = everything if head is None else head in chosen
        colour = theme.text if head is None else head_colour(head)
        radius = rect.height() / 2
        if on:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(rect, radius, radius)
            painter.setPen(chip_text_colour(colour) if head is not None else QColor(theme.background))
        else:
            painter.setPen(QPen(mix(colour, theme.background, 0.7), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(0.75, 0.75, -0.75, -0.75), radius, radius)
            painter.setPen(QColor(theme.text))
        label = _(ALL_LABEL) if head is None else str(head + 1)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)


def paint_headers(painter: QPainter, shown: HeadViewLayout, theme: Theme, headers: tuple[str, str]) -> None:
    """The columns' titles, just above them: queries right-aligned, keys left-aligned."""
    painter.setFont(font_px(shown.header_px, True))
    painter.setPen(QColor(theme.muted))
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
    queries, keys = headers
    header = shown.query_header.adjusted(0, 0, -8 * shown.scale, 0)
    painter.drawText(header, int(right), queries)
    header = shown.key_header.adjusted(8 * shown.scale, 0, 0, 0)
    painter.drawText(header, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), keys)


def unreachable(trace: Trace, shown: tuple[Side, int] | None) -> set[tuple[Side, int]]:
    """The other side's tokens the ``shown`` token cannot reach (masked): drawn faded."""
    if shown is None or not trace.causal:
        return set()
    side, index = shown
    if side == "query":
        return {("key", int(j)) for j in np.flatnonzero(trace.mask[index])}
    return {("query", int(i)) for i in np.flatnonzero(trace.mask[:, index])}


def paint_cut_words(
    painter: QPainter, shown: HeadViewLayout, theme: Theme, width: int, height: int
) -> tuple[str, QRectF]:
    """A view too short for every word, even squeezed, says so at its foot: (what it says, where).

    The words it counts are those the foot hides or the bottom cuts. ("", empty) if none.
    """
    if words_cut(shown, height) == 0:
        return "", QRectF()
    px = max(10, shown.chip_px)
    band = QRectF(0, height - px * 1.8, width, px * 1.8)
    hidden = sum(1 for row in (*shown.queries, *shown.keys) if row.bottom() > band.top() + 0.5)
    text = _("{n} words run off the bottom: make the window taller").format(n=hidden)
    painter.fillRect(band, QColor(theme.background))
    painter.setFont(font_px(px, True))
    painter.setPen(QColor(theme.text))
    painter.drawText(band, int(Qt.AlignmentFlag.AlignCenter), text)
    return text, band


def paint_numbers(
    painter: QPainter,
    shown: HeadViewLayout,
    theme: Theme,
    trace: Trace,
    head: int,
    selected: tuple[Side, int],
    tokens: Sequence[DrawnToken],
) -> list[DrawnToken]:
    """Head ``head``'s α of each line of ``selected``, written beside the token it reaches; as drawn."""
    side, index = selected
    weights, mask = trace.weights[head], trace.mask
    row, hidden = (weights[index], mask[index]) if side == "query" else (weights[:, index], mask[:, index])
    other = "key" if side == "query" else "query"
    px = min(shown.token_px, max(LEAST_TOKEN_PX, round(shown.token_px * 0.75)))  # within its row
    painter.setFont(font_px(px))
    painter.setPen(QColor(theme.muted))
    gap = 6 * shown.scale
    numbers = []
    for token in tokens:
        if token.side != other or hidden[token.index]:
            continue
        text = f"{row[token.index]:.2f}"
        width, rect = text_width(text, px) + 2, token.rect
        x = rect.right() + gap if other == "key" else rect.left() - gap - width
        drawn = painter.drawText(
            QRectF(x, rect.top(), width, rect.height()), int(Qt.AlignmentFlag.AlignCenter), text
        )
        numbers.append(DrawnToken(token.side, token.index, text, px, QRectF(drawn)))
    return numbers
