"""Where the all-heads overview puts its maps, titles, token labels and colour bar, in pixels.

Labels keep a readable pixel size whatever the number of heads, so the layout
is found in pixels for the panel's size: the grid of maps (how many columns)
and the cell size are chosen so that every label fits its space uncut, and the
cells are as large as the panel allows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from explainer.i18n import _, language

from .cell_text import format_number

MARGIN = 6.0  # px around the whole overview
GAP = 10.0  # px between maps
LABEL_PAD = 5.0  # px between a token label and its map (the chosen head's frame runs there)
FRAME = 2.0  # px: the chosen head's frame is this wide and starts this far outside its map
BAR = 10.0  # px: thickness of the colour bar
MAX_PITCH = 44  # px: a cell never grows beyond this (one small head in a large dock)
LABEL_SIZES = (11, 10, 9, 8)  # px at text size 1: the largest that fits every token is used
BAR_TICKS = (0.0, 0.5, 1.0)


@dataclass(frozen=True)
class Placed:
    """One text as drawn: its box in the view (px) and its font; ``rotated`` reads bottom to top.

    The text may take the box's width, or its height when rotated.
    """

    text: str
    box: QRectF
    pixel_size: int
    bold: bool = False
    rotated: bool = False
    align: str = "center"  # "center", "right" (row labels), "left" (tick labels), "bottom" (rotated)

    def font(self) -> QFont:
        return label_font(self.pixel_size, self.bold)


@dataclass(frozen=True)
class HeadsLayout:
    """The overview's geometry for one panel size and one set of tokens.

    ``maps[h]`` is the top-left of head h's map, whose cells are ``pitch`` px;
    ``label_step`` > 1 when the cells are too small for a label on every token
    (then every ``label_step``-th token is labelled).
    """

    pitch: float
    columns: int
    maps: tuple[QPointF, ...]
    map_size: tuple[float, float]  # width, height in px
    titles: tuple[Placed, ...]
    labels: tuple[Placed, ...]  # query tokens left of the first column, key tokens above the first row
    bar: QRectF  # the α colour bar: 0 at the left or bottom end, 1 at the other
    bar_vertical: bool
    bar_texts: tuple[Placed, ...]  # "α" and the tick values
    label_step: int
    ticks: tuple[QLineF, ...]  # with label_step > 1: a short line from each label to its row or column
    extent: QRectF  # everything drawn

    def frame(self, head: int) -> QRectF:
        """Where the chosen head's frame runs (the middle of its line), around its map."""
        corner, (width, height) = self.maps[head], self.map_size
        return QRectF(corner.x(), corner.y(), width, height).adjusted(
            -FRAME * 1.5, -FRAME * 1.5, FRAME * 1.5, FRAME * 1.5
        )


@dataclass(frozen=True)
class _Fit:
    pitch: float
    columns: int
    bar_right: bool
    rotated: bool


@lru_cache(maxsize=16)
def label_font(pixel_size: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font


def _advance(font: QFont, texts: Sequence[str]) -> float:
    metrics = QFontMetricsF(font)
    return max((metrics.horizontalAdvance(t) for t in texts), default=0.0)


def arrange(
    width: float,
    height: float,
    n_heads: int,
    query_tokens: tuple[str, ...],
    key_tokens: tuple[str, ...],
    font_scale: float,
) -> HeadsLayout:
    """The layout of ``n_heads`` maps (queries × keys) in a ``width`` × ``height`` px panel, with
    the titles in the language in use (see :func:`_arrange`)."""
    return _arrange(width, height, n_heads, query_tokens, key_tokens, font_scale, language())


@lru_cache(maxsize=64)
def _arrange(
    width: float,
    height: float,
    n_heads: int,
    query_tokens: tuple[str, ...],
    key_tokens: tuple[str, ...],
    font_scale: float,
    _language: str,  # the titles' words: a new language lays them out again
) -> HeadsLayout:
    """The layout of ``n_heads`` maps (queries × keys) in a ``width`` × ``height`` px panel.

    Tries label sizes from large to small and takes the first whose labels fit
    one per token; when none does, the smallest size labels every few tokens.
    """
    sizes = sorted({max(6, round(size * font_scale)) for size in LABEL_SIZES}, reverse=True)
    for size in sizes:
        fit = _best_fit(width, height, n_heads, query_tokens, key_tokens, size)
        line = QFontMetricsF(label_font(size)).height()
        if fit.pitch >= line:
            return _place(width, n_heads, query_tokens, key_tokens, size, fit, 1)
    step = max(1, math.ceil(line / max(fit.pitch, 1.0)))  # the smallest size, every few tokens
    return _place(width, n_heads, query_tokens, key_tokens, sizes[-1], fit, step)


def _parts(
    size: int, n_heads: int, query_tokens: Sequence[str], key_tokens: Sequence[str]
) -> dict[str, float]:
    """The fixed pixel sizes around the maps for label size ``size``."""
    label = label_font(size)
    title = label_font(size + 1, bold=True)
    line = QFontMetricsF(label).height()
    tick_w = _advance(label, [format_number(v) for v in BAR_TICKS])
    return {
        "line": line,
        "row_w": _advance(label, query_tokens) + LABEL_PAD,
        "key_w": _advance(label, key_tokens),
        "title_w": _advance(title, [_title(h) for h in range(n_heads)]),
        "title_h": QFontMetricsF(title).height() + 2 * FRAME,
        "tick_w": tick_w,
        "bar_right_w": GAP + BAR + LABEL_PAD + tick_w,  # vertical bar, tick values to its right
        "bar_below_h": GAP + BAR + 2 + line,  # horizontal bar, tick values under it
        "alpha_w": QFontMetricsF(title).horizontalAdvance("α") + LABEL_PAD,
    }


def _best_fit(
    width: float, height: float, n_heads: int, queries: Sequence[str], keys: Sequence[str], size: int
) -> _Fit:
    """The grid (columns, where the bar goes, key labels upright or rotated) with the largest cells."""
    p = _parts(size, n_heads, queries, keys)
    n_q, n_k = len(queries), len(keys)
    inner_w, inner_h = width - 2 * MARGIN, height - 2 * MARGIN
    best = _Fit(0.0, 1, True, True)
    for columns in range(1, n_heads + 1):
        rows = math.ceil(n_heads / columns)
        if columns > 1 and math.ceil(n_heads / (columns - 1)) == rows:
            continue  # the same number of rows with fewer columns is never worse
        for bar_right in (True, False):
            for rotated in (False, True):
                header = (p["key_w"] if rotated else p["line"]) + LABEL_PAD
                fixed_w = p["row_w"] + (columns - 1) * GAP + (p["bar_right_w"] if bar_right else 0.0)
                fixed_h = header + rows * p["title_h"] + (rows - 1) * GAP
                fixed_h += 0.0 if bar_right else p["bar_below_h"]
                room_w = inner_w - fixed_w
                if room_w < columns * p["title_w"]:
                    continue  # the titles alone do not fit side by side
                pitch = min(room_w / (columns * n_k), (inner_h - fixed_h) / (rows * n_q), MAX_PITCH)
                if not rotated and pitch < p["key_w"] + 2:
                    continue  # upright key labels need a cell as wide as the longest key
                pitch = math.floor(pitch) if pitch >= 12 else pitch  # whole pixels: equal, crisp cells
                maps_w = columns * max(n_k * pitch, p["title_w"]) + (columns - 1) * GAP
                if not bar_right and maps_w < p["alpha_w"] + 3 * p["tick_w"] + 8:
                    continue  # too narrow for the bar and its three values underneath
                if pitch > best.pitch + 1e-9:
                    best = _Fit(pitch, columns, bar_right, rotated)
    return best


def _title(head: int) -> str:
    return _("head {head}").format(head=head + 1)


def _place(
    width: float,
    n_heads: int,
    queries: Sequence[str],
    keys: Sequence[str],
    size: int,
    fit: _Fit,
    step: int,
) -> HeadsLayout:
    p = _parts(size, n_heads, queries, keys)
    pitch, columns = max(fit.pitch, 0.5), fit.columns
    rows = math.ceil(n_heads / columns)
    n_q, n_k = len(queries), len(keys)
    slot_w = max(n_k * pitch, p["title_w"])
    header = (p["key_w"] if fit.rotated else p["line"]) + LABEL_PAD
    grid_w = p["row_w"] + columns * slot_w + (columns - 1) * GAP
    content_w = grid_w + (p["bar_right_w"] if fit.bar_right else 0.0)
    left = max(MARGIN, round((width - content_w) / 2))  # centred across, from the top down
    x_maps = [left + p["row_w"] + c * (slot_w + GAP) + (slot_w - n_k * pitch) / 2 for c in range(columns)]
    y_maps = [MARGIN + header + (r + 1) * p["title_h"] + r * (n_q * pitch + GAP) for r in range(rows)]
    maps = tuple(QPointF(x_maps[h % columns], y_maps[h // columns]) for h in range(n_heads))
    titles = tuple(
        Placed(
            _title(h),
            QRectF(
                left + p["row_w"] + (h % columns) * (slot_w + GAP),
                y_maps[h // columns] - p["title_h"] - (header if h < columns else 0.0),
                slot_w,
                p["title_h"] - 2 * FRAME,  # clear of the frame below it
            ),
            size + 1,
            bold=True,
        )
        for h in range(n_heads)
    )
    labels: list[Placed] = []
    ticks: list[QLineF] = []
    line = p["line"]
    x_label_end = left + p["row_w"] - LABEL_PAD
    for y in y_maps:  # query tokens left of each row of maps
        for i in range(0, n_q, step):
            middle = y + (i + 0.5) * pitch
            labels.append(
                Placed(
                    queries[i],
                    QRectF(left, middle - line / 2, p["row_w"] - LABEL_PAD, line),
                    size,
                    align="right",
                )
            )
            if step > 1:
                ticks.append(QLineF(x_label_end + 1, middle, x_maps[0] - 1, middle))
    for x in x_maps[: min(columns, n_heads)]:  # key tokens above the first row of maps
        for j in range(0, n_k, step):
            if step > 1:
                middle = x + (j + 0.5) * pitch
                ticks.append(QLineF(middle, y_maps[0] - LABEL_PAD + 1, middle, y_maps[0] - 1))
            if fit.rotated:
                box = QRectF(x + (j + 0.5) * pitch - line / 2, y_maps[0] - header, line, header - LABEL_PAD)
                labels.append(Placed(keys[j], box, size, rotated=True, align="bottom"))
            else:
                box = QRectF(x + j * pitch, y_maps[0] - header, pitch, line)
                labels.append(Placed(keys[j], box, size))
    grid_bottom = y_maps[-1] + n_q * pitch
    bar, bar_texts = _bar(p, size, fit.bar_right, left, grid_w, y_maps[0], grid_bottom)
    extent = QRectF(left, MARGIN, content_w, max(grid_bottom, bar.bottom() + line + 2) - MARGIN)
    return HeadsLayout(
        pitch,
        columns,
        maps,
        (n_k * pitch, n_q * pitch),
        titles,
        tuple(labels),
        bar,
        fit.bar_right,
        bar_texts,
        step,
        tuple(ticks),
        extent,
    )


def _bar(
    p: dict[str, float], size: int, right: bool, left: float, grid_w: float, top: float, bottom: float
) -> tuple[QRectF, tuple[Placed, ...]]:
    """The α colour bar right of the maps (upright) or under them (across), with its ticks."""
    line = p["line"]
    tick_w, title_h, alpha_w = p["tick_w"], p["title_h"], p["alpha_w"]
    texts: list[Placed] = []
    if right:
        x = left + grid_w + GAP
        length = max(3 * line, min(bottom - top, max(120.0, (bottom - top) / 2)))
        bar = QRectF(x, top, BAR, length)
        texts.append(
            Placed(
                "α",
                QRectF(x + BAR / 2 - alpha_w / 2, top - line / 2 - title_h, alpha_w, title_h),
                size + 1,
                bold=True,
            )
        )
        for value in BAR_TICKS:
            y = bar.bottom() - value * length
            box = QRectF(bar.right() + LABEL_PAD, y - line / 2, tick_w, line)
            texts.append(Placed(format_number(value), box, size, align="left"))
        return bar, tuple(texts)
    x0 = left + p["row_w"]
    length = min(grid_w - p["row_w"] - p["alpha_w"], 240.0)
    bar = QRectF(x0 + p["alpha_w"], bottom + GAP, length, BAR)
    alpha = QRectF(x0, bar.center().y() - title_h / 2, p["alpha_w"], title_h)
    texts.append(Placed("α", alpha, size + 1, bold=True))
    for value, align in zip(BAR_TICKS, ("left", "center", "right"), strict=True):
        # The end values sit inside the bar's ends, clear of the "α" before it.
        x = {"left": bar.left(), "center": bar.center().x() - tick_w / 2, "right": bar.right() - tick_w}[
            align
        ]
        texts.append(
            Placed(format_number(value), QRectF(x, bar.bottom() + 2, tick_w, line), size, align=align)
        )
    return bar, tuple(texts)
