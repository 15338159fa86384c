"""One colour per head, up to 16, that reads on the light and the dark theme alike.

The hues are spaced evenly in OKLCH at two lightnesses (0.62 and 0.70, chroma
0.15) and ordered so that neighbouring heads are far apart on the hue circle:
heads 1 and 2 are never two blues. Every colour keeps a contrast of at least
2.4:1 against both theme backgrounds, so a line at full opacity stands out on
either (tests/qt/head_view/test_colours.py checks it).
"""

from __future__ import annotations

from PySide6.QtGui import QColor

__all__ = ["HEAD_COLOURS", "chip_text_colour", "head_colour"]

HEAD_COLOURS = (
    "#2f8adc",
    "#e87d43",
    "#009eb1",
    "#e87296",
    "#00a166",
    "#c47edb",
    "#848f00",
    "#7f96fb",
    "#be7200",
    "#00afe6",
    "#d15c56",
    "#00bba6",
    "#bf5da2",
    "#6eb452",
    "#8e71d6",
    "#bf9a00",
)


def head_colour(head: int) -> str:
    """The colour of head ``head`` (0-based); beyond 16 heads the colours repeat."""
    return HEAD_COLOURS[head % len(HEAD_COLOURS)]


def _luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def chip_text_colour(fill: str) -> QColor:
    """Black or white, whichever contrasts more with ``fill`` (a chip's label on its head's colour)."""
    lum = _luminance(QColor(fill))
    return QColor("#000000") if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else QColor("#ffffff")
