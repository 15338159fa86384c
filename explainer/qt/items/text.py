"""Small scene items: text anchored in view units, bars, and a colour bar."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPen

from ..style import Appearance, ColorScale
from .cell_text import Painted, fitting_font, format_number


class SceneText(pg.GraphicsObject):
    """Text centred in a box given in view units; its pixel size follows the zoom."""

    def __init__(self, appearance: Appearance, text: str = "", size: float = 0.6, bold: bool = False):
        super().__init__()
        self.appearance, self.text, self.size, self.bold = appearance, text, size, bold
        self.box = QRectF(0, 0, 1, 1)
        self.color: str | None = None
        self.version = 0

    def place(self, box: QRectF, text: str | None = None, color: str | None = None) -> None:
        new_text = self.text if text is None else text
        if (box, new_text, color) == (self.box, self.text, self.color):
            return
        if box != self.box:
            self.prepareGeometryChange()
            self.box = QRectF(box)
        self.text, self.color = new_text, color
        self.version += 1
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self.box)

    def paint(self, painter: QPainter, *_: object) -> None:
        transform = painter.transform()
        rect = transform.mapRect(self.box)
        unit = transform.mapRect(QRectF(0, 0, 1, 1)).height()
        painter.save()
        painter.resetTransform()
        font = QFont()
        size = max(7, int(self.appearance.fitted(unit * self.size, 30)))
        font.setPixelSize(size)
        font.setBold(self.bold)
        width = QFontMetricsF(font).horizontalAdvance(self.text)
        if width > rect.width() > 0:  # shrink to the box rather than spill out of the view
            font.setPixelSize(max(7, int(size * rect.width() / width)))
        painter.setFont(font)
        painter.setPen(QColor(self.color or self.appearance.theme.text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)
        painter.restore()


class BarsItem(pg.GraphicsObject):
    """Vertical bars in [0, 1] (attention weights) with labels and values, one paint call.

    Bar c spans x in [c + 0.15, c + 0.85]; height 1 is ``height`` view units tall.
    """

    def __init__(self, appearance: Appearance, height: float = 3.0):
        super().__init__()
        self.appearance, self.height = appearance, height
        self.values = np.zeros(0)
        self.labels: Sequence[str] = ()
        self.colors: list[QColor] = []
        self.lit = np.zeros(0, dtype=bool)
        self.focused = np.zeros(0, dtype=bool)
        self._key: tuple[object, ...] = ()
        self._fonts: tuple[tuple[object, ...], tuple[QFont | None, list[str], QFont | None]] = (
            (),
            (None, [], None),
        )
        self.version = 0
        self.painted: list[Painted] = []  # the labels and values as last painted (tests read it)

    def set_bars(
        self,
        values: npt.ArrayLike,
        labels: Sequence[str],
        colors: np.ndarray,
        lit: npt.ArrayLike,
        focused: npt.ArrayLike,
    ) -> None:
        """``colors``: each bar's RGBA bytes, (n, 4) uint8 (a row of a colour scale's ``rgba``)."""
        values, lit, focused = np.asarray(values, float), np.asarray(lit, bool), np.asarray(focused, bool)
        rgba = np.ascontiguousarray(colors, dtype=np.uint8)
        key = (values.tobytes(), tuple(labels), rgba.tobytes(), lit.tobytes(), focused.tobytes())
        if key == self._key:
            return
        if len(values) != len(self.values):
            self.prepareGeometryChange()
        self.values, self.labels, self.lit, self.focused = values, labels, lit, focused
        self.colors = [QColor(r, g, b, a) for r, g, b, a in rgba.tolist()]
        self._key = key
        self.version += 1
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, -0.6, max(len(self.values), 1), self.height + 1.6)

    def _texts(self, unit: QRectF) -> tuple[QFont | None, list[str], QFont | None]:
        """The label font, the values as printed and their font: kept while the bars and their size stay."""
        wanted = self.appearance.fitted(unit.width() * 0.3, 18)
        key = (self.version, unit.width(), unit.height(), wanted)
        if self._fonts[0] != key:
            # Each label and value gets its bar's width: shrunk to fit, never cut or spilled.
            label_font = fitting_font(self.labels, wanted, unit.width() - 4, unit.height() * 0.6)
            numbers = [format_number(float(value)) for value in self.values]
            number_font = fitting_font(numbers, wanted, unit.width() - 4, unit.height() * 0.5)
            self._fonts = (key, (label_font, numbers, number_font))
        return self._fonts[1]

    def paint(self, painter: QPainter, *_: object) -> None:
        theme = self.appearance.theme
        transform = painter.transform()
        unit = transform.mapRect(QRectF(0, 0, 1, 1))
        painter.save()
        painter.resetTransform()
        base = transform.map(QPointF(0, self.height))
        end = transform.map(QPointF(len(self.values), self.height))
        painter.setPen(QPen(QColor(theme.muted), 1))
        painter.drawLine(base, end)
        label_font, numbers, number_font = self._texts(unit)
        self.painted = []
        for c, value in enumerate(self.values):
            top = self.height * (1 - float(value))
            rect = transform.mapRect(QRectF(c + 0.15, top, 0.7, self.height - top))
            painter.fillRect(rect, self.colors[c])
            if self.lit[c] or self.focused[c]:
                pen = QPen(QColor(theme.step if self.lit[c] else theme.focus), 2.5)
                painter.setPen(pen)
                painter.drawRect(rect)
            painter.setPen(QColor(theme.text))
            if number_font is not None:
                painter.setFont(number_font)
                above = transform.mapRect(QRectF(c, top - 0.55, 1, 0.5))
                painter.drawText(above, Qt.AlignmentFlag.AlignCenter, numbers[c])
            if label_font is not None:
                painter.setFont(label_font)
                below = transform.mapRect(QRectF(c, self.height + 0.05, 1, 0.6))
                painter.drawText(
                    below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.labels[c]
                )
        for what, font, texts in (
            ("bar labels", label_font, self.labels),
            ("bar values", number_font, numbers),
        ):
            if font is not None:
                widest = max((QFontMetricsF(font).horizontalAdvance(t) for t in texts), default=0.0)
                self.painted.append(Painted(what, font.pixelSize(), unit.width() - 4, widest))
        painter.restore()


class ColorBarItem(pg.GraphicsObject):
    """A vertical gradient with its top, middle and bottom values."""

    def __init__(self, appearance: Appearance):
        super().__init__()
        self.appearance = appearance
        self.scale: ColorScale | None = None
        self.box = QRectF(0, 0, 0.35, 4)
        self.stops: list[tuple[float, QColor]] = []  # the gradient's, kept with the scale
        self.version = 0

    def set_scale(self, scale: ColorScale, box: QRectF) -> None:
        key = (scale.name, scale.low, scale.high)
        if (
            box == self.box
            and self.scale is not None
            and key == (self.scale.name, self.scale.low, self.scale.high)
        ):
            return
        if box != self.box:
            self.prepareGeometryChange()
            self.box = QRectF(box)
        self.scale = scale
        # 9 stops strayed up to 18/255 from viridis; 33: 2. Found here, not on every repaint.
        self.stops = [
            (float(stop), scale.qcolor(scale.low + stop * (scale.high - scale.low)))
            for stop in np.linspace(0, 1, 33)
        ]
        self.version += 1
        self.update()

    def boundingRect(self) -> QRectF:
        return self.box.adjusted(0, -0.3, 1.6, 0.3)

    def paint(self, painter: QPainter, *_: object) -> None:
        if self.scale is None:
            return
        transform = painter.transform()
        rect = transform.mapRect(self.box)
        painter.save()
        painter.resetTransform()
        gradient = QLinearGradient(rect.bottomLeft(), rect.topLeft())
        gradient.setStops(self.stops)
        painter.fillRect(rect, gradient)
        font = QFont()
        font.setPixelSize(max(7, int(self.appearance.fitted(rect.width() * 0.7, 15))))
        painter.setFont(font)
        painter.setPen(QColor(self.appearance.theme.muted))
        middle = (self.scale.low + self.scale.high) / 2
        for fraction, value in ((0.0, self.scale.high), (0.5, middle), (1.0, self.scale.low)):
            y = rect.top() + fraction * rect.height()
            painter.drawText(
                QRectF(rect.right() + 4, y - 10, 80, 20),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                format_number(value),
            )
        painter.restore()
