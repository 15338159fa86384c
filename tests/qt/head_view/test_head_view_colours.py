"""One colour per head: 16 distinct, each standing out on both themes' backgrounds."""

from __future__ import annotations

import itertools
import math

from PySide6.QtGui import QColor

from explainer.qt.head_view import HEAD_COLOURS, head_colour
from explainer.qt.style import DARK, LIGHT


def linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    q = QColor(colour)
    return 0.2126 * linear(q.redF()) + 0.7152 * linear(q.greenF()) + 0.0722 * linear(q.blueF())


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_sixteen_heads_have_sixteen_colours():
    assert len({head_colour(h) for h in range(16)}) == 16


def test_every_head_colour_stands_out_on_both_themes():
    for colour in HEAD_COLOURS:
        assert contrast(colour, LIGHT.background) >= 2.4, colour
        assert contrast(colour, DARK.background) >= 2.4, colour


def oklab(colour: str) -> tuple[float, float, float]:
    """The colour in OKLab (Ottosson 2020): distances there follow how different colours look."""
    r, g, b = (linear(c) for c in QColor(colour).getRgbF()[:3])
    cone_l = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    cone_m = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    cone_s = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    return (
        0.2104542553 * cone_l + 0.7936177850 * cone_m - 0.0040720468 * cone_s,
        1.9779984951 * cone_l - 2.4285922050 * cone_m + 0.4505937099 * cone_s,
        0.0259040371 * cone_l + 0.7827717662 * cone_m - 0.8086757660 * cone_s,
    )


def test_no_two_head_colours_look_alike():
    # 0.02 in OKLab is about the least difference one notices; four times that is plain to see.
    for a, b in itertools.combinations(HEAD_COLOURS, 2):
        assert math.dist(oklab(a), oklab(b)) >= 0.08, (a, b)
