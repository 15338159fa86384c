"""A scene frame rendered offscreen, for export: the page the window shows, painted into an image."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from explainer.scenes import SceneFrame, TimingPoint

from ..application import application, dispose
from ..style import Appearance
from .scene_page import ScenePage

__all__ = ["render_scene_frame"]


def render_scene_frame(
    page_or_name: ScenePage | str,
    frame: SceneFrame,
    size: tuple[int, int],
    appearance: Appearance,
    timings: Sequence[TimingPoint] | None = None,
) -> np.ndarray:
    """The scene at ``frame`` as an (height, width, 3) uint8 RGB array of ``size`` (width, height).

    ``page_or_name``: a page to draw (an exporter keeps one for all its frames),
    or a scene name for a page made, drawn once and deleted. A page made here
    never measures: its chart shows ``timings`` (none: an empty chart). A page
    passed in is resized to ``size`` (the window's page is not: pass a page of
    your own). ``appearance`` is the made page's; a page passed in keeps its own.
    """
    application()
    made = isinstance(page_or_name, str)
    if isinstance(page_or_name, str):
        page = ScenePage(page_or_name, appearance)
        page.measured = True  # an export draws what it is given: no measuring on show
        if timings is not None:
            page.set_timings(timings)
        page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    else:
        page = page_or_name
    try:
        return _render(page, frame, size)
    finally:
        if made:
            page.shutdown()
            dispose(page)


def _render(page: ScenePage, frame: SceneFrame, size: tuple[int, int]) -> np.ndarray:
    width, height = size
    if page.size() != QSize(width, height):
        page.resize(width, height)
    if not page.isVisible():
        page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        page.show()
    page.set_frame(frame)
    # The caption's new text changes its height: apply the layout as the event loop would.
    # Only the layout: processing every event would also paint the page once more, for nothing.
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    image = QImage(QSize(width, height), QImage.Format.Format_RGB888)
    image.fill(QColor(page.appearance.theme.background))
    page.render(
        image,
        QPoint(0, 0),
        renderFlags=QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren,
    )
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, : width * 3].reshape(height, width, 3).copy()
