"""The head view's lines rasterised with NumPy: antialiased, each as opaque as its α.

Qt's raster engine blends an antialiased line a pixel at a time, ~24 µs a line
in the head view's layer: 12 heads × 400 lines took 115 ms; the model's limits
(16 heads × 64 × 64) would take ~1.6 s. Every line here runs from one column (the queries)
to another (the keys), so all lines are sampled at once, once a pixel along
their long axis, each sample shared by the two pixels it falls between (Wu's
antialiasing, as Qt's); every head draws the same pairs, so the samples serve
them all. The lines of one head have one colour, so laid over one another they
cover a pixel 1 − Π(1 − a·c), whatever their order: a sum of logarithms, one
``bincount``. No Qt here: arrays in, arrays out.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["LineSamples", "Paint", "coverage", "lines_alpha", "painted", "premultiplied_argb", "sample_lines"]

Shape = tuple[int, int]  # (rows, cols)
SUB_BITS = 5
SUB = 1 << SUB_BITS  # a sample's place in 1/32 of a pixel: finer than a byte of alpha shows once scaled
_LEVELS, _SHARES = np.meshgrid(np.arange(256) / 255, np.arange(SUB + 1) / SUB, indexing="ij")
# log(1 − a·c) for alpha byte a and share c = k/SUB at index a·(SUB + 1) + k; capped short of log(0).
_LOG_CLEAR = np.log1p(-np.minimum(_LEVELS * _SHARES, 1 - 1e-6)).ravel()

# Lines are sampled in blocks of about this many samples: their arrays (~1 MB) come from malloc's heap.
# Larger ones are mapped afresh from the system on every call, a page fault per 4 KB: at the
# limits (4,096 lines a head) 5,800 faults doubled the time.
BLOCK_SAMPLES = 1 << 17

# A block of samples: (index of each one's first pixel, offset to its second, and where each one's
# shares of them are in a table of SUB + 1 entries a line: line · (SUB + 1) + share in 1/SUB).
Block = tuple[np.ndarray, int, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class LineSamples:
    """Where lines fall on an image of ``shape``, whatever their opacity: kept while the layout stays.

    Every head draws the same pairs between the same rows, so the samples are made
    once and each head only looks up its opacities (:func:`coverage`).
    """

    shape: Shape
    blocks: tuple[Block, ...]

    @property
    def count(self) -> int:
        """How many samples there are."""
        return sum(len(block[0]) for block in self.blocks)


def sample_lines(
    y_from: np.ndarray, y_to: np.ndarray, x_from: float, x_to: float, shape: Shape
) -> LineSamples:
    """Lines from (x_from, y_from[k]) to (x_to, y_to[k]), sampled once a pixel along their long axis.

    Coordinates are pixels, (0, 0) the image's top left corner; a pixel's centre is
    at +0.5. Lines must lie inside.
    """
    if x_to - x_from <= 0:
        return LineSamples(shape, ())
    steep = np.abs(y_to - y_from) > x_to - x_from
    blocks = []
    for along, chosen in ((_along_columns, ~steep), (_along_rows, steep)):
        lines = np.flatnonzero(chosen)
        per_block = max(1, BLOCK_SAMPLES // max(shape))
        for start in range(0, len(lines), per_block):
            part = lines[start : start + per_block]
            blocks.append(along(y_from[part], y_to[part], part, x_from, x_to, shape))
    return LineSamples(shape, tuple(blocks))


# One colour's lines: each line's alpha byte, the colour (r, g, b), and how many rows down its lines lie.
Paint = tuple[np.ndarray, tuple[int, int, int], int]


def painted(samples: LineSamples, paints: Sequence[Paint]) -> list[np.ndarray]:
    """Each paint's lines on a clear layer, as premultiplied ARGB words (rows, cols).

    Byte 0 draws nothing. Lines of one colour laid over one another cover
    1 − Π(1 − a·c). Two cores share a large task, a colour each, or every other
    block of one colour's samples: NumPy lets go of the GIL in its loops (1.5× at
    the limits). A small one (a hovered token's lines) is quicker on one.
    """
    blocks, shape = samples.blocks, samples.shape
    if samples.count * len(paints) < 2 * BLOCK_SAMPLES:
        return [_paint(blocks, paint, shape) for paint in paints]
    if len(paints) == 1:
        ((levels, rgb, shift),) = paints
        table = _table(levels)
        halves = _WORKERS.map(_log_clear, (blocks[0::2], blocks[1::2]), (table, table), (shape, shape))
        return [_pixels(np.add(*halves), rgb, shift, shape)]
    return list(_WORKERS.map(_paint, [blocks] * len(paints), paints, [shape] * len(paints)))


_WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="head-view-lines")


def coverage(samples: LineSamples, levels: np.ndarray) -> np.ndarray:
    """Coverage (rows, cols) in [0, 1] of the sampled lines in one colour, line k at byte ``levels[k]``."""
    return _cover(_log_clear(samples.blocks, _table(levels), samples.shape), samples.shape)


def _log_clear(blocks: Sequence[Block], table: np.ndarray, shape: Shape) -> np.ndarray:
    """Σ log(1 − a·c) per pixel over the samples of ``blocks``, flat; ``table`` from :func:`_table`."""
    pixels = shape[0] * shape[1]
    clear = np.zeros(pixels)
    for first, step, near, far in blocks:
        clear += np.bincount(first, table[near], minlength=pixels)
        clear[step:] += np.bincount(first, table[far], minlength=pixels)[:-step]
    return clear


def _table(levels: np.ndarray) -> np.ndarray:
    """log(1 − a·c) of each line's alpha byte a at each share c in 1/SUB: (lines · (SUB + 1),).

    The samples keep where their shares are in it, so a head's colour costs one
    look-up a sample: the lines' bytes are the only thing that differs per head.
    """
    return np.asarray(_LOG_CLEAR.reshape(256, SUB + 1)[np.asarray(levels, np.intp)].ravel())


def _paint(blocks: Sequence[Block], paint: Paint, shape: Shape) -> np.ndarray:
    levels, rgb, shift = paint
    return _pixels(_log_clear(blocks, _table(levels), shape), rgb, shift, shape)


def _cover(clear: np.ndarray, shape: Shape) -> np.ndarray:
    cover: np.ndarray = -np.expm1(clear).reshape(shape)
    return cover


def _pixels(clear: np.ndarray, rgb: tuple[int, int, int], shift: int, shape: Shape) -> np.ndarray:
    return premultiplied_argb(rgb, np.roll(_cover(clear, shape), shift, axis=0))


def lines_alpha(
    y_from: np.ndarray, y_to: np.ndarray, levels: np.ndarray, x_from: float, x_to: float, shape: Shape
) -> np.ndarray:
    """Coverage of lines from (x_from, y_from[k]) to (x_to, y_to[k]) at alpha bytes ``levels``, one colour."""
    return coverage(sample_lines(y_from, y_to, x_from, x_to, shape), levels)


def _along_columns(
    y_from: np.ndarray, y_to: np.ndarray, lines: np.ndarray, x_from: float, x_to: float, shape: Shape
) -> Block:
    """A sample in every column the lines cross, shared by the pixel above and the one below."""
    rows, cols = shape
    columns = np.arange(max(0, int(np.floor(x_from))), min(cols, int(np.ceil(x_to))))  # every one touched
    t = np.asarray(np.clip((columns + 0.5 - x_from) / (x_to - x_from), 0, 1), np.float32)
    # In float32 and 1/SUB pixels from the start: a third of float64's time on 64 × 64 lines.
    start = np.asarray(y_from * SUB - (SUB / 2 - 0.5), np.float32)
    rise = np.asarray((y_to - y_from) * SUB, np.float32)
    y = (start[:, None] + rise[:, None] * t[None, :]).astype(np.int32)
    row = np.minimum(y >> SUB_BITS, rows - 2).astype(np.intp)
    first = (row * cols + columns[None, :]).ravel()
    return first, cols, *_shares(np.repeat(lines, len(columns)), (y & (SUB - 1)).ravel())


def _along_rows(
    y_from: np.ndarray, y_to: np.ndarray, lines: np.ndarray, x_from: float, x_to: float, shape: Shape
) -> Block:
    """A sample in every row a steep line crosses, shared by the pixel left and the one right."""
    rows, cols = shape
    low, high = np.minimum(y_from, y_to), np.maximum(y_from, y_to)
    start = np.clip(np.ceil(low - 0.5), 0, rows).astype(np.intp)  # rows whose centres lie on the line
    counts = np.maximum(np.clip(np.floor(high - 0.5) + 1, 0, rows).astype(np.intp) - start, 0)
    line = np.repeat(np.arange(len(lines)), counts)
    row = np.arange(len(line)) - np.repeat(np.cumsum(counts) - counts, counts) + start[line]
    t = (row + 0.5 - y_from[line]) / (y_to - y_from)[line]  # steep: y_to ≠ y_from
    x = np.asarray((x_from + t * (x_to - x_from)) * SUB - (SUB / 2 - 0.5), np.float32).astype(np.int32)
    column = np.minimum(x >> SUB_BITS, cols - 2).astype(np.intp)
    return row * cols + column, 1, *_shares(lines[line], x & (SUB - 1))


def _shares(line: np.ndarray, place: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each sample's shares of its first and second pixel are in a :func:`_table`."""
    base = line * (SUB + 1)
    return base + (SUB - place), base + place


def premultiplied_argb(rgb: tuple[int, int, int], cover: np.ndarray) -> np.ndarray:
    """``cover`` (rows, cols) of colour ``rgb`` as uint32 0xAARRGGBB premultiplied pixels.

    The pixels of a QImage in Format_ARGB32_Premultiplied (words, so any byte order).
    """
    alpha = np.rint(cover * 255).astype(np.uint8)
    words: np.ndarray = _argb_words(rgb)[alpha]
    return words


@lru_cache(maxsize=32)
def _argb_words(rgb: tuple[int, int, int]) -> np.ndarray:
    """The premultiplied pixel of ``rgb`` at each alpha byte: one look-up a pixel, not a sum of shifts."""
    alpha = np.arange(256, dtype=np.uint32)
    words = alpha << 24
    for shift, channel in zip((16, 8, 0), rgb, strict=True):
        # Each channel from the rounded alpha: never above it, as a premultiplied pixel must be.
        words |= (alpha * channel + 127) // 255 << shift
    return words
