"""Every layer × head of a real model as a small α map (BertViz's model view), drawn with QPainter.

Each thumbnail is a token × token image scaled without smoothing (a cell stays a crisp
square of one colour, the colour of its α on the app's weights scale); one colour bar
serves all of them. The thumbnails' images are made once per text and theme, so moving
the selection only repaints: no colour is computed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from explainer.i18n import _

from ..scenes.text_fit import PaintedText, draw_text
from ..style import Appearance, Theme, weights_scale
from .layout import TICKS, Layout, layout, tick_text

__all__ = ["ModelView", "Thumbnail"]

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
CENTRED = int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True)
class Thumbnail:
    """One α map as painted: its (layer, head), counted from 0, its rectangle and the α it shows."""

    layer: int
    head: int
    rect: QRectF
    alpha: np.ndarray


def rgba_image(rgba: np.ndarray) -> QImage:
    """An (n, n, 4) uint8 array as a QImage that owns its pixels."""
    pixels = np.ascontiguousarray(rgba, dtype=np.uint8)
    height, width = pixels.shape[:2]
    return QImage(pixels.data, width, height, width * 4, QImage.Format.Format_RGBA8888).copy()


VIEW_KEYS = {  # arrows, Home, End move the selection; Enter opens it
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
}


class ModelView(QWidget):
    """All layers × heads of one text: thumbnails, "L1"… on the left, "H1"… on top, a colour bar.

    Parameters
    ----------
    appearance : Appearance
        Theme and text size; the view restyles when it changes.

    Signals
    -------
    opened(int, int)
        (layer, head), counted from 0: a thumbnail was clicked, or Enter pressed on the
        selected one. Open that layer and head step by step.
    selected(int, int)
        The selection moved (a click or an arrow key).

    Attributes
    ----------
    thumbnails : dict[(int, int), Thumbnail]
        What the last paint drew for each (layer, head): its rectangle and its α.
    painted : list[PaintedText]
        Every label of the last paint (layer and head labels, colour bar numbers).
    """

    opened = Signal(int, int)
    selected = Signal(int, int)
    cell_clicked = Signal(int, int, int, int)  # layer, head, query i, key j: just before ``opened``

    def __init__(self, appearance: Appearance) -> None:
        super().__init__()
        self.appearance = appearance
        self.attentions = np.zeros((0, 0, 0, 0))
        self.tokens: tuple[str, ...] = ()
        self.selection = (0, 0)
        self.hovered: tuple[int, int] | None = None
        self.thumbnails: dict[tuple[int, int], Thumbnail] = {}
        self.painted: list[PaintedText] = []
        self.vector = False  # an SVG export: images pre-scaled, so no viewer smooths them
        self._images: list[list[QImage]] = []
        self._images_theme: Theme | None = None
        self._bar_image: QImage | None = None
        self._layout: tuple[tuple[object, ...], Layout] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(320, 200)
        appearance.changed.connect(self._on_appearance_changed)

    def shutdown(self) -> None:
        """Stop following the appearance (before the view is deleted)."""
        self.appearance.changed.disconnect(self._on_appearance_changed)

    @property
    def n_layers(self) -> int:
        return int(self.attentions.shape[0])

    @property
    def n_heads(self) -> int:
        return int(self.attentions.shape[1])

    # ---------------------------------------------------------------- what is shown
    def set_attentions(self, attentions: np.ndarray, tokens: Sequence[str]) -> None:
        """Show ``attentions`` (n_layers, n_heads, n, n) of ``tokens``; the selection stays if it fits."""
        attentions = np.asarray(attentions, dtype=np.float64)
        if attentions.ndim != 4 or attentions.shape[2] != attentions.shape[3]:
            raise ValueError(f"attentions: expected (layers, heads, n, n), got shape {attentions.shape}")
        if attentions.shape[2] != len(tokens):
            raise ValueError(f"tokens: expected {attentions.shape[2]}, got {len(tokens)}")
        self.attentions, self.tokens = attentions, tuple(tokens)
        layer, head = self.selection
        self.selection = (min(layer, max(0, self.n_layers - 1)), min(head, max(0, self.n_heads - 1)))
        self.hovered = None
        self._images_theme = None
        self.update()

    def select(self, layer: int, head: int) -> None:
        """Outline thumbnail (layer, head), counted from 0 (clamped to the model); emits ``selected``."""
        if not self.n_layers:
            return
        chosen = (min(max(0, layer), self.n_layers - 1), min(max(0, head), self.n_heads - 1))
        if chosen != self.selection:
            self.selection = chosen
            self.update()
            self.selected.emit(*chosen)

    def open_selected(self) -> None:
        if self.n_layers:
            self.opened.emit(*self.selection)

    def _on_appearance_changed(self) -> None:
        self._layout = None
        self.update()

    # ---------------------------------------------------------------- geometry
    def current_layout(self) -> Layout:
        """The layout at the view's size (kept until the size, the model's shape or the text size changes)."""
        key = (self.width(), self.height(), *self.attentions.shape[:3], self.appearance.font_scale)
        if self._layout is None or self._layout[0] != key:
            n_layers, n_heads, n = self.attentions.shape[:3]
            self._layout = (key, layout(self.width(), self.height(), n_layers, n_heads, n, key[-1]))
        return self._layout[1]

    def thumbnail_rect(self, layer: int, head: int) -> QRectF:
        return QRectF(self.current_layout().cells[layer][head])

    def cell_at(self, point: QPointF) -> tuple[int, int, int, int] | None:
        """(layer, head, query i, key j) under ``point``, None off the thumbnails."""
        if not self.n_layers:
            return None
        found = self.current_layout().thumbnail_at(point.x(), point.y())
        if found is None:
            return None
        rect, n = self.thumbnail_rect(*found), len(self.tokens)
        i = min(n - 1, int((point.y() - rect.top()) / rect.height() * n))
        j = min(n - 1, int((point.x() - rect.left()) / rect.width() * n))
        return (*found, i, j)

    def describe(self, layer: int, head: int, i: int, j: int) -> str:
        """The tooltip of cell (i, j) of (layer, head): who looks at whom, and where it looks most."""
        row = self.attentions[layer, head, i]
        most = int(np.argmax(row))
        query, key, top = self.tokens[i], self.tokens[j], self.tokens[most]
        return _(
            "layer {layer}, head {head}: {query} looks at {key} with α = {alpha} "
            "(most at {top}: {top_alpha}) — click to open it step by step"
        ).format(
            layer=layer + 1,
            head=head + 1,
            query=query,
            key=key,
            alpha=f"{row[j]:.2f}",
            top=top,
            top_alpha=f"{row[most]:.2f}",
        )

    # ---------------------------------------------------------------- images
    def _thumbnail_images(self, theme: Theme) -> list[list[QImage]]:
        if self._images_theme is not theme:
            rgba = weights_scale(theme).rgba(self.attentions)
            self._images = [
                [rgba_image(rgba[layer, head]) for head in range(self.n_heads)]
                for layer in range(self.n_layers)
            ]
            bar = weights_scale(theme).rgba(np.linspace(1.0, 0.0, 256)[:, None])
            self._bar_image = rgba_image(bar)
            self._images_theme = theme
        return self._images

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter)
        finally:
            painter.end()

    def paint(self, painter: QPainter) -> None:
        """Draw the whole view with ``painter`` (the screen, or an export's image or SVG)."""
        theme = self.appearance.theme
        painter.fillRect(QRectF(0, 0, self.width(), self.height()), QColor(theme.background))
        self.thumbnails, self.painted = {}, []
        if not self.n_layers:
            return
        grid = self.current_layout()
        images = self._thumbnail_images(theme)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        for layer, row in enumerate(grid.cells):
            for head, rect in enumerate(row):
                self._draw_image(painter, rect, images[layer][head])
                self.thumbnails[layer, head] = Thumbnail(
                    layer, head, QRectF(rect), self.attentions[layer, head]
                )
        self._draw_labels(painter, grid, theme)
        self._draw_colour_bar(painter, grid, theme)
        self._draw_outlines(painter, grid, theme)

    def _draw_image(self, painter: QPainter, rect: QRectF, image: QImage) -> None:
        if self.vector:  # an SVG viewer would smooth a 16×16 image: give it the pixels to show
            size = rect.toAlignedRect().size()
            image = image.scaled(
                size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation
            )
        painter.drawImage(rect, image)

    def _draw_labels(self, painter: QPainter, grid: Layout, theme: Theme) -> None:
        layer, head = self.selection
        for index, room in enumerate(grid.layer_rooms):
            self._label(painter, "layer", f"L{index + 1}", room, grid.label_px, index == layer, RIGHT, theme)
        for index, room in enumerate(grid.head_rooms):
            self._label(painter, "head", f"H{index + 1}", room, grid.label_px, index == head, CENTRED, theme)

    def _label(
        self,
        painter: QPainter,
        what: str,
        text: str,
        room: QRectF,
        px: int,
        chosen: bool,
        flags: int,
        theme: Theme,
    ) -> None:
        painter.setPen(QColor(theme.focus if chosen else theme.text))
        draw_text(painter, self.painted, "model view", what, text, room, px, bold=True, flags=flags)

    def _draw_colour_bar(self, painter: QPainter, grid: Layout, theme: Theme) -> None:
        if self._bar_image is not None:
            self._draw_image(painter, grid.bar, self._bar_image)
        painter.setPen(QPen(QColor(theme.muted), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(grid.bar.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.setPen(QColor(theme.text))
        draw_text(painter, self.painted, "colour bar", "title", "α", grid.bar_title, grid.label_px, bold=True)
        for value, room in zip(TICKS, grid.tick_rooms, strict=True):
            y = grid.bar.bottom() - value * grid.bar.height()
            painter.setPen(QPen(QColor(theme.muted), 1))
            painter.drawLine(QPointF(grid.bar.right(), y), QPointF(grid.bar.right() + 4, y))
            painter.setPen(QColor(theme.text))
            draw_text(
                painter, self.painted, "colour bar", "tick", tick_text(value), room, grid.tick_px, flags=LEFT
            )

    def _draw_outlines(self, painter: QPainter, grid: Layout, theme: Theme) -> None:
        """The selected thumbnail ringed in the focus colour, the hovered one lightly; outside the α cells."""
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.hovered is not None and self.hovered != self.selection:
            width = 1.5
            painter.setPen(QPen(QColor(theme.muted), width))
            painter.drawRect(grid.cells[self.hovered[0]][self.hovered[1]].adjusted(-1.5, -1.5, 1.5, 1.5))
        width = max(3.0, round(grid.gap * 0.45))
        pen = QPen(QColor(theme.focus), width)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        out = width / 2 + 0.5
        painter.drawRect(grid.cells[self.selection[0]][self.selection[1]].adjusted(-out, -out, out, out))

    # ---------------------------------------------------------------- input
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        hovered = None if cell is None else (cell[0], cell[1])
        if hovered != self.hovered:
            self.hovered = hovered
            self.update()
        if cell is None:
            self.unsetCursor()
            self.setToolTip("")
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip(self.describe(*cell))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and cell is not None:
            self.select(cell[0], cell[1])
            self.cell_clicked.emit(*cell)
            self.opened.emit(cell[0], cell[1])
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        """The keys that move the selection are the view's, not the window's (Play ▸ arrows)."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and Qt.Key(event.key()) in VIEW_KEYS
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        layer, head = self.selection
        moves = {
            Qt.Key.Key_Left: (layer, head - 1),
            Qt.Key.Key_Right: (layer, head + 1),
            Qt.Key.Key_Up: (layer - 1, head),
            Qt.Key.Key_Down: (layer + 1, head),
            Qt.Key.Key_Home: (layer, 0),
            Qt.Key.Key_End: (layer, self.n_heads - 1),
        }
        key = Qt.Key(event.key())
        if key in moves and self.n_layers:
            self.select(*moves[key])
            event.accept()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.n_layers:
            self.open_selected()
            event.accept()
        else:
            super().keyPressEvent(event)
