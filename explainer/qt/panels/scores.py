"""Scores panel: q·k for every (query, key), then scaled, then masked, with a colour bar."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from explainer.animation import FrameState, StepKind, Tensor
from explainer.i18n import _
from explainer.model import Trace

from ..focus import Focus
from ..items.cell_text import format_number
from ..items.matrix import MatrixItem
from ..items.text import ColorBarItem
from ..style import diverging_for
from .base import Panel, focus_cells
from .dot_row import DotRow


class ScoresPanel(Panel):
    title = "Scores"

    def _build(self) -> None:
        self.matrix = MatrixItem(
            self.appearance, on_hover=self._on_cell, on_click=self._on_cell, tooltip=self._tooltip
        )
        self.colorbar = ColorBarItem(self.appearance)
        self.box.addItem(self.matrix)
        self.box.addItem(self.colorbar)
        self.worked = DotRow(self.appearance, self.box)

    def displayed(self, trace: Trace, state: FrameState) -> tuple[np.ndarray, np.ndarray, str]:
        """The values on screen per cell (scores → scaled → masked), masked flags, title."""
        h = self.head(trace)
        values = trace.scores[h].copy()
        title = _("Scores  q·k")
        if trace.scale:
            scaled_shown = state.shown(Tensor.SCALED)[h]
            if scaled_shown.any():
                # The appearing cells slide from the raw score to the scaled one.
                t = np.where(state.appearing[Tensor.SCALED][h], state.eased, 1.0)
                values = np.where(scaled_shown, values + (trace.scaled[h] - values) * t, values)
                title = _("Scaled  q·k / √{d_k}").format(d_k=trace.d_k)
        masked = np.zeros_like(trace.mask)
        if trace.causal:
            half_way = state.eased >= 0.5
            mask_on = state.revealed[Tensor.MASKED][h] | (state.appearing[Tensor.MASKED][h] & half_way)
            masked = trace.mask & mask_on
            if mask_on.any():
                title = _("Masked scores (causal)")
        return values, masked, title

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None:
        h = self.head(trace)
        values, masked, title = self.displayed(trace, state)
        opacity = self.shown_opacity(state, Tensor.SCORES, h)
        # The scale spans every score, not just those revealed so far: a cell keeps
        # its colour while the others appear (and the colour bar does not jump).
        scale = diverging_for(values[~masked], self.appearance.theme)
        lit = np.logical_or.reduce(
            [state.highlighted[name][h] for name in (Tensor.SCORES, Tensor.SCALED, Tensor.MASKED)]
        )
        n_q, n_k = values.shape
        if trace.n_heads > 1:
            title = _("{title}  (head {head})").format(title=title, head=h + 1)
        self.matrix.set_content(
            values,
            scale.rgba(values),
            opacity=opacity,
            step_lit=lit,
            focus_lit=focus_cells(focus, n_q, n_k),
            masked=masked,
            row_labels=trace.query_tokens,
            col_labels=trace.key_tokens,
            title=title,
        )
        bar = QRectF(n_k + 0.35, 0, 0.35, n_q)
        self.colorbar.set_scale(scale, bar)
        extent = self.matrix.boundingRect().united(self.colorbar.boundingRect())
        # Presenting a dot product: q_i and the k it meets beside the matrix.
        step = state.step
        dotting = self.presenting and step.kind == StepKind.DOT and step.query is not None
        self.worked.set_visible(dotting)
        if dotting and step.query is not None:
            extent = extent.united(self.worked.draw(trace, h, step.query, step.key, n_k + 3.4))
        self.fit(extent)

    def _tooltip(self, cell: tuple[int, int]) -> str:
        trace = self.model.trace
        h, (i, j) = self.head(trace), cell
        q, k = trace.query_tokens[i], trace.key_tokens[j]
        lines = [f"score({q}, {k}) = q_{q} · k_{k} = {trace.scores[h, i, j]:.6g}"]
        if trace.scale:
            lines.append(f"scaled = {trace.scores[h, i, j]:.6g} / √{trace.d_k} = {trace.scaled[h, i, j]:.6g}")
        if trace.mask[i, j]:
            lines.append(
                _("masked: “{key}” comes after “{query}”, so the score becomes −∞").format(key=k, query=q)
            )
        lines.append(f"α({q}, {k}) = {format_number(trace.weights[h, i, j])}")
        return "\n".join(lines)
