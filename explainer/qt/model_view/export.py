"""The model view as a still: a PNG of the page, or an SVG (labels as text, each thumbnail an image)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from explainer.export import atomic_target
from explainer.i18n import _

from ..application import APP_NAME, application, dispose
from ..style import THEME_STYLES, Appearance
from .page import ModelViewPage

__all__ = ["render_model_view", "save_model_view_png", "save_model_view_svg"]


@contextmanager
def _page(
    attentions: np.ndarray,
    tokens: Sequence[str],
    size: tuple[int, int],
    theme: str,
    title: str,
    selected: tuple[int, int] | None,
) -> Iterator[ModelViewPage]:
    """A page laid out offscreen at ``size``, deleted afterwards."""
    application()
    if theme not in THEME_STYLES:
        raise ValueError(
            _("theme: expected one of {themes}, got {theme}").format(
                themes=", ".join(THEME_STYLES), theme=repr(theme)
            )
        )
    page = ModelViewPage(Appearance(theme=THEME_STYLES[theme]))
    try:
        page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        page.resize(*size)
        page.show_attentions(attentions, tokens, title)
        if selected is not None:
            page.select(*selected)
        page.show()
        for _pass in range(3):  # the title's wrapped height: apply the layout as the event loop would
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QCoreApplication.processEvents()
        yield page
    finally:
        page.shutdown()
        dispose(page)


def render_model_view(
    attentions: np.ndarray,
    tokens: Sequence[str],
    size: tuple[int, int] = (1280, 720),
    theme: str = "light",
    title: str = "",
    selected: tuple[int, int] | None = None,
) -> QImage:
    """The model view page of ``attentions`` (n_layers, n_heads, n, n) as an RGB image of ``size``."""
    with _page(attentions, tokens, size, theme, title, selected) as page:
        image = QImage(QSize(*size), QImage.Format.Format_RGB888)
        image.fill(QColor(page.appearance.theme.background))
        page.render(
            image,
            QPoint(0, 0),
            renderFlags=QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren,
        )
        return image


def save_model_view_png(
    attentions: np.ndarray,
    tokens: Sequence[str],
    out: Path,
    size: tuple[int, int] = (1280, 720),
    theme: str = "light",
    title: str = "",
    *,
    selected: tuple[int, int] | None = None,
    force: bool = False,
) -> Path:
    """Write the model view of ``attentions`` to ``out`` (.png) at ``size``, atomically; returns ``out``.

    ``title`` is the line above the thumbnails (see :func:`~.page.model_view_title`);
    ``selected`` the (layer, head), counted from 0, to outline (default the first);
    an existing ``out`` is replaced only with ``force``.
    """
    out = Path(out)
    image = render_model_view(attentions, tokens, size, theme, title, selected)
    with atomic_target(out, force) as temp:
        if not image.save(str(temp)):
            raise ValueError(_("could not write {name}").format(name=out.name))
    return out


def save_model_view_svg(
    attentions: np.ndarray,
    tokens: Sequence[str],
    out: Path,
    size: tuple[int, int] = (1280, 720),
    theme: str = "light",
    title: str = "",
    *,
    selected: tuple[int, int] | None = None,
    force: bool = False,
) -> Path:
    """As :func:`save_model_view_png`, as SVG: labels as text, each thumbnail an image at its drawn size."""
    from ..svg_still import CSS_DPI, portable  # only SVG stills need it

    out = Path(out)
    width, height = size
    with _page(attentions, tokens, size, theme, title, selected) as page, atomic_target(out, force) as temp:
        generator = QSvgGenerator()
        generator.setFileName(str(temp))
        generator.setSize(QSize(width, height))
        generator.setViewBox(QRect(0, 0, width, height))
        generator.setResolution(CSS_DPI)
        generator.setTitle(title or APP_NAME)
        page.view.vector = True
        painter = QPainter(generator)
        painter.fillRect(QRect(0, 0, width, height), QColor(page.appearance.theme.background))
        page.render(painter, QPoint(0, 0), renderFlags=QWidget.RenderFlag.DrawChildren)
        painter.end()
        page.view.vector = False
        temp.write_text(portable(temp.read_text(encoding="utf-8")), encoding="utf-8")
    return out
