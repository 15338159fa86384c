"""The presenter's stage: panels placed by hand from a layout, the step's panels large.

The layout is data (:mod:`explainer.animation.presenter`); the stage turns its
unit rectangles into pixels and tells each panel what part to frame.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRect
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from explainer.animation.presenter import Placement

from .panels.base import Panel

GAP_PX = 6  # between panels: the strip reads as separate thumbnails


class Stage(QWidget):
    """A plain widget whose panel children are placed by :meth:`place`."""

    def __init__(self, panels: Mapping[str, Panel]) -> None:
        super().__init__()
        self.panels = panels
        self.layout_now: Mapping[str, Placement] = {}
        for panel in panels.values():
            panel.setParent(self)

    def place(self, layout: Mapping[str, Placement]) -> None:
        """Put every panel where ``layout`` says; panels not in it are hidden."""
        self.layout_now = layout
        width, height = self.width(), self.height()
        for name, panel in self.panels.items():
            placement = layout.get(name)
            if placement is None:
                panel.setVisible(False)
                continue
            rect = placement.rect
            left, top = round(rect.x * width), round(rect.y * height)
            right, bottom = round((rect.x + rect.w) * width), round((rect.y + rect.h) * height)
            geometry = QRect(left, top, max(1, right - left - GAP_PX), max(1, bottom - top - GAP_PX))
            panel.camera = (placement.part_from, placement.part, placement.u)
            panel.presenting = placement.main
            if panel.geometry() != geometry:
                panel.setGeometry(geometry)
            panel.setVisible(True)
            if placement.main:  # a moving main panel passes over the strip, not under it
                panel.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place(self.layout_now)

    def release(self) -> list[Panel]:
        """Hand the panels back (switching to the overview): they leave the stage, reset."""
        panels = list(self.panels.values())
        for panel in panels:
            panel.camera = ("all", "all", 1.0)
            panel.presenting = False
            panel.setParent(None)
        return panels
