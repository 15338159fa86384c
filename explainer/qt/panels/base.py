"""Panel: one pyqtgraph view that draws (trace, frame state, focus) and keeps no numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneMouseEvent, QGraphicsView, QVBoxLayout, QWidget

from explainer.animation import FrameState
from explainer.model import AttentionModel, Trace

from ..focus import Focus
from ..player import Player
from ..style import Appearance

# pyqtgraph drops a mouse move that comes within 10 ms of the previous one (its
# default rate limit), so a pointer that stops quickly left the focus on the cell
# before. Qt already merges queued moves, and the board redraws only when the
# hovered cell changes, so every move may count.
pg.setConfigOption("mouseRateLimit", 0)
FADED = 0.18  # opacity of what a presenter's camera catches beside the framed part


class ZoomBox(pg.ViewBox):
    """A y-down, aspect-locked view: the wheel zooms, a drag pans, a double click fits again.

    Real models have 384-wide matrices: zoom in to read them.
    """

    def __init__(self, refit: Callable[[], None]) -> None:
        super().__init__(lockAspect=True, invertY=True, enableMouse=True, enableMenu=False)
        self._refit = refit

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()
        self._refit()


class Panel(QWidget):
    """Base of every panel: a locked-aspect, y-down ViewBox fitted to its items.

    Subclasses build their items in ``_build`` and draw in ``draw``. A panel
    subscribes to nothing: the :class:`~explainer.qt.board.Board` that holds it
    is the one subscriber that redraws, once per frame, whatever changed.
    """

    title = ""

    def __init__(self, model: AttentionModel, focus: Focus, player: Player, appearance: Appearance):
        super().__init__()
        self.model, self.focus, self.player, self.appearance = model, focus, player, appearance
        self._extent: QRectF | None = None
        # The presenter's camera: frame part ``camera[1]``, arriving from part
        # ``camera[0]`` at progress ``camera[2]``; "all" frames everything drawn.
        self.camera: tuple[str, str, float] = ("all", "all", 1.0)
        self.presenting = False  # a main panel of the presenter view: draw its worked parts
        self._changes = 0  # view range and theme changes; items count their own
        self.view = pg.GraphicsView()
        self.box = ZoomBox(self._refit)
        self.box.sigRangeChanged.connect(self._on_range_changed)
        self.view.setCentralItem(self.box)
        # No background pixmap cache: a plain fill is as fast, and SVG export
        # would otherwise embed the cache as a bitmap.
        self.view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.view.setToolTip("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._build()
        self._apply_theme()

    # ------------------------------------------------------------ wiring
    def _on_range_changed(self, *_: object) -> None:
        self._changes += 1

    def _refit(self) -> None:
        if self._extent is not None:
            self.box.setRange(rect=self._extent, padding=0.02)

    def restyle(self) -> None:
        """A new theme or text size: the next draw uses it (the board then draws once)."""
        self._changes += 1
        self._apply_theme()
        for item in self.box.addedItems:  # same numbers, new colours or font sizes
            item.update()

    def _apply_theme(self) -> None:
        self.view.setBackground(self.appearance.theme.background)

    def shutdown(self) -> None:
        """Let go of the view's own connections (the window calls this before closing)."""
        self.box.sigRangeChanged.disconnect(self._on_range_changed)

    # ------------------------------------------------------------ drawing
    def _build(self) -> None:
        raise NotImplementedError

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None:
        raise NotImplementedError

    def fit(self, extent: QRectF, parts: Mapping[str, QRectF] | None = None) -> None:
        """Fit the view to ``extent`` (view units), or to the camera's part of it.

        ``parts`` names regions of the drawing the presenter may frame ("q": the
        Q = X·W_Q row); during a camera move the view slides from one to the other.
        """
        named = {"all": extent, **(parts or {})}
        start, end, u = self.camera
        target = named.get(end, extent)
        if u < 1.0:
            origin = named.get(start, extent)
            target = QRectF(
                origin.x() + (target.x() - origin.x()) * u,
                origin.y() + (target.y() - origin.y()) * u,
                origin.width() + (target.width() - origin.width()) * u,
                origin.height() + (target.height() - origin.height()) * u,
            )
        self._fade_outside(None if end == "all" else named.get(end))
        extent = target.adjusted(-0.3, -0.3, 0.3, 0.3)  # room for outlines and long titles
        if extent != self._extent:
            self._changes += 1
            self._extent = QRectF(extent)
            self.box.setRange(rect=extent, padding=0.02)
        # Apply the new range now, not when the view paints (pyqtgraph's default):
        # moving the items during the paint schedules a second paint of the panel,
        # on every frame of a camera move.
        self.box.updateMatrix()

    def _fade_outside(self, part: QRectF | None) -> None:
        """Presenting one part: what the camera also catches around it is faded, not cut."""
        room = None if part is None else part.adjusted(-0.5, -0.5, 0.5, 0.5)
        for item in self.box.addedItems:
            if not item.isVisible():
                continue
            inside = room is None or room.contains(item.mapRectToParent(item.boundingRect()).center())
            opacity = 1.0 if inside else FADED
            if QGraphicsItem.opacity(item) != opacity:  # MatrixItem.opacity is its cells' array
                item.setOpacity(opacity)
                self._changes += 1

    def version(self) -> int:
        """Grows whenever anything drawn here changed (offscreen export caches by it)."""
        return self._changes + sum(getattr(item, "version", 0) for item in self.box.addedItems)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._changes += 1
        if self._extent is not None:
            self.box.setRange(rect=self._extent, padding=0.02)

    def head(self, trace: Trace) -> int:
        return min(self.focus.head, trace.n_heads - 1)

    def focused_query(self, state: FrameState, focus: Focus, n_q: int) -> int:
        """The query a one-row view shows: the step's, else the focused one, else the worked one.

        The step's query comes first: hovering another row lights it, but the
        one-row views keep showing what the caption is talking about.
        """
        if state.step.query is not None and state.step.query < n_q:
            return state.step.query
        if focus.query is not None and focus.query < n_q:
            return focus.query
        worked = self.player.timeline.worked_query
        return worked if worked < n_q else 0

    def _on_cell(self, cell: tuple[int, int] | None) -> None:
        """Hover or click on a (query, key) cell: every panel lights that pair."""
        if cell is not None:
            self.focus.set(query=cell[0], key=cell[1])

    def shown_opacity(
        self, state: FrameState, name: str, index: int | slice | tuple[int | slice, ...]
    ) -> np.ndarray:
        """Per-cell opacity: 1 for revealed cells, the eased progress for appearing ones."""
        return np.asarray(state.revealed[name][index] * 1.0 + state.appearing[name][index] * state.eased)


def focus_cells(focus: Focus, n_q: int, n_k: int) -> np.ndarray:
    """The focused (query, key) cell, or the focused query's row / key's column."""
    lit = np.zeros((n_q, n_k), dtype=bool)
    i, j = focus.query, focus.key
    if i is not None and j is not None and i < n_q and j < n_k:
        lit[i, j] = True
    elif i is not None and i < n_q:
        lit[i, :] = True
    elif j is not None and j < n_k:
        lit[:, j] = True
    return lit
