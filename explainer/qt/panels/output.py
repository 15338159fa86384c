"""The output: head outputs side by side (concat) · W_O + b_O, shown when it differs from the head output."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from explainer.animation import FrameState, StepKind, Tensor
from explainer.i18n import _
from explainer.model import Trace

from ..focus import Focus
from ..items.inset import magnify
from ..items.matrix import MatrixItem, filled
from ..items.text import SceneText
from ..style import diverging_for
from .base import Panel

GAP = 0.8  # room for "·" and "="; narrow, so a 6-wide product keeps 12 px numbers at 720p
MAX_UNITS = 32


class OutputPanel(Panel):
    title = "Heads: concat and W_O"

    def _build(self) -> None:
        self.concat = MatrixItem(self.appearance, on_hover=self._on_row, on_click=self._on_row)
        self.w_o = MatrixItem(self.appearance)
        self.output = MatrixItem(self.appearance, on_hover=self._on_row, on_click=self._on_row)
        self.times = SceneText(self.appearance, "·", 0.9, True)
        self.equals = SceneText(self.appearance, "=", 0.7, True)
        for item in (self.concat, self.w_o, self.output, self.times, self.equals):
            self.box.addItem(item)
        self.inset = magnify(self.view, self.appearance, [self.concat, self.w_o, self.output])

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None:
        theme = self.appearance.theme
        n_q, concat_width = trace.concat.shape
        numbers = concat_width <= 12 and trace.d_model <= 12
        # On screen: a real model's 384-wide matrices are squeezed to MAX_UNITS view units.
        width, d = min(concat_width, MAX_UNITS), min(trace.d_model, MAX_UNITS)
        focus_rows = np.zeros(n_q, dtype=bool)
        if focus.query is not None and focus.query < n_q:
            focus_rows[focus.query] = True

        def rows(flags: np.ndarray, cols: int) -> np.ndarray:
            return np.repeat(flags[:, None], cols, axis=1)

        self.concat.set_content(
            trace.concat,
            diverging_for(trace.concat, theme).rgba(trace.concat),
            opacity=rows(self.shown_opacity(state, Tensor.CONCAT, slice(None)), concat_width),
            step_lit=rows(state.highlighted[Tensor.CONCAT], concat_width),
            focus_lit=rows(focus_rows, concat_width),
            row_labels=trace.query_tokens,
            title=(
                _("head outputs of {n} heads").format(n=trace.n_heads)
                if trace.n_heads > 1
                else _("head output")
            ),
            numbers=numbers,
            max_units=MAX_UNITS,
        )
        left = width + GAP
        self.w_o.setPos(left, 0)
        self.w_o.set_content(
            trace.w_o,
            diverging_for(trace.w_o, theme).rgba(trace.w_o),
            step_lit=filled(trace.w_o.shape, state.step.kind == StepKind.OUTPUT_PROJECTION),
            title="W_O",
            numbers=numbers,
            max_units=MAX_UNITS,
        )
        out_left = left + d + GAP
        self.output.setPos(out_left, 0)
        self.output.set_content(
            trace.output,
            diverging_for(trace.output, theme).rgba(trace.output),
            opacity=rows(self.shown_opacity(state, Tensor.OUTPUT, slice(None)), trace.d_model),
            step_lit=rows(state.highlighted[Tensor.OUTPUT], trace.d_model),
            focus_lit=rows(focus_rows, trace.d_model),
            title=_("output"),
            numbers=numbers,
            max_units=MAX_UNITS,
        )
        middle = min(n_q, width) / 2
        self.times.place(QRectF(width, middle - 0.5, GAP, 1))
        self.equals.place(QRectF(left + d, middle - 0.5, GAP, 1))
        extent = QRectF()
        for item in (self.concat, self.w_o, self.output):
            extent = extent.united(item.mapRectToParent(item.boundingRect()))
        self.fit(extent)
        self.inset.refresh()

    def _on_row(self, cell: tuple[int, int] | None) -> None:
        if cell is not None:
            self.focus.set(query=cell[0])
