"""All heads at a glance: every head's α map of the layer, small; click one to show it."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
from PySide6.QtCore import QRectF

from explainer.animation import FrameState, Tensor
from explainer.model import Trace

from ..focus import Focus
from ..items.matrix import MatrixItem, format_number
from ..style import weights_scale
from .base import Panel

GAP = 1.5  # view units (cells) between maps


class HeadsPanel(Panel):
    """Small multiples of α, one per head; the head the panels show is outlined."""

    title = "All heads"

    def _build(self) -> None:
        self.maps: list[MatrixItem] = []

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
        n_heads, n_q, n_k = trace.weights.shape
        self._ensure(n_heads)
        columns = math.ceil(math.sqrt(n_heads * n_q / max(n_k, 1)))
        scale = weights_scale(self.appearance.theme)
        chosen = self.head(trace)
        extent = QRectF()
        for h, item in enumerate(self.maps):
            row, column = divmod(h, columns)
            item.setPos(column * (n_k + GAP), row * (n_q + GAP + 1))  # + 1: the title
            item.set_content(
                trace.weights[h],
                scale.rgba(trace.weights[h]),
                opacity=self.shown_opacity(state, Tensor.WEIGHTS, h),
                focus_lit=np.full((n_q, n_k), h == chosen),
                title=f"head {h + 1}",
                numbers=False,
            )
            extent = extent.united(item.mapRectToParent(item.boundingRect()))
        self.fit(extent)

    def _on_pick(self, head: int, _cell: tuple[int, int]) -> None:
        self.focus.set(head=head)

    def _tooltip(self, head: int, cell: tuple[int, int]) -> str:
        trace = self.model.trace
        i, j = cell
        weight = format_number(float(trace.weights[head, i, j]))
        pair = f"{trace.query_tokens[i]}, {trace.key_tokens[j]}"
        return f"head {head + 1}: α({pair}) = {weight}; click to show this head"
