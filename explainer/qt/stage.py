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
        """Put every panel where ``layout`` says; panels not in it, or with no room yet, are hidden."""
        self.layout_now = layout
        width, height = self.width(), self.height()
        main: list[Panel] = []
        for name, panel in self.panels.items():
            placement = layout.get(name)
            if placement is None:
                panel.setVisible(False)
                continue
            rect = placement.rect
            left, top = round(rect.x * width), round(rect.y * height)
            right, bottom = round((rect.x + rect.w) * width), round((rect.y + rect.h) * height)
            room = (right - left - GAP_PX, bottom - top - GAP_PX)
            geometry = QRect(left, top, max(1, room[0]), max(1, room[1]))
            panel.camera = (placement.part_from, placement.part, placement.u)
            panel.presenting = placement.main
            if panel.geometry() != geometry:
                panel.setGeometry(geometry)
            # A panel growing from a point (arriving in the second half of a move) shows
            # once it has room: at 1 pixel it was a stray dot, on screen and in exports,
            # and its view still painted every item, shrunk.
            panel.setVisible(min(room) > 0)
            if placement.main:
                main.append(panel)
        self._raise(main)

    def _raise(self, main: list[Panel]) -> None:
        """A moving main panel passes over the strip, not under it: the main panels stack on top.

        Raised only when a strip panel is above one of them. Raising a widget
        repaints it, and during a move two panels are main (the one leaving, the
        one arriving): raised in turn on every frame, both repainted on every
        frame though neither covers the other.
        """
        stacked = [child for child in self.children() if isinstance(child, Panel)]  # bottom to top
        if set(stacked[len(stacked) - len(main) :]) != set(main):
            for panel in main:
                panel.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place(self.layout_now)

    def release(self) -> list[Panel]:
        """Hand the panels back (switching to the overview): they leave the stage, reset.

        The stage forgets them: a resize it still receives (a window shown after the
        switch sends its children's pending resizes) must not place panels it gave away.
        """
        panels = list(self.panels.values())
        for panel in panels:
            panel.camera = ("all", "all", 1.0)
            panel.presenting = False
            panel.setParent(None)
        self.panels, self.layout_now = {}, {}
        return panels
