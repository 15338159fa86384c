"""Offscreen rendering of the board at a fixed size: frames for export, PNG and SVG stills."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QRegion
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from explainer.animation import DEFAULT_DETAIL, FrameState, Timeline
from explainer.model import AttentionModel, Lesson

from .application import APP_NAME, application, release_wrappers
from .board import ALL_PANELS, Board
from .focus import Focus
from .panels.base import Panel
from .panels.caption import CaptionPanel
from .pixels import image_rgb
from .player import Player
from .style import THEME_STYLES, Appearance


def caption_scale_for(size: tuple[int, int]) -> float:
    """The caption in proportion to the frame, 1 at 1280×720 (0.4 to 3)."""
    width, height = size
    return max(0.4, min(3.0, width / 1280, height / 720))


class FrameRenderer:
    """Draws the same panels the app shows, offscreen, at any timeline time.

    Parameters
    ----------
    model : AttentionModel
        The numbers to show (not changed).
    size : (int, int)
        Frame width and height in pixels.
    theme, captions, layout, detail, head
        As in the app: light or dark, caption on or off, which panels, the
        walkthrough's detail, and a head to show throughout (None: follow the steps).
    lesson : Lesson, optional
        The preset's title and description (shown on the first step) and its worked query.
    view : str
        "presenter" (the step's panels large; the default, as export has it) or
        "overview" (every panel at once).
    text_scale : float, optional
        The text size (the window's Ctrl+= / Ctrl+−). The caption is also sized in
        proportion to the frame, so a 480×270 or a 4K export reads like 720p.
    """

    def __init__(
        self,
        model: AttentionModel,
        *,
        size: tuple[int, int] = (1280, 720),
        theme: str = "light",
        captions: bool = True,
        layout: Sequence[str] = ALL_PANELS,
        detail: str = DEFAULT_DETAIL,
        head: int | None = None,
        lesson: Lesson | None = None,
        view: str = "presenter",
        text_scale: float | None = None,
    ):
        application()
        if head is not None and not 0 <= head < model.n_heads:
            raise ValueError(f"head: expected 1 to {model.n_heads}, got {head + 1}")
        self.model, self.size = model, size
        self.appearance = Appearance(
            theme=THEME_STYLES[theme], captions=captions, caption_scale=caption_scale_for(size)
        )
        if text_scale is not None:
            self.appearance.set_font_scale(text_scale)
        self.focus = Focus()
        self.player = Player(model, detail, lesson.worked_query if lesson else None)
        self.board = Board(model, self.focus, self.player, self.appearance, layout, view)
        self.board.caption.set_lesson(lesson)
        self.board.pinned_head = head
        if head is not None:
            self.focus.set(head=head)
        self.board.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.board.setStyleSheet(f"background: {self.appearance.theme.background};")
        self.board.resize(*size)
        self.board.show()
        QCoreApplication.processEvents()  # lay the panels out before the first frame
        self._image = QImage(QSize(*size), QImage.Format.Format_RGB888)
        self._cache: dict[int, tuple[tuple[int, int, int], QImage]] = {}

    @property
    def timeline(self) -> Timeline:
        return self.player.timeline

    def _show(self, when: float | FrameState) -> None:
        if isinstance(when, FrameState):
            self.player.show(when)
        else:
            self.player.seek(when)
        # A frame can change the layout (the first step's lesson shows above the caption,
        # then hides): apply it now, as the window's event loop would before painting.
        for _ in range(3):  # a child's new size asks its parent's layout again, one level a pass
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def render(self, when: float | FrameState) -> np.ndarray:
        """The frame at time ``when`` (or that frame state) as an (height, width, 3) uint8 RGB array.

        Each panel and the caption are painted into their own cached image only
        when something they draw changed; the frame is the composite. During a
        step most panels stand still, so most frames repaint one or two parts.
        """
        self._show(when)
        image = self._image
        image.fill(QColor(self.appearance.theme.background))
        painter = QPainter(image)
        for part in self._parts():
            painter.drawImage(part.mapTo(self.board, QPoint(0, 0)), self._part_image(part))
        painter.end()
        return image_rgb(image)

    def _parts(self) -> list[CaptionPanel | Panel]:
        # Stacked as on screen: a presenter's main panels over the strip they pass.
        panels = sorted(self.board.panels.values(), key=lambda panel: panel.presenting)
        parts: list[CaptionPanel | Panel] = [self.board.caption, *panels]
        return [part for part in parts if part.isVisible()]

    def _part_image(self, part: CaptionPanel | Panel) -> QImage:
        key = (part.version(), part.size().width(), part.size().height())
        cached = self._cache.get(id(part))
        if cached is None or cached[0] != key:
            picture = QImage(part.size(), QImage.Format.Format_RGB32)
            picture.fill(QColor(self.appearance.theme.background))
            # Children only, no window background: as in the window, where the
            # caption's labels sit on the board's background as two boxes.
            part.render(picture, QPoint(0, 0), QRegion(), QWidget.RenderFlag.DrawChildren)
            cached = (key, picture)
            self._cache[id(part)] = cached
        return cached[1]

    def save_png(self, when: float | FrameState, path: Path) -> None:
        """A PNG still of the frame at ``when``."""
        frame = self.render(when)
        height, width, _ = frame.shape
        image = QImage(frame.data, width, height, width * 3, QImage.Format.Format_RGB888)
        if not image.save(str(path)):  # the format follows the .png suffix
            raise OSError(f"cannot write {path}")

    def save_svg(self, when: float | FrameState, path: Path, title: str = APP_NAME) -> None:
        """A vector SVG still: every cell a rectangle, every label text.

        Drawn as the PNG still is (the caption and the panels, each at its place;
        no splitter handles), at the CSS pixel's 96 dpi, and rewritten where
        browsers and librsvg would draw Qt's SVG otherwise (see svg_still).
        """
        from .svg_still import CSS_DPI, portable  # only SVG stills need it

        self._show(when)
        width, height = self.size
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(width, height))
        generator.setViewBox(QRect(0, 0, width, height))
        generator.setResolution(CSS_DPI)
        generator.setTitle(title)
        painter = QPainter(generator)
        painter.fillRect(QRect(0, 0, width, height), QColor(self.appearance.theme.background))
        for part in self._parts():  # what render() composes for the PNG
            part.render(
                painter, part.mapTo(self.board, QPoint(0, 0)), QRegion(), QWidget.RenderFlag.DrawChildren
            )
        painter.end()
        if not path.exists():
            raise OSError(f"cannot write {path}")
        path.write_text(portable(path.read_text(encoding="utf-8")), encoding="utf-8")

    def close(self) -> None:
        """Disconnect and delete the widgets now (pyqtgraph must not outlive Qt)."""
        self.player.stop()
        self.board.shutdown()
        self.board.close()
        self.board.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        release_wrappers()

    def __enter__(self) -> FrameRenderer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
