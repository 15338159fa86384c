"""The head view's lines rasterised with NumPy: antialiased, each as opaque as its α.

Qt's raster engine blends an antialiased line a pixel at a time, ~24 µs a line
in the head view's layer: 12 heads × 400 lines took 115 ms, the model's limits
(16 heads × 64 × 64) 1.6 s. Every line here runs from one column (the queries)
to another (the keys), so all of one head's lines are sampled at once: once a
pixel along the line's long axis, each sample shared by the two pixels it falls
between (Wu's antialiasing, as Qt's). The lines of one head have one colour, so
laid over one another they cover a pixel 1 − Π(1 − a·c), whatever their order:
a sum of logarithms, one ``bincount``. No Qt here: arrays in, arrays out.
"""

from __future__ import annotations

import numpy as np

__all__ = ["lines_alpha", "premultiplied_argb"]

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

# Samples: (index of the first pixel, offset to the second, place towards it in 1/SUB, each line's code).
Samples = tuple[np.ndarray, int, np.ndarray, np.ndarray]


def lines_alpha(
    y_from: np.ndarray,
    y_to: np.ndarray,
    levels: np.ndarray,
    x_from: float,
    x_to: float,
    shape: Shape,
) -> np.ndarray:
    """Coverage (rows, cols) in [0, 1] of lines from (x_from, y_from[k]) to (x_to, y_to[k]), one colour.

    ``levels``: each line's alpha byte (1‥255). Coordinates are pixels, (0, 0) the
    image's top left corner; a pixel's centre is at +0.5. Lines must lie inside.
    """
    rows, cols = shape
    clear = np.zeros(rows * cols)  # Σ log(1 − a·c) per pixel
    span = x_to - x_from
    if len(levels) == 0 or span <= 0:
        return np.zeros(shape, np.float32)
    steep = np.abs(y_to - y_from) > span
    codes = np.asarray(levels, np.intp) * (SUB + 1)
    for along, chosen in ((_along_columns, ~steep), (_along_rows, steep)):
        ends, code = (y_from[chosen], y_to[chosen]), codes[chosen]
        block = max(1, BLOCK_SAMPLES // max(shape))
        for start in range(0, len(code), block):
            part = slice(start, start + block)
            first, step, place, level = along(ends[0][part], ends[1][part], code[part], x_from, x_to, shape)
            clear += np.bincount(first, _LOG_CLEAR[level + SUB - place], minlength=rows * cols)
            second = np.bincount(first, _LOG_CLEAR[level + place], minlength=rows * cols)
            clear[step:] += second[:-step]
    return (-np.expm1(clear)).astype(np.float32).reshape(shape)


def _fixed(position: np.ndarray) -> np.ndarray:
    """Pixel coordinates in 1/SUB from the pixel centres (≥ 0: the lines lie inside), rounded."""
    return np.asarray(position * SUB - (SUB / 2 - 0.5), np.float32).astype(np.int32)


def _along_columns(
    y_from: np.ndarray, y_to: np.ndarray, codes: np.ndarray, x_from: float, x_to: float, shape: Shape
) -> Samples:
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
    place = (y & (SUB - 1)).ravel()
    return first, cols, place, np.repeat(codes, len(columns))


def _along_rows(
    y_from: np.ndarray, y_to: np.ndarray, codes: np.ndarray, x_from: float, x_to: float, shape: Shape
) -> Samples:
    """A sample in every row a steep line crosses, shared by the pixel left and the one right."""
    rows, cols = shape
    low, high = np.minimum(y_from, y_to), np.maximum(y_from, y_to)
    start = np.clip(np.ceil(low - 0.5), 0, rows).astype(np.intp)  # rows whose centres lie on the line
    counts = np.maximum(np.clip(np.floor(high - 0.5) + 1, 0, rows).astype(np.intp) - start, 0)
    line = np.repeat(np.arange(len(codes)), counts)
    row = np.arange(len(line)) - np.repeat(np.cumsum(counts) - counts, counts) + start[line]
    t = (row + 0.5 - y_from[line]) / (y_to - y_from)[line]  # steep: y_to ≠ y_from
    x = _fixed(x_from + t * (x_to - x_from))
    column = np.minimum(x >> SUB_BITS, cols - 2).astype(np.intp)
    return row * cols + column, 1, x & (SUB - 1), codes[line]


def premultiplied_argb(rgb: tuple[int, int, int], cover: np.ndarray) -> np.ndarray:
    """``cover`` (rows, cols) of colour ``rgb`` as uint32 0xAARRGGBB premultiplied pixels.

    The pixels of a QImage in Format_ARGB32_Premultiplied (words, so any byte order).
    """
    alpha = np.rint(cover * 255).astype(np.uint32)
    word: np.ndarray = alpha << 24
    for shift, channel in zip((16, 8, 0), rgb, strict=True):
        # Each channel from the rounded alpha: never above it, as a premultiplied pixel must be.
        word |= (alpha * channel + 127) // 255 << shift
    return word
