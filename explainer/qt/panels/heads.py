"""All heads at a glance: every head's α map of the layer, labelled; click one to show it.

Readable on its own: each map has its title, the query tokens label the rows
of the first column of maps and the key tokens the columns of the first row,
and one colour bar gives α's scale. Labels keep a readable pixel size, so the
layout is found in pixels for the panel's size (see items/heads_layout.py): view units
here are pixels, and a resize lays the maps out again.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from explainer.animation import FrameState, Tensor
from explainer.i18n import _
from explainer.model import Trace

from ..focus import Focus
from ..items.cell_text import format_number
from ..items.cells import same
from ..items.heads_layout import HeadsLayout, arrange
from ..items.heads_text import HeadsTextItem
from ..items.matrix import MatrixItem, filled
from ..style import ColorScale, weights_scale
from .base import Panel

DOCK_WIDTH = 300  # px: the widest the overview asks for, so the main view keeps its room


class HeadsPanel(Panel):
    """Small multiples of α, one per head; the head the panels show is framed."""

    title = "All heads"

    def _build(self) -> None:
        self.maps: list[MatrixItem] = []
        self.texts = HeadsTextItem(self.appearance, on_pick=self._on_pick)
        self.box.addItem(self.texts)
        self.arrangement: HeadsLayout | None = None
        self._drawn_scale = ""  # the colour map the maps were last drawn in (the theme's)

    def _ensure(self, n_heads: int) -> None:
        """One map per head, made or dropped when the number of heads changes."""
        while len(self.maps) < n_heads:
            head = len(self.maps)
            item = MatrixItem(
                self.appearance,
                on_click=partial(self._on_pick, head),
                tooltip=partial(self._tooltip, head),
            )
            self.box.addItem(item)
            self.maps.append(item)
        while len(self.maps) > n_heads:
            self.box.removeItem(self.maps.pop())

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None:
        n_heads = trace.n_heads
        self._ensure(n_heads)
        self._place(trace)
        scale = weights_scale(self.appearance.theme)
        chosen = self.head(trace)
        for h, item in enumerate(self.maps):
            values, colors = self._unless_drawn(item, trace.weights[h], scale)
            item.set_content(
                values,
                colors,
                opacity=self.shown_opacity(state, Tensor.WEIGHTS, h),
                focus_lit=filled(trace.weights.shape[1:], h == chosen),
                numbers=False,
            )
        self.texts.set_chosen(chosen, scale)  # and a solid frame outside its map
        self._drawn_scale = scale.name

    def _unless_drawn(
        self, item: MatrixItem, weights: np.ndarray, scale: ColorScale
    ) -> tuple[np.ndarray, np.ndarray]:
        """A head's α and colours: the colours the map shows already when its α did not change.

        An edit changes one head of 16: the other maps are recognised by their
        α, so their colours are not looked up again.
        """
        if scale.name == self._drawn_scale and same(weights, item.values):
            return weights, item.colors
        return weights, scale.rgba(weights)

    def _place(self, trace: Trace) -> None:
        """Lay the maps out for the panel's size and tokens (kept while neither changes)."""
        width, height = max(self.width(), 1), max(self.height(), 1)
        shown = arrange(
            width,
            height,
            trace.n_heads,
            tuple(trace.query_tokens),
            tuple(trace.key_tokens),
            self.appearance.font_scale,
        )
        if shown is self.arrangement:
            return
        self.arrangement = shown
        for item, corner in zip(self.maps, shown.maps, strict=True):
            item.setPos(corner)
            item.setScale(shown.pitch)
        self.texts.set_layout(shown)
        view = QRectF(0, 0, width, height)  # one view unit per pixel
        if view != self._extent:
            self._changes += 1
            self._extent = view
            self.box.setRange(rect=view, padding=0)

    def _refit(self) -> None:
        if self._extent is not None:
            self.box.setRange(rect=self._extent, padding=0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        QWidget.resizeEvent(self, event)
        self._changes += 1
        trace = self.model.trace
        if len(self.maps) == trace.n_heads:  # drawn: lay out again for the new size
            self._place(trace)

    def sizeHint(self) -> QSize:
        """As wide as the maps need at their largest, up to DOCK_WIDTH (the dock's first size)."""
        trace = self.model.trace
        tall = arrange(
            DOCK_WIDTH,
            4000,
            trace.n_heads,
            tuple(trace.query_tokens),
            tuple(trace.key_tokens),
            self.appearance.font_scale,
        )
        width = min(DOCK_WIDTH, int(tall.extent.right() + tall.extent.left()) + 1)
        return QSize(width, min(720, int(tall.extent.bottom()) + 8))

    def _on_pick(self, head: int, _cell: tuple[int, int] | None = None) -> None:
        """A click on a head's map or title: every panel shows that head."""
        self.focus.set(head=head)

    def _tooltip(self, head: int, cell: tuple[int, int]) -> str:
        trace = self.model.trace
        i, j = cell
        weight = format_number(float(trace.weights[head, i, j]))
        pair = f"{trace.query_tokens[i]}, {trace.key_tokens[j]}"
        return _("head {head}: α({pair}) = {weight}; click to show this head").format(
            head=head + 1, pair=pair, weight=weight
        )
