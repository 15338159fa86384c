"""The head view exported: a PNG or SVG still, or a video that hovers through every token in turn.

The frames are the page the window shows, drawn offscreen at the export size:
the same widget, the same code. No dialogs here: the window and the command
line both call :func:`export_head_view`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from explainer.export import (
    STILL_KINDS,
    atomic_target,
    check_frame_count,
    check_output,
    check_size,
    export_video,
    output_kind,
)
from explainer.i18n import _
from explainer.model import AttentionModel

from ..application import APP_NAME, application, dispose
from ..focus import Focus
from ..pixels import widget_rgb
from ..style import THEME_STYLES, Appearance
from ..svg_still import CSS_DPI, portable
from .layout import words_cut
from .page import HeadViewPage
from .view import Side

__all__ = [
    "export_head_view",
    "head_view_frame_count",
    "head_view_frames",
    "save_head_view_png",
    "save_head_view_svg",
]

Token = tuple[Side, int]


@contextmanager
def _offscreen_page(
    model: AttentionModel,
    size: tuple[int, int],
    theme: str,
    heads: Sequence[int] | None,
    token: Token | None,
    source: str | None = None,
) -> Iterator[HeadViewPage]:
    """A page of ``model`` laid out at ``size``, never on screen, disposed at the end."""
    if theme not in THEME_STYLES:
        raise ValueError(
            _("theme: expected one of {themes}, got {theme}").format(
                themes=", ".join(THEME_STYLES), theme=repr(theme)
            )
        )
    application()
    page = HeadViewPage(model, Appearance(theme=THEME_STYLES[theme]), Focus())
    try:
        page.set_source(source)
        if heads is not None:
            page.view.set_heads(heads)
        if token is not None:
            page.view.pin_token(*token)
        page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        page.resize(*size)
        page.show()
        _settle()
        _check_every_word_shows(page)
        yield page
    finally:
        page.shutdown()
        dispose(page)


def _check_every_word_shows(page: HeadViewPage) -> None:
    """Refuse a size too short for every word, even squeezed: an export must not drop words unseen."""
    view, trace = page.view, page.view.trace
    cut = words_cut(view.layout_now(), view.height())
    if cut == 0:
        return
    needed = view.height()
    while needed < 4320 and words_cut(view.layout_at(view.width(), needed), needed):
        needed += 10
    raise ValueError(
        _(
            "size {size}: the head view would cut off {cut} of its {total} words; "
            "use a height of at least {height}"
        ).format(
            size=f"{page.width()}x{page.height()}",
            cut=cut,
            total=len(trace.query_tokens) + len(trace.key_tokens),
            height=needed + page.height() - view.height(),
        )
    )


def _settle() -> None:
    """Apply the caption's new height to the layout, as the event loop would."""
    for _pass in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QCoreApplication.processEvents()


def _grab(page: HeadViewPage) -> np.ndarray:
    return widget_rgb(page, (page.width(), page.height()), page.appearance.theme.background)


def save_head_view_png(
    model: AttentionModel,
    out: Path,
    size: tuple[int, int] = (1280, 720),
    theme: str = "light",
    heads: Sequence[int] | None = None,
    token: Token | None = None,
    *,
    force: bool = False,
    source: str | None = None,
) -> Path:
    """Write the head view of ``model`` to ``out`` as a PNG of ``size`` (width, height), atomically.

    ``heads``: the heads drawn (0-based; default head 1); ``token``: ("query" | "key", index)
    shown alone (pinned), or None for every line. ``source`` leads the caption ("Layer 6").
    """
    out = Path(out)
    check_output(out, force)
    with _offscreen_page(model, size, theme, heads, token, source) as page:
        pixels = _grab(page)
    width, height = size
    picture = QImage(pixels.data, width, height, width * 3, QImage.Format.Format_RGB888)
    with atomic_target(out, force) as temp:
        if not picture.save(str(temp)):
            raise ValueError(_("could not write {name}").format(name=out.name))
    return out


def save_head_view_svg(
    model: AttentionModel,
    out: Path,
    size: tuple[int, int] = (1280, 720),
    theme: str = "light",
    heads: Sequence[int] | None = None,
    token: Token | None = None,
    *,
    force: bool = False,
    source: str | None = None,
) -> Path:
    """As :func:`save_head_view_png`, in vectors: every line its own ``<path>``, the tokens text."""
    out = Path(out)
    check_output(out, force)
    width, height = size
    with _offscreen_page(model, size, theme, heads, token, source) as page, atomic_target(out, force) as temp:
        generator = QSvgGenerator()
        generator.setFileName(str(temp))
        generator.setSize(QSize(width, height))
        generator.setViewBox(QRect(0, 0, width, height))
        generator.setResolution(CSS_DPI)
        generator.setTitle(APP_NAME)
        generator.setDescription(page.caption_text())
        page.view.vector_lines = True
        painter = QPainter(generator)
        painter.fillRect(QRect(0, 0, width, height), QColor(page.appearance.theme.background))
        page.render(painter, QPoint(0, 0))
        painter.end()
        svg = portable(temp.read_text(encoding="utf-8"))
        # portable() makes every shape crisp (the panels' cells); slanted lines need their antialiasing.
        svg = svg.replace('<svg shape-rendering="crispEdges" ', "<svg ", 1)
        temp.write_text(svg, encoding="utf-8")
    return out


def head_view_frame_count(model: AttentionModel, seconds_per_token: float, fps: float) -> int:
    """How many frames :func:`head_view_frames` makes: every query, then every key, each held alike."""
    per_token = max(1, round(seconds_per_token * fps))
    return per_token * (len(model.query_tokens) + len(model.key_tokens))


def _held_frames(
    model: AttentionModel,
    size: tuple[int, int],
    theme: str,
    heads: Sequence[int] | None,
    seconds_per_token: float,
    fps: float,
    source: str | None = None,
    keep_responsive: bool = False,
) -> Iterator[tuple[np.ndarray, int]]:
    """Each token hovered in turn (queries, then keys), drawn once with how many frames it stays."""
    per_token = max(1, round(seconds_per_token * fps))
    with _offscreen_page(model, size, theme, heads, None, source) as page:
        sides: tuple[tuple[Side, int], ...] = (
            ("query", len(model.query_tokens)),
            ("key", len(model.key_tokens)),
        )
        for side, count in sides:
            for index in range(count):
                page.view.hover_token(side, index)
                _settle()
                yield _grab(page), per_token
                if keep_responsive:
                    QCoreApplication.processEvents()


def head_view_frames(
    model: AttentionModel,
    size: tuple[int, int] = (1280, 720),
    theme: str = "light",
    heads: Sequence[int] | None = None,
    seconds_per_token: float = 1.0,
    fps: float = 30.0,
) -> Iterator[np.ndarray]:
    """The frames of a video hovering through every query token in turn, then every key token.

    Each token stays ``seconds_per_token`` (at least one frame): the frames are
    ``(height, width, 3)`` uint8 RGB arrays, :func:`head_view_frame_count` of them.
    """
    for frame, repeat in _held_frames(model, size, theme, heads, seconds_per_token, fps):
        for _copy in range(repeat):
            yield frame


def export_head_view(
    model: AttentionModel,
    out: Path,
    *,
    size: tuple[int, int] = (1280, 720),
    theme: str = "light",
    heads: Sequence[int] | None = None,
    token: Token | None = None,
    fps: float = 30.0,
    seconds_per_token: float = 1.0,
    force: bool = False,
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    keep_responsive: bool = False,
) -> Path:
    """Write the head view of ``model`` to ``out``: a .png / .svg still, or a .mp4 / .gif (or frames) video.

    A still shows ``token`` pinned (None: every line); a video hovers through every
    token (``token`` is not used). Raises ValueError for bad options (nothing written),
    ExportError when the encoder fails and ExportCancelled when ``cancelled()`` says so.
    """
    out = Path(out)
    kind = output_kind(out)
    check_output(out, force)
    check_size(size, kind)
    if seconds_per_token <= 0:
        raise ValueError(
            _("seconds per token: expected a positive number, got {seconds}").format(
                seconds=seconds_per_token
            )
        )
    if kind == "png":
        return save_head_view_png(model, out, size, theme, heads, token, force=force, source=source)
    if kind == "svg":
        return save_head_view_svg(model, out, size, theme, heads, token, force=force, source=source)
    assert kind not in STILL_KINDS
    total = head_view_frame_count(model, seconds_per_token, fps)
    check_frame_count(total, fps)
    with _offscreen_page(model, size, theme, heads, None, source):
        pass  # refuses a size that would cut words off before anything is written
    frames = _held_frames(model, size, theme, heads, seconds_per_token, fps, source, keep_responsive)
    return export_video(
        frames, out, fps=fps, total=total, force=force, progress=progress, cancelled=cancelled
    )
