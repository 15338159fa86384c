"""What an SVG still needs beyond what Qt's SVG generator writes, to render alike everywhere.

Browsers (Chromium) and librsvg read a few things in Qt's SVG otherwise than
Qt's own raster painter draws them; each rule below rewrites one of them, so
the SVG still shows what the PNG still of the same frame shows
(tests/export/test_svg_engines.py compares them).
"""

from __future__ import annotations

import re

from PySide6.QtGui import QFont, QFontInfo

# QSvgGenerator gives the size in mm at its resolution: at 96 dpi, the CSS pixel's,
# the frame's width and height in pixels are the SVG's (at Qt's default 72 dpi a
# 960 × 540 still opened at 1280 × 720 in Chromium and librsvg).
CSS_DPI = 96

_NUMBER = r'"(-?[\d.]+(?:e[-+]?\d+)?)"'
_RECT = re.compile(rf"<rect x={_NUMBER} y={_NUMBER} width={_NUMBER} height={_NUMBER}/>")
_FAMILY = re.compile(r'font-family="([^"]*)"')


def portable(svg: str) -> str:
    """``svg`` as Qt wrote it, rewritten to render in other programs as Qt draws it."""
    return _flat_rects_as_lines(_crisp_edges(_fonts_with_fallback(svg)))


def _fonts_with_fallback(svg: str) -> str:
    """Each font as the family Qt drew with, then the asked name, then ``sans-serif``.

    Qt writes the family it was asked for: "Sans Serif", a name only fontconfig's
    rules turn into a sans font (without them Chromium and librsvg fell back to
    a serif, as browsers on other systems do).
    """
    named = {}
    for asked in set(_FAMILY.findall(svg)):
        used = QFontInfo(QFont(asked)).family()
        named[asked] = ", ".join(dict.fromkeys(name for name in (used, asked, "sans-serif") if name))
    return _FAMILY.sub(lambda match: f'font-family="{named[match.group(1)]}"', svg)


def _crisp_edges(svg: str) -> str:
    """Shapes without antialiasing, as the panels paint cells: 1 px gaps between cells stay crisp."""
    return svg.replace("<svg ", '<svg shape-rendering="crispEdges" ', 1)


def _flat_rects_as_lines(svg: str) -> str:
    """A rectangle of zero width or height as a line.

    SVG draws no such <rect>, not even its outline, where Qt strokes it as a
    line: the step's outline of a bar of α = 0 vanished in Chromium and librsvg.
    """

    def line(match: re.Match[str]) -> str:
        x, y, width, height = (float(value) for value in match.groups())
        if width and height:
            return match.group(0)
        return f'<path d="M{x:g},{y:g} L{x + width:g},{y + height:g}"/>'

    return _RECT.sub(line, svg)
