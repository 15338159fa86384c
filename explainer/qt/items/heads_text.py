"""The all-heads overview's titles, token labels and α colour bar: one item, drawn in view pixels."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import HoverEvent, MouseClickEvent
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPaintEngine, QPainter, QPen, QPixmap

from explainer.i18n import _

from ..pixels import transparent_layer
from ..style import Appearance, ColorScale
from .heads_layout import FRAME, HeadsLayout, Placed

BAR_STOPS = 33  # gradient stops of the colour bar: close to the colormap between them
ALIGN = {
    "center": Qt.AlignmentFlag.AlignCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "bottom": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,  # rotated: starts at the map
}


class HeadsTextItem(pg.GraphicsObject):
    """The overview's titles, token labels and α colour bar, drawn in view pixels.

    What ``paint`` draws is ``layout``'s texts, so a test can measure each
    against its box. A click on a title shows that head.
    """

    def __init__(self, appearance: Appearance, on_pick: Callable[[int], None]):
        super().__init__()
        self.appearance, self._on_pick = appearance, on_pick
        self.arrangement: HeadsLayout | None = None
        self.chosen = 0
        self.scale: ColorScale | None = None
        self.version = 0
        self._cache: tuple[tuple[object, ...], QPixmap] | None = None
        self.setAcceptHoverEvents(True)

    def set_layout(self, layout: HeadsLayout) -> None:
        self.prepareGeometryChange()
        self.arrangement = layout
        self.version += 1
        self.update()

    def set_chosen(self, chosen: int, scale: ColorScale) -> None:
        same_scale = self.scale is not None and (scale.name, scale.low, scale.high) == (
            self.scale.name,
            self.scale.low,
            self.scale.high,
        )
        if chosen == self.chosen and same_scale:
            return
        self.chosen, self.scale = chosen, scale
        self.version += 1
        self.update()

    def texts(self) -> list[Placed]:
        """Everything written: titles, token labels, the colour bar's name and values."""
        if self.arrangement is None:
            return []
        return [*self.arrangement.titles, *self.arrangement.labels, *self.arrangement.bar_texts]

    def boundingRect(self) -> QRectF:
        if self.arrangement is None:
            return QRectF()
        reach = 3 * FRAME  # the chosen head's frame runs outside its map
        return self.arrangement.extent.adjusted(-reach, -reach, reach, reach)

    def paint(self, painter: QPainter, *_: object) -> None:
        if self.arrangement is None:
            return
        device = painter.transform().mapRect(QRectF(0, 0, 1, 1))
        raster = painter.paintEngine().type() == QPaintEngine.Type.Raster
        if not raster or abs(device.width() - 1) > 1e-6 or abs(device.height() - 1) > 1e-6:
            self._paint_now(painter)  # an SVG keeps its text as text; a zoomed view draws anew
            return
        extent = self.boundingRect().toAlignedRect()
        painter.drawPixmap(extent.topLeft(), self._layer(extent, painter.device().devicePixelRatioF()))

    def _layer(self, extent: QRect, ratio: float) -> QPixmap:
        """What ``_paint_now`` draws, kept as an image until the layout, head, scale or theme change.

        A hundred words in 16 small fonts cost ~1.5 ms to draw; every repaint of the
        dock after an edit or in playback blits them instead.
        """
        key = (self.version, self.appearance.theme.name, extent.getRect(), ratio)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, transparent_layer(extent.size(), ratio, self._paint_now, extent.topLeft()))
        return self._cache[1]

    def _paint_now(self, painter: QPainter) -> None:
        assert self.arrangement is not None
        theme = self.appearance.theme
        text, focus = QColor(theme.text), QColor(theme.focus)
        for head, title in enumerate(self.arrangement.titles):
            _draw(painter, title, focus if head == self.chosen else text)
        if self.chosen < len(self.arrangement.maps):  # the head every panel shows: framed, solid
            painter.setPen(QPen(focus, FRAME))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.arrangement.frame(self.chosen))
        for placed in self.arrangement.labels:
            _draw(painter, placed, text)
        if self.arrangement.ticks:  # every few tokens labelled: which row or column each names
            painter.setPen(QPen(QColor(theme.muted), 1))
            painter.drawLines(list(self.arrangement.ticks))
        self._paint_bar(painter, QColor(theme.muted))

    def _paint_bar(self, painter: QPainter, color: QColor) -> None:
        if self.arrangement is None or self.scale is None:
            return
        bar = self.arrangement.bar
        # α = 0 at the bottom of an upright bar, at the left of one across.
        start, end = (
            (bar.bottomLeft(), bar.topLeft())
            if self.arrangement.bar_vertical
            else (bar.topLeft(), bar.topRight())
        )
        gradient = QLinearGradient(start, end)
        for stop in np.linspace(0.0, 1.0, BAR_STOPS):
            value = self.scale.low + float(stop) * (self.scale.high - self.scale.low)
            gradient.setColorAt(float(stop), self.scale.qcolor(value))
        painter.fillRect(bar, gradient)
        for placed in self.arrangement.bar_texts:
            _draw(painter, placed, color)

    def _title_at(self, x: float, y: float) -> int | None:
        if self.arrangement is None:
            return None
        for head, title in enumerate(self.arrangement.titles):
            if title.box.contains(x, y):
                return head
        return None

    def hoverEvent(self, event: HoverEvent) -> None:
        head = None if event.isExit() else self._title_at(event.pos().x(), event.pos().y())
        self.setToolTip(
            "" if head is None else _("head {head}: click to show this head").format(head=head + 1)
        )

    def mouseClickEvent(self, event: MouseClickEvent) -> None:
        head = self._title_at(event.pos().x(), event.pos().y())
        if head is None or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()  # a map under the pointer takes it
            return
        event.accept()
        self._on_pick(head)


def _draw(painter: QPainter, placed: Placed, color: QColor) -> None:
    painter.setFont(placed.font())
    painter.setPen(color)
    box = placed.box
    if not placed.rotated:
        painter.drawText(box, ALIGN[placed.align], placed.text)
        return
    painter.save()  # reads bottom to top, starting at the map below it
    painter.translate(box.left(), box.bottom())
    painter.rotate(-90)
    painter.drawText(QRectF(0, 0, box.height(), box.width()), ALIGN[placed.align], placed.text)
    painter.restore()
