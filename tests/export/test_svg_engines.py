"""An SVG still renders as the PNG still of the same frame in Chromium and in librsvg.

The SVG is rasterised by headless Chromium (as a browser or a web slide deck
shows it) and by rsvg-convert (librsvg, as GNOME, Inkscape's import and many
converters draw it), and each raster is compared with the PNG still of the
same frame: over the whole frame after a small blur, and colour for colour at
known cells, along the colour bars and on the step's outlines of bars of α = 0.
``make test`` installs both programs
(scripts/ensure_system_deps.sh); without one, its half of the test skips.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt starts

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor, QImage

from explainer.animation import StepKind
from explainer.model import AttentionModel
from explainer.qt.items.matrix import MatrixItem
from explainer.qt.offscreen import FrameRenderer
from explainer.qt.panels.base import Panel
from explainer.qt.style import THEME_STYLES, diverging_for, weights_scale

SIZE = (960, 540)
RENDER_TIMEOUT_S = 60
# Whole-frame limits, on differences after a 3 × 3 box blur (0..255 per channel).
# Measured with Chromium 156 and librsvg 2.54 on these stills: mean 0.4-0.8 and
# 0.005-0.13 % of pixels beyond 48 (text antialiasing and hinting, 1 px shifts of
# a cell edge). The limits are about 3 times that; what they exist to catch
# measured far beyond them: the SVG at 4/3 of its size (mean 15, 13 %), every
# label in a serif fallback font (0.8-1.2 % beyond 48).
MEAN_LIMIT = 2.0
FAR_OFF = 48
FAR_OFF_SHARE_LIMIT = 0.005
# Colours at cell and colour-bar points: flat areas, so antialiasing does not
# reach them; the renderers differ from Qt by rounding only.
COLOUR_TOLERANCE = 4
# A thin outline, read at its own pixel: present (its colour, give or take
# antialiasing) or missing (the background: 150 or more away).
LINE_TOLERANCE = 60
# The colour bars are gradients of 9 stops (ColorBarItem): between stops, linear
# in RGB, they leave viridis by up to 18 (CET-CBD1: 9). The PNG is held to the
# colormap only to show the points are on the bars; the renderers, to the PNG.
GRADIENT_TOLERANCE = 20


@dataclass(frozen=True)
class Still:
    """One frame as a PNG and as an SVG, and what should be where in it."""

    name: str
    png: Path
    svg: Path
    cells: dict[str, tuple[QPoint, tuple[int, int, int]]]  # a point in a cell: its colormap colour
    bars: dict[str, tuple[QPoint, tuple[int, int, int]]]  # a point on a colour bar: its colour
    lines: dict[str, tuple[QPoint, tuple[int, int, int]]]  # near a bar of α = 0: its outline's colour


# (preset, panels, theme): the scores and softmax panels, with their colour bars, large;
# then every panel of the two-head causal preset in the dark theme.
STILLS = {
    "translate-scores-softmax-light": ("seed-translate", ("scores", "softmax"), "light"),
    "causal-all-dark": ("seed-causal", None, "dark"),
}


def _to_frame(panel: Panel, renderer: FrameRenderer, scene_point: QPointF) -> QPoint:
    """A scene point of ``panel`` as a pixel of the whole frame."""
    on_view = panel.view.mapFromScene(scene_point)
    return panel.view.mapTo(renderer.board, on_view)


def _cell_point(panel: Panel, renderer: FrameRenderer, item: MatrixItem, row: int, col: int) -> QPoint:
    # A quarter of a cell from its corner: clear of the gap around it and of its centred number.
    return _to_frame(panel, renderer, item.mapToScene(QPointF(col + 0.25, row + 0.25)))


def _plain(item: MatrixItem, row: int, col: int) -> bool:
    return not (item.step_lit[row, col] or item.focus_lit[row, col])


def _rgb(rgba: np.ndarray) -> tuple[int, int, int]:
    return int(rgba[0]), int(rgba[1]), int(rgba[2])


def _make_still(name: str, folder: Path) -> Still:
    preset, layout, theme = STILLS[name]
    model = AttentionModel.from_preset(preset)
    options = {"layout": layout} if layout else {}
    with FrameRenderer(model, size=SIZE, theme=theme, view="overview", **options) as renderer:
        timeline = renderer.timeline
        # The first weighted-sum step's start: scores and weights all shown, both colour bars.
        index = next(i for i, step in enumerate(timeline.steps) if step.kind == StepKind.WEIGHTED_SUM)
        when = timeline.start(index)
        png, svg = folder / f"{name}.png", folder / f"{name}.svg"
        renderer.save_png(when, png)
        renderer.save_svg(when, svg)
        trace, style = model.trace, THEME_STYLES[theme]
        scores, softmax = renderer.board.panels["scores"], renderer.board.panels["softmax"]
        head = scores.head(trace)
        values, masked, _title = scores.displayed(trace, renderer.player.state)
        score_scale = diverging_for(values[~masked], style)
        alpha_scale = weights_scale(style)
        cells = {}
        for i, j in [(0, 0), (1, 3), (3, 1), (2, 2), (3, 0), (1, 1)]:
            # Plain cells: a masked one is grey, not a colour of the scale; an outlined one
            # (the step's or the focus's) has its outline where the sample would go.
            if _plain(scores.matrix, i, j) and not masked[i, j]:
                point = _cell_point(scores, renderer, scores.matrix, i, j)
                cells[f"score({i}, {j})"] = (point, _rgb(score_scale.rgba(np.array([values[i, j]]))[0]))
            if _plain(softmax.matrix, i, j):
                point = _cell_point(softmax, renderer, softmax.matrix, i, j)
                weight = trace.weights[head, i, j]
                cells[f"α({i}, {j})"] = (point, _rgb(alpha_scale.rgba(np.array([weight]))[0]))
        bars = {}
        for panel, scale, label in ((scores, score_scale, "scores"), (softmax, alpha_scale, "α")):
            box = panel.colorbar.box
            for fraction in (0.1, 0.5, 0.9):  # of the way up the bar, low to high values
                point = QPointF(box.center().x(), box.bottom() - fraction * box.height())
                where = _to_frame(panel, renderer, panel.colorbar.mapToScene(point))
                value = scale.low + fraction * (scale.high - scale.low)
                colour = scale.qcolor(value)
                bars[f"{label} bar at {fraction:.0%}"] = (
                    where,
                    (colour.red(), colour.green(), colour.blue()),
                )
        lines = {}
        chart = softmax.bars  # the focused query's α as bars: the step outlines those it is about
        step_colour = QColor(style.step)
        for c in np.flatnonzero(chart.lit & (chart.values == 0)).tolist():
            where = _to_frame(softmax, renderer, chart.mapToScene(QPointF(c + 0.5, chart.height)))
            lines[f"outline of bar {c} (α = 0)"] = (
                where,
                (step_colour.red(), step_colour.green(), step_colour.blue()),
            )
    return Still(name, png, svg, cells, bars, lines)


@pytest.fixture(scope="module", params=list(STILLS))
def still(request, tmp_path_factory) -> Still:
    return _make_still(request.param, tmp_path_factory.mktemp("svg-still"))


# ---------------------------------------------------------------- the renderers
def rasterise_librsvg(svg: Path, out: Path) -> None:
    """rsvg-convert at the SVG's own size (96 dpi: its width and height in CSS pixels)."""
    subprocess.run(["rsvg-convert", "-o", str(out), str(svg)], check=True, timeout=RENDER_TIMEOUT_S)


def rasterise_chromium(svg: Path, out: Path) -> None:
    """Headless Chromium opening the SVG file, a window of the frame's size, screenshot."""
    width, height = SIZE
    profile = out.parent / f"{out.stem}-profile"  # never the user's own Chromium profile
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--disable-gpu",
            "--no-sandbox",  # as root (CI containers) Chromium refuses to start with its sandbox
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={out}",
            svg.resolve().as_uri(),
        ],
        check=True,
        timeout=RENDER_TIMEOUT_S,
        capture_output=True,  # D-Bus complaints of a machine without a session bus
    )
    shutil.rmtree(profile, ignore_errors=True)


ENGINES = {
    "librsvg": (shutil.which("rsvg-convert"), rasterise_librsvg, "rsvg-convert (Debian: librsvg2-bin)"),
    "chromium": (shutil.which("chromium"), rasterise_chromium, "chromium (Debian: chromium)"),
}


def read_rgb(path: Path) -> np.ndarray:
    image = QImage(str(path))
    assert not image.isNull(), f"cannot read {path}"
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, : width * 3].reshape(height, width, 3).astype(float)


def box_blur(pixels: np.ndarray) -> np.ndarray:
    """3 × 3 box blur: a glyph's antialiasing or a half-pixel edge averages out, a missing shape does not."""
    padded = np.pad(pixels, ((1, 1), (1, 1), (0, 0)), mode="edge")
    height, width = pixels.shape[:2]
    return sum(padded[dy : dy + height, dx : dx + width] for dy in range(3) for dx in range(3)) / 9


def colour_at(pixels: np.ndarray, point: QPoint) -> tuple[int, int, int]:
    """The mean colour of the 3 × 3 pixels around ``point``."""
    x, y = point.x(), point.y()
    patch = pixels[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3).mean(axis=0)
    red, green, blue = (round(float(channel)) for channel in patch)
    return red, green, blue


def pixel(pixels: np.ndarray, point: QPoint) -> tuple[int, int, int]:
    red, green, blue = (int(channel) for channel in pixels[point.y(), point.x()])
    return red, green, blue


def line_pixel(pixels: np.ndarray, point: QPoint, colour: tuple[int, int, int]) -> QPoint:
    """The pixel nearest ``colour`` within 4 px above or below ``point``: where a thin line runs."""
    column = pixels[point.y() - 4 : point.y() + 5, point.x()]
    nearest = int(np.argmin(np.abs(column - np.array(colour)).max(axis=1)))
    return QPoint(point.x(), point.y() - 4 + nearest)


def far(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int) -> bool:
    return any(abs(x - y) > tolerance for x, y in zip(a, b, strict=True))


# ---------------------------------------------------------------- the tests
def test_the_png_shows_the_colormap_where_the_comparison_looks(still: Still) -> None:
    """The points compared below are cells and colour bars (not background): the PNG has their colours."""
    png = read_rgb(still.png)
    assert png.shape == (SIZE[1], SIZE[0], 3)
    wrong = [
        f"{name}: PNG {colour_at(png, point)}, colormap {want}"
        for name, (point, want) in still.cells.items()
        if far(colour_at(png, point), want, COLOUR_TOLERANCE)
    ]
    wrong += [
        f"{name}: PNG {colour_at(png, point)}, colormap {want}"
        for name, (point, want) in still.bars.items()
        if far(colour_at(png, point), want, GRADIENT_TOLERANCE)
    ]
    for name, (point, want) in still.lines.items():
        seen = pixel(png, line_pixel(png, point, want))
        if far(seen, want, LINE_TOLERANCE):
            wrong.append(f"{name}: PNG {seen} nearest the step's colour {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("engine", list(ENGINES))
def test_the_svg_renders_as_the_png(still: Still, engine: str, tmp_path: Path) -> None:
    binary, rasterise, package = ENGINES[engine]
    if binary is None:
        pytest.skip(f"{package} is not installed (make test installs it)")
    raster = tmp_path / f"{still.name}-{engine}.png"
    rasterise(still.svg, raster)
    png, drawn = read_rgb(still.png), read_rgb(raster)
    assert drawn.shape == png.shape, f"{engine} drew the SVG at {drawn.shape[1]}×{drawn.shape[0]}, not {SIZE}"
    difference = np.abs(box_blur(png) - box_blur(drawn))
    mean, far_off = float(difference.mean()), float((difference.max(axis=2) > FAR_OFF).mean())
    assert mean < MEAN_LIMIT, f"{engine}: mean difference {mean:.2f} (limit {MEAN_LIMIT})"
    assert far_off < FAR_OFF_SHARE_LIMIT, (
        f"{engine}: {far_off:.2%} of pixels far off (limit {FAR_OFF_SHARE_LIMIT:.1%})"
    )
    wrong = [
        f"{name}: {engine} {colour_at(drawn, point)}, PNG {colour_at(png, point)}"
        for name, (point, _) in {**still.cells, **still.bars}.items()
        if far(colour_at(drawn, point), colour_at(png, point), COLOUR_TOLERANCE)
    ]
    for name, (point, want) in still.lines.items():
        where = line_pixel(png, point, want)  # the outline's pixel in the PNG, then the same pixel drawn
        if far(pixel(drawn, where), pixel(png, where), LINE_TOLERANCE):
            wrong.append(
                f"{name}: {engine} {pixel(drawn, where)}, PNG {pixel(png, where)} at {where.toTuple()}"
            )
    assert not wrong, "\n".join(wrong)


def test_svg_names_a_real_font_with_a_generic_fallback(still: Still) -> None:
    """Every text names the family Qt drew it in, then "sans-serif".

    Qt writes "Sans Serif", which only fontconfig's rules (49-sansserif.conf)
    turn into a sans font: without them Chromium and librsvg drew every label
    in a serif (tried with a bare fonts.conf), as browsers elsewhere would.
    """
    families = set(re.findall(r'font-family="([^"]*)"', still.svg.read_text(encoding="utf-8")))
    assert families
    for family in families:
        assert family.endswith(", sans-serif") and not family.startswith("Sans Serif"), family


def test_svg_has_the_frames_size_in_css_pixels(still: Still) -> None:
    head = still.svg.read_text(encoding="utf-8")[:400]
    width_mm, height_mm = SIZE[0] * 25.4 / 96, SIZE[1] * 25.4 / 96
    assert f'width="{width_mm:g}mm"' in head and f'height="{height_mm:g}mm"' in head, head
