"""What an SVG still needs beyond what Qt's SVG generator writes, to render alike everywhere.

Browsers (Chromium) and librsvg read a few things in Qt's SVG otherwise than
Qt's own raster painter draws them; each rule below rewrites one of them, so
the SVG still shows what the PNG still of the same frame shows
(tests/export/test_svg_engines.py compares them).
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QFontInfo, QPainterPath
from PySide6.QtWidgets import QApplication

# QSvgGenerator gives the size in mm at its resolution: at 96 dpi, the CSS pixel's,
# the frame's width and height in pixels are the SVG's (at Qt's default 72 dpi a
# 960 × 540 still opened at 1280 × 720 in Chromium and librsvg).
CSS_DPI = 96

_NUMBER = r'"(-?[\d.]+(?:e[-+]?\d+)?)"'
_RECT = re.compile(rf"<rect x={_NUMBER} y={_NUMBER} width={_NUMBER} height={_NUMBER}/>")
_FAMILY = re.compile(r'font-family="([^"]*)"')
_TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
# Hangul (syllables and jamo), kana, CJK ideographs and punctuation, full-width forms.
_CJK = re.compile("[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uff00-\uffef]")


def portable(svg: str) -> str:
    """``svg`` as Qt wrote it, rewritten to render in other programs as Qt draws it."""
    return cjk_text_as_paths(_flat_rects_as_lines(_crisp_edges(_fonts_with_fallback(svg))))


def cjk_text_as_paths(svg: str) -> str:
    """Each <text> with Hangul, kana or kanji in it as the outline Qt draws it with the shipped font.

    A viewer draws <text> with its own fonts: without a CJK font those words were
    boxes, while the PNG of the same frame drew them. As paths they look the same
    everywhere (they can no longer be selected as text; Latin-only text stays text).
    """
    return _TEXT.sub(_as_path, svg) if _CJK.search(svg) else svg


def _as_path(match: re.Match[str]) -> str:
    attributes, content = match.group(1), html.unescape(match.group(2))
    if not _CJK.search(content):
        return match.group(0)
    value = dict(_ATTRIBUTE.findall(attributes))
    font = QFont(QApplication.font())  # the families the window draws with, the CJK one behind
    font.setPixelSize(max(1, round(float(value.get("font-size", "12")))))
    font.setWeight(QFont.Weight(int(value.get("font-weight", "400"))))
    font.setItalic(value.get("font-style") == "italic")
    outline = QPainterPath()
    outline.addText(QPointF(float(value.get("x", "0")), float(value.get("y", "0"))), font, content)
    fill = value.get("fill", "#000000")
    opacity = value.get("fill-opacity", "1")
    # Smooth, as text is drawn: the SVG's crisp edges are for the cells' gaps. The words stay
    # in a <title>: what a screen reader says, and what a search of the file finds.
    return (
        f'<path fill="{fill}" fill-opacity="{opacity}" stroke="none" shape-rendering="geometricPrecision" '
        f'd="{_path_data(outline)}"><title>{html.escape(content, quote=False)}</title></path>'
    )


def _path_data(path: QPainterPath) -> str:
    """SVG path data of ``path``: moves, lines and cubic curves, to 2 decimals."""
    parts: list[str] = []
    index, count = 0, path.elementCount()
    while index < count:
        element = path.elementAt(index)
        if element.type == QPainterPath.ElementType.CurveToElement:
            points = [path.elementAt(index + k) for k in range(3)]
            parts.append("C" + " ".join(f"{p.x:.2f},{p.y:.2f}" for p in points))
            index += 3
            continue
        letter = "M" if element.type == QPainterPath.ElementType.MoveToElement else "L"
        parts.append(f"{letter}{element.x:.2f},{element.y:.2f}")
        index += 1
    return "".join(parts) + "Z" if parts else ""


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
