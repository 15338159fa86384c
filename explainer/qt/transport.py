"""Transport bar: play/pause, step, first/last, speed, detail, loop, head and a scrubber."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QToolButton,
    QWidget,
)

from explainer.animation import DETAIL_MODES, Timeline
from explainer.animation.walk import Walk
from explainer.i18n import N_

from .clock import SPEEDS, Clock, Sample
from .pixels import transparent_layer
from .player import Player
from .style import Appearance
from .words import bind, choose, offer


class Scrubber(QWidget):
    """A timeline track with one tick per step; click or drag to seek."""

    seek_requested = Signal(float)

    def __init__(self, appearance: Appearance):
        super().__init__()
        self.appearance = appearance
        self.timeline: Walk | None = None
        self.t = 0.0
        self._tick_layer_cache: tuple[tuple[object, ...], Sequence[float], QPixmap] | None = None
        self.setMinimumHeight(26)
        bind(self, self.setToolTip, N_("Drag to scrub through the steps; each tick is one step"))

    def set_position(self, timeline: Walk, t: float) -> None:
        self.timeline, self.t = timeline, t
        self.update()

    def _ticks(self, middle: float) -> list[QLineF]:
        """One tick per step, one per 3 pixels at most (thousands of steps: a real model)."""
        assert self.timeline is not None
        ticks: list[QLineF] = []
        last = -10.0
        for start in self.timeline.starts:
            x = self._x(start)
            if x - last >= 3:
                ticks.append(QLineF(QPointF(x, middle - 7), QPointF(x, middle + 7)))
                last = x
        return ticks

    def _tick_layer(self, middle: float) -> QPixmap:
        """The ticks drawn once into a transparent layer, kept until the timing, size or theme change.

        Playback repaints the bar every frame: it blits the layer (~1 ms saved).
        """
        assert self.timeline is not None
        starts = self.timeline.starts  # an edit's timeline shares its steps' starts with the one before
        ratio = self.devicePixelRatioF()
        theme = self.appearance.theme.name
        key = (id(starts), self.timeline.duration, len(starts), self.size().toTuple(), middle, ratio, theme)
        if self._tick_layer_cache is None or self._tick_layer_cache[0] != key:
            ticks, pen = self._ticks(middle), QPen(QColor(self.appearance.theme.muted), 1)

            def paint(painter: QPainter) -> None:
                painter.setPen(pen)
                painter.drawLines(ticks)

            # ``starts`` kept: its id stays its own
            self._tick_layer_cache = (key, starts, transparent_layer(self.size(), ratio, paint))
        return self._tick_layer_cache[2]

    def _x(self, t: float) -> float:
        duration = self.timeline.duration if self.timeline else 1.0
        return 8 + (self.width() - 16) * t / duration

    def _t(self, x: float) -> float:
        duration = self.timeline.duration if self.timeline else 1.0
        return max(0.0, min(duration, (x - 8) / max(1, self.width() - 16) * duration))

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.timeline is None:
            return
        theme = self.appearance.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        middle = self.height() / 2
        painter.fillRect(QRectF(8, middle - 2, self.width() - 16, 4), QColor(theme.grid))
        painter.fillRect(QRectF(8, middle - 2, self._x(self.t) - 8, 4), QColor(theme.step))
        painter.drawPixmap(0, 0, self._tick_layer(middle))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.step))
        painter.drawEllipse(QPointF(self._x(self.t), middle), 7, 7)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.seek_requested.emit(self._t(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.seek_requested.emit(self._t(event.position().x()))


def tinted(icon: QIcon, colour: QColor, size: QSize) -> QIcon:
    """``icon`` in one flat ``colour``: the style's media icons are black whatever the theme."""
    result = QIcon()
    for ratio in (1.0, 2.0):  # a normal and a HiDPI screen
        image = icon.pixmap(size, ratio).toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)  # keep the shape
        painter.fillRect(image.rect(), colour)
        painter.end()
        result.addPixmap(QPixmap.fromImage(image))
    return result


class ThemedCheckBox(QCheckBox):
    """A check box whose box is drawn in the theme's text colour.

    Fusion outlines the box in a shade of the background: on the dark panel it
    is all but invisible, and pale grey on the light one.
    """

    def __init__(self, text: str, appearance: Appearance):
        super().__init__(text)
        self.appearance = appearance

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = self.appearance.theme
        option = QStyleOptionButton()
        self.initStyleOption(option)
        style = self.style()
        painter = QStylePainter(self)
        label = QStyleOptionButton(option)
        label.rect = style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, self)
        painter.drawControl(QStyle.ControlElement.CE_CheckBoxLabel, label)
        box = QRectF(style.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self))
        box = box.adjusted(1.5, 1.5, -1.5, -1.5)
        ink = QColor(theme.text)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(ink, 1.5))
        painter.setBrush(ink if self.isChecked() else Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, 2, 2)
        if self.isChecked():
            tick = QPen(QColor(theme.panel), 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            tick.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(tick)
            w, h, left, top = box.width(), box.height(), box.left(), box.top()
            painter.drawPolyline(
                [
                    QPointF(left + 0.22 * w, top + 0.52 * h),
                    QPointF(left + 0.42 * w, top + 0.72 * h),
                    QPointF(left + 0.78 * w, top + 0.30 * h),
                ]
            )
        if self.hasFocus():
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            focus.rect = style.subElementRect(QStyle.SubElement.SE_CheckBoxFocusRect, option, self)
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus)


class TransportBar(QWidget):
    """The controls under the panels; the keyboard shortcuts live on the window."""

    def __init__(self, player: Clock[Any], appearance: Appearance):
        super().__init__()
        # A scene's clock plays steps too, but has no detail modes and no heads.
        self.player, self.appearance = player, appearance
        attention = isinstance(player, Player)
        icons = QStyle.StandardPixmap
        self._icons: dict[QToolButton, QStyle.StandardPixmap] = {}
        self.first_button = self._button(icons.SP_MediaSkipBackward, N_("First step (Home)"), player.first)
        self.previous_button = self._button(
            icons.SP_MediaSeekBackward, N_("Previous step (← or PageUp)"), player.previous_step
        )
        self.play_button = self._button(icons.SP_MediaPlay, N_("Play / pause (Space)"), player.toggle)
        self.next_button = self._button(
            icons.SP_MediaSeekForward, N_("Next step (→ or PageDown)"), player.next_step
        )
        self.last_button = self._button(icons.SP_MediaSkipForward, N_("Last step (End)"), player.last)
        self.scrubber = Scrubber(appearance)
        self.scrubber.seek_requested.connect(self._on_seek)
        self.position = QLabel()
        self.position.setMinimumWidth(70)
        self.speed = QComboBox()
        bind(self.speed, self.speed.setToolTip, N_("Playback speed"))
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(self._on_speed)
        self.detail = QComboBox()
        bind(
            self.detail,
            self.detail.setToolTip,
            N_(
                "Detail: full = every dot product; first-query = the first query in full, then rows;"
                " rows = a row at a time; matrix = one step per stage"
            ),
        )
        offer(self.detail, DETAIL_MODES)
        if isinstance(player, Player):
            choose(self.detail, player.detail)
            self.detail.currentIndexChanged.connect(self._on_detail)
        self.loop = ThemedCheckBox("", appearance)
        bind(self.loop, self.loop.setText, N_("Loop"))
        bind(self.loop, self.loop.setToolTip, N_("Start again at the end"))
        self.loop.toggled.connect(player.set_loop)
        self.head = QComboBox()
        bind(self.head, self.head.setToolTip, N_("Which attention head the panels show"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 4)
        for button in (self.first_button, self.previous_button, self.play_button, self.next_button):
            layout.addWidget(button)
        layout.addWidget(self.last_button)
        layout.addWidget(self.scrubber, 1)
        layout.addWidget(self.position)
        for label, widget in (
            (N_("Speed"), self.speed),
            (N_("Detail"), self.detail),
            (N_("Head"), self.head),
        ):
            caption = QLabel()
            bind(caption, caption.setText, label)
            caption.setBuddy(widget)
            layout.addWidget(caption)
            layout.addWidget(widget)
            if widget is self.head:
                self.head_label = caption
            if widget is not self.speed and not attention:
                caption.hide()
                widget.hide()
        layout.addWidget(self.loop)
        self._connect()
        self._on_frame(player.state)

    def _button(self, icon: QStyle.StandardPixmap, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        bind(button, button.setToolTip, tip)
        button.setMinimumWidth(34)
        button.clicked.connect(slot)
        self._set_icon(button, icon)
        return button

    def _set_icon(self, button: QToolButton, icon: QStyle.StandardPixmap) -> None:
        """The style's icon in the theme's text colour: clear on the light and the dark panel."""
        self._icons[button] = icon
        colour = QColor(self.appearance.theme.text)
        button.setIcon(tinted(self.style().standardIcon(icon), colour, button.iconSize()))

    def _connect(self) -> None:
        self.player.frame_changed.connect(self._on_frame)
        self.player.playing_changed.connect(self._on_playing)
        self.player.timeline_changed.connect(self._on_timeline)
        self.appearance.changed.connect(self._on_appearance)

    def shutdown(self) -> None:
        self.player.frame_changed.disconnect(self._on_frame)
        self.player.playing_changed.disconnect(self._on_playing)
        self.player.timeline_changed.disconnect(self._on_timeline)
        self.appearance.changed.disconnect(self._on_appearance)

    def _on_appearance(self) -> None:
        for button, icon in self._icons.items():
            self._set_icon(button, icon)
        self.loop.update()

    def set_heads(self, n_heads: int, current: int) -> None:
        """Fill the head selector (hidden with one head) without echoing a change."""
        if self.head.count() == n_heads and self.head.currentIndex() == current:
            return  # an edit: refilling would lay the bar out and repaint it for nothing
        self.head.blockSignals(True)
        self.head.clear()
        self.head.addItems([f"{h + 1}" for h in range(n_heads)])
        self.head.setCurrentIndex(current)
        self.head.blockSignals(False)
        self.head.setVisible(n_heads > 1)
        self.head_label.setVisible(n_heads > 1)

    def _on_frame(self, state: Sample) -> None:
        self.scrubber.set_position(self.player.timeline, state.t)
        self.position.setText(f"{state.index + 1} / {len(self.player.timeline.steps)}")

    def _on_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self._set_icon(self.play_button, icon)

    def _on_timeline(self, timeline: Timeline) -> None:
        if not isinstance(self.player, Player):
            return  # a scene's steps: no detail modes
        self.detail.blockSignals(True)
        choose(self.detail, self.player.detail)  # a drill-down keeps the user's detail
        self.detail.blockSignals(False)

    def _on_detail(self, index: int) -> None:
        if isinstance(self.player, Player) and index >= 0:
            self.player.set_detail(self.detail.itemData(index))

    def _on_speed(self, index: int) -> None:
        self.player.set_speed(self.speed.itemData(index))

    def _on_seek(self, t: float) -> None:
        self.player.pause()
        self.player.seek(t)
