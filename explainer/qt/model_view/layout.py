"""Where the model view puts things: a grid of square thumbnails, labels left and on top, the colour bar."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

from ..scenes.text_fit import font_px

LABEL_PX = 14  # layer and head labels at 1280×720 and text size 1
TICK_PX = 13  # the colour bar's numbers
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
LEAST_PX = 9  # labels shrink to fit small thumbnails, never below this


@lru_cache(maxsize=256)
def text_width(text: str, px: int, bold: bool = False) -> float:
    return QFontMetricsF(font_px(px, bold)).horizontalAdvance(text)


@lru_cache(maxsize=64)
def line_height(px: int) -> float:
    return QFontMetricsF(font_px(px)).height()


def tick_text(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Layout:
    """Rectangles in widget pixels: ``cells[layer][head]`` the thumbnails; labels' rooms; the colour bar."""

    cells: tuple[tuple[QRectF, ...], ...]
    layer_rooms: tuple[QRectF, ...]
    head_rooms: tuple[QRectF, ...]
    label_px: int
    gap: float
    bar: QRectF
    bar_title: QRectF
    tick_rooms: tuple[QRectF, ...]
    tick_px: int

    def thumbnail_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(layer, head) of the thumbnail under (x, y), None between or outside thumbnails."""
        for layer, row in enumerate(self.cells):
            if not row or not row[0].top() <= y < row[0].bottom():
                continue
            for head, rect in enumerate(row):
                if rect.left() <= x < rect.right():
                    return layer, head
        return None


def text_scale(width: float, height: float) -> float:
    """Text grows with a view larger than 1280×640 (a 1080p page reads like 720p), never shrinks below it."""
    return max(1.0, min(2.5, width / 1280, height / 640))


def layout(width: int, height: int, n_layers: int, n_heads: int, n_tokens: int, font_scale: float) -> Layout:
    """Thumbnails as large as the view allows (square, nearest-neighbour crisp), centred with their labels.

    A thumbnail's side is snapped to a multiple of the token count when that costs
    at most a fifth of it: every token cell is then the same number of pixels wide.
    """
    scale = text_scale(width, height) * font_scale
    label_px = max(6, round(LABEL_PX * scale))
    tick_px = max(6, round(TICK_PX * scale))
    margin = round(8 * scale)
    label_w = text_width(f"L{n_layers}", label_px, True) + round(12 * scale)
    header_h = line_height(label_px) + round(10 * scale)  # room for the selection's outline below
    bar_w = round(14 * scale)
    tick_w = max(text_width(tick_text(t), tick_px) for t in TICKS)
    side_w = round(3 * margin) + bar_w + round(6 * scale) + tick_w
    room_w = width - 2 * margin - label_w - side_w
    room_h = height - 2 * margin - header_h
    gap = 8.0
    side = 1.0
    for _ in range(2):  # the gap follows the thumbnail, which follows the gap
        side = max(
            1.0, min((room_w - gap * (n_heads - 1)) / n_heads, (room_h - gap * (n_layers - 1)) / n_layers)
        )
        gap = max(8.0, round(side * 0.09))
    snapped = (side // n_tokens) * n_tokens if n_tokens else side
    side = float(snapped if snapped >= 0.8 * side else int(side))
    grid_w = n_heads * side + (n_heads - 1) * gap
    grid_h = n_layers * side + (n_layers - 1) * gap
    left = round(max(margin, (width - (label_w + grid_w + side_w)) / 2) + label_w)
    top = round(margin + header_h)
    cells = tuple(
        tuple(QRectF(left + h * (side + gap), top + layer * (side + gap), side, side) for h in range(n_heads))
        for layer in range(n_layers)
    )
    # Labels shrink when a column is narrower than "H16" (very many heads in a small view).
    column = side + gap - 2
    while label_px > LEAST_PX and text_width(f"H{n_heads}", label_px, True) > column:
        label_px -= 1
    layer_rooms = tuple(
        QRectF(left - label_w, row[0].top(), label_w - round(10 * scale), side) for row in cells
    )
    head_rooms = tuple(
        QRectF(rect.left() - gap / 2 + 1, top - header_h, side + gap - 2, header_h - round(8 * scale))
        for rect in cells[0]
    )
    bar_top = top + line_height(tick_px) / 2
    bar_h = max(10.0, grid_h - line_height(tick_px))  # the end ticks' text stays beside the grid
    bar = QRectF(left + grid_w + 2 * margin, bar_top, bar_w, bar_h)
    bar_title = QRectF(bar.left() - margin, top - header_h, bar_w + 2 * margin, header_h)
    tick_h = line_height(tick_px)
    tick_rooms = tuple(
        QRectF(bar.right() + round(6 * scale), bar.bottom() - t * bar_h - tick_h / 2, tick_w + 2, tick_h)
        for t in TICKS
    )
    return Layout(cells, layer_rooms, head_rooms, label_px, gap, bar, bar_title, tick_rooms, tick_px)
