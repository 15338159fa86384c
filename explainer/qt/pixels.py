"""A widget or an image as an (height, width, 3) uint8 RGB array: what every exporter hands to ffmpeg;
and transparent layers drawn once, blitted on every repaint."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QWidget


def image_rgb(image: QImage) -> np.ndarray:
    """An RGB888 ``image``'s pixels, copied (its rows are padded to 4 bytes; the array is not)."""
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, : width * 3].reshape(height, width, 3).copy()


def widget_rgb(widget: QWidget, size: tuple[int, int], background: QColor | str) -> np.ndarray:
    """``widget`` drawn offscreen at ``size`` over ``background``, its layout applied first.

    Only the layout's pending requests are sent (a caption's new text changes its
    height); processing every event would also paint the widget once more, for nothing.
    """
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    image = QImage(QSize(*size), QImage.Format.Format_RGB888)
    image.fill(QColor(background))
    flags = QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren
    widget.render(image, QPoint(0, 0), renderFlags=flags)
    return image_rgb(image)


def transparent_layer(
    size: QSize, ratio: float, paint: Callable[[QPainter], None], origin: QPoint | None = None
) -> QPixmap:
    """What ``paint`` draws, antialiased, on a transparent pixmap of ``size`` (``origin`` at its top left)."""
    layer = QPixmap(size * ratio)
    layer.setDevicePixelRatio(ratio)
    layer.fill(Qt.GlobalColor.transparent)
    painter = QPainter(layer)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    if origin is not None:
        painter.translate(-origin.toPointF())
    paint(painter)
    painter.end()
    return layer
