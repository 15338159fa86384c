"""A scene frame rendered offscreen, for export: the page the window shows, painted into an image."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QSize, Qt

from explainer.scenes import SceneFrame, TimingPoint

from ..application import application, dispose
from ..pixels import widget_rgb
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
    return widget_rgb(page, size, page.appearance.theme.background)
