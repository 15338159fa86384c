"""Where the head view puts its head chips, column headers, tokens and lines, in widget pixels.

Text sizes follow the frame (a 1080p export reads like 720p) and the window's
text scale. The tokens shrink to fit their column's height, not below
``LEAST_TOKEN_PX`` while the column holds every word at that size; a longer
sentence (64 words at 720p) is squeezed, rows touching, rather than cut off at
the bottom. Each token owns one row of its column, so two tokens never overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from explainer.i18n import N_, _

__all__ = ["LEAST_TOKEN_PX", "TOKEN_PX", "HeadViewLayout", "font_px", "lay_out", "text_scale", "words_cut"]

TOKEN_PX = 20  # the tokens' size at 720p when they have room
LEAST_TOKEN_PX = 10  # never smaller while the column has room for every word at this size
SQUEEZED_PX = 6  # a sentence too long for the column at LEAST_TOKEN_PX: smaller, down to this, not cut
SQUEEZED_SPACING = 1.1  # its rows, a little over its tallest word: room for a pinned word's frame
CHIP_PX, HEADER_PX = 14, 14
ROW_SPACING = 1.25  # a row is this many times its text's height: the tokens breathe
MAX_ROW = 2.6  # a short sentence is not spread over the whole height: rows up to this many px sizes


@dataclass(frozen=True)
class HeadViewLayout:
    """The geometry of one paint: rectangles per chip and token, the ends of the lines.

    ``chips`` holds ``(head, rect)`` with head None for the "all" chip; ``queries``
    and ``keys`` hold each token's row (its hit area); the text is drawn inside,
    right-aligned for queries, left-aligned for keys.
    """

    scale: float
    chip_px: int
    chips: tuple[tuple[int | None, QRectF], ...]
    chips_label: QRectF
    header_px: int
    query_header: QRectF
    key_header: QRectF
    token_px: int
    queries: tuple[QRectF, ...]
    keys: tuple[QRectF, ...]
    line_left: float  # x where lines leave the queries
    line_right: float  # x where lines reach the keys
    line_width: float


def text_scale(width: int, height: int) -> float:
    """Text grows with a frame larger than 1280×720 (a 1080p export reads like 720p), never shrinks below."""
    return max(1.0, min(2.5, width / 1280, height / 720))


def font_px(px: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, px))
    font.setBold(bold)
    return font


@lru_cache(maxsize=8192)
def text_width(text: str, px: int, bold: bool = False) -> float:
    return QFontMetricsF(font_px(px, bold)).horizontalAdvance(text)


@lru_cache(maxsize=256)
def text_height(px: int, bold: bool = False) -> float:
    return QFontMetricsF(font_px(px, bold)).height()


def lay_out(
    width: int,
    height: int,
    n_heads: int,
    queries: Sequence[str],
    keys: Sequence[str],
    font_scale: float = 1.0,
    headers: tuple[str, str] = ("queries", "keys"),
) -> HeadViewLayout:
    """The layout of a head view of ``width`` × ``height`` showing ``queries`` against ``keys``.

    ``headers`` are the two columns' titles (their widths count).
    """
    return _lay_out(width, height, n_heads, tuple(queries), tuple(keys), font_scale, headers)


@lru_cache(maxsize=64)
def _lay_out(
    width: int,
    height: int,
    n_heads: int,
    queries: tuple[str, ...],
    keys: tuple[str, ...],
    font_scale: float,
    headers: tuple[str, str],
) -> HeadViewLayout:
    scale = font_scale * text_scale(width, height)

    def px(size: float) -> int:
        return max(6, round(size * scale))

    margin = 12 * scale
    chip_px, chips, label, chips_bottom = _chip_row(width, n_heads, px(CHIP_PX), margin, scale)
    header_px = px(HEADER_PX)
    header_h = text_height(header_px, True)
    top = chips_bottom + 10 * scale + header_h + 6 * scale
    area_h = max(1.0, height - top - margin)
    rows = max(len(queries), len(keys), 1)
    least = min(LEAST_TOKEN_PX, px(TOKEN_PX))
    token_px = _token_px(area_h / rows, px(TOKEN_PX), least)
    if text_height(token_px) * ROW_SPACING > area_h / rows:  # too many words even at the least size
        token_px = _squeezed_px(area_h / rows, least, (*queries, *keys))
        # The rows share the column; below SQUEEZED_PX they keep their size and run past it.
        row_h = max(words_height(token_px, (*queries, *keys)) * SQUEEZED_SPACING, area_h / rows)
    else:
        row_h = max(text_height(token_px) * ROW_SPACING, min(area_h / rows, token_px * MAX_ROW))
    pad = 8 * scale
    widest = 0.3 * width  # a longer token is elided
    q_w = min(widest, max((text_width(t, token_px) for t in queries), default=0.0)) + 2 * pad
    k_w = min(widest, max((text_width(t, token_px) for t in keys), default=0.0)) + 2 * pad
    lines_w = min(max(0.32 * width, 160 * scale), 560 * scale)
    lines_w = max(60.0, min(lines_w, width - 2 * margin - q_w - k_w - 2 * pad))
    left = (width - (q_w + pad + lines_w + pad + k_w)) / 2
    q_x, line_left = left, left + q_w + pad
    line_right = line_left + lines_w
    k_x = line_right + pad
    middle = top + area_h / 2

    def column(x: float, column_w: float, count: int) -> tuple[QRectF, ...]:
        start = max(top, middle - row_h * count / 2)
        return tuple(QRectF(x, start + r * row_h, column_w, row_h) for r in range(count))

    # The headers sit just above the taller column: a short sentence is centred with its header.
    header_top = max(top, middle - row_h * rows / 2) - header_h - 6 * scale
    q_header_w = max(q_w, text_width(headers[0], header_px, True) + 2 * pad)
    k_header_w = max(k_w, text_width(headers[1], header_px, True) + 2 * pad)
    return HeadViewLayout(
        scale=scale,
        chip_px=chip_px,
        chips=chips,
        chips_label=label,
        header_px=header_px,
        query_header=QRectF(q_x + q_w - q_header_w, header_top, q_header_w, header_h),
        key_header=QRectF(k_x, header_top, k_header_w, header_h),
        token_px=token_px,
        queries=column(q_x, q_w, len(queries)),
        keys=column(k_x, k_w, len(keys)),
        line_left=line_left,
        line_right=line_right,
        line_width=max(1.5, 2.0 * scale),
    )


def words_cut(shown: HeadViewLayout, height: float) -> int:
    """How many words' rows run past ``height``: a view too short for them even squeezed."""
    return sum(1 for row in (*shown.queries, *shown.keys) if row.bottom() > height + 0.5)


def _squeezed_px(row_h: float, least: int, texts: Sequence[str]) -> int:
    """The largest size up to ``least`` (at least SQUEEZED_PX) whose words, spaced, fit rows of ``row_h``.

    Measured on the words themselves: Hangul and kana come from the CJK fallback
    font, whose lines are ~1.24× the Latin font's.
    """
    px = least
    while px > SQUEEZED_PX and words_height(px, texts) * SQUEEZED_SPACING > row_h:
        px -= 1
    return px


def words_height(px: int, texts: Sequence[str]) -> float:
    """The tallest line any of ``texts`` takes at ``px`` (at least the font's own line)."""
    return max((_text_box_height(text, px) for text in set(texts)), default=0.0) or text_height(px)


@lru_cache(maxsize=8192)
def _text_box_height(text: str, px: int) -> float:
    box = QFontMetricsF(font_px(px)).boundingRect(
        QRectF(0, 0, 1e6, 1e6), int(Qt.AlignmentFlag.AlignLeft), text
    )
    return max(box.height(), text_height(px))


def _token_px(row_h: float, wanted: int, least: int) -> int:
    """The largest size from ``wanted`` down to ``least`` whose rows fit ``row_h``."""
    px = wanted
    while px > least and text_height(px) * ROW_SPACING > row_h:
        px -= 1
    return px


CHIPS_LABEL = N_("Heads")  # looked up where measured and drawn
ALL_LABEL = N_("all")


def _chip_row(
    width: int, n_heads: int, wanted: int, margin: float, scale: float
) -> tuple[int, tuple[tuple[int | None, QRectF], ...], QRectF, float]:
    """The head chips in one row, centred: shrunk (to 10 px) until the row fits the width."""
    labels: list[tuple[int | None, str]] = [(None, _(ALL_LABEL)), *((h, str(h + 1)) for h in range(n_heads))]
    px = wanted
    while True:
        gap = 0.4 * px
        label_w = text_width(_(CHIPS_LABEL), px, True) + px
        widths = [max(text_width(text, px, True) + px, 1.9 * px) for _head, text in labels]
        total = label_w + sum(widths) + gap * (len(widths) - 1)
        if total <= width - 2 * margin or px <= LEAST_TOKEN_PX:
            break
        px -= 1
    chip_h = text_height(px, True) + 0.5 * px
    x = max(margin, (width - total) / 2)
    top = 8 * scale
    label = QRectF(x, top, label_w, chip_h)
    x += label_w
    chips = []
    for (head, _text), chip_w in zip(labels, widths, strict=True):
        chips.append((head, QRectF(x, top, chip_w, chip_h)))
        x += chip_w + gap
    return px, tuple(chips), label, top + chip_h


def elided(text: str, px: int, room: float) -> str:
    """``text`` cut with "…" to fit ``room`` pixels (a long word piece in a narrow column)."""
    if text_width(text, px) <= room:
        return text
    return QFontMetricsF(font_px(px)).elidedText(text, Qt.TextElideMode.ElideRight, room)
