"""Helpers for the export tests: synthetic frames and a small PNG reader.

Import as ``from export_helpers import ...`` (tests/export is on sys.path, as pytest's
default import mode puts each test folder there; tests/qt has its own ``helpers``).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

import numpy as np

WIDTH, HEIGHT = 64, 48


def make_frame(k: int, width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """Frame ``k``: red encodes the frame number, green and blue are gradients (so rows differ)."""
    frame = np.empty((height, width, 3), np.uint8)
    frame[..., 0] = (k * 16) % 256
    frame[..., 1] = (np.arange(width) * 255 // max(1, width - 1))[None, :]
    frame[..., 2] = (np.arange(height) * 255 // max(1, height - 1))[:, None]
    return frame


def make_frames(n: int, width: int = WIDTH, height: int = HEIGHT) -> Iterator[np.ndarray]:
    for k in range(n):
        yield make_frame(k, width, height)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def read_png(data: bytes) -> np.ndarray:
    """Decode an 8-bit RGB, non-interlaced PNG (what the frames writer makes) with zlib alone.

    Independent of ffmpeg on purpose: the test checks ffmpeg's PNGs, not ffmpeg against itself.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert (depth, colour, interlace) == (8, 2, 0), header
    raw = zlib.decompress(idat)
    stride, bpp = width * 3, 3
    out = np.zeros((height, stride), np.uint8)
    prev = [0] * stride
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = list(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            c = prev[x - bpp] if x >= bpp else 0
            b = prev[x]
            predictor = (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]
            line[x] = (line[x] + predictor) & 0xFF
        out[y] = line
        prev = line
    return out.reshape(height, width, 3)
