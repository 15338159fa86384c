"""Softmax panel: the α heatmap and a bar chart of the focused query's row."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QTransform

from explainer.animation import FrameState, Tensor
from explainer.i18n import _
from explainer.model import Trace

from ..focus import Focus
from ..items.cell_text import format_number
from ..items.matrix import Cell, MatrixItem
from ..items.text import BarsItem, ColorBarItem, SceneText
from ..learning.marks import TargetMarks
from ..style import weights_scale
from .base import Panel, focus_cells
from .softmax_row import SoftmaxRow

BAR_HEIGHT = 3.0  # view units for α = 1
BAR_SPACING = 1.6  # view units per bar: room for a token like "example" under its bar
# The Learn dock's picker: (head, query, key) of a clicked α cell.
TargetPicker = Callable[[int, int, int], None]


class SoftmaxPanel(Panel):
    title = "Softmax"

    def _build(self) -> None:
        self.matrix = MatrixItem(
            self.appearance, on_hover=self._on_cell, on_click=self._on_click, tooltip=self._tooltip
        )
        # Learning: a flag on each targeted cell; while the Learn dock shows, a click picks targets.
        self.marks = TargetMarks(self.appearance, self.matrix)
        self._targets: Mapping[int, np.ndarray] = {}
        self._picker: TargetPicker | None = None
        self._drill: TargetPicker | None = None  # otherwise a click works that α out on its own
        self.colorbar = ColorBarItem(self.appearance)
        self.bars = BarsItem(self.appearance, BAR_HEIGHT)
        self.bars.setTransform(QTransform.fromScale(BAR_SPACING, 1.0))
        self.bars_title = SceneText(self.appearance, size=0.42, bold=True)
        for item in (self.matrix, self.colorbar, self.bars, self.bars_title):
            self.box.addItem(item)
        self.worked = SoftmaxRow(self.appearance, self.box)

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None:
        h = self.head(trace)
        weights = trace.weights[h]
        n_q, n_k = weights.shape
        opacity = self.shown_opacity(state, Tensor.WEIGHTS, h)
        scale = weights_scale(self.appearance.theme)
        colors = scale.rgba(weights)
        title = _("Weights α = softmax(row)")
        if trace.n_heads > 1:
            title = _("{title}  (head {head})").format(title=title, head=h + 1)
        self.matrix.set_content(
            weights,
            colors,
            opacity=opacity,
            step_lit=state.highlighted[Tensor.WEIGHTS][h],
            focus_lit=focus_cells(focus, n_q, n_k),
            row_labels=trace.query_tokens,
            col_labels=trace.key_tokens,
            title=title,
        )
        self.marks.set_cells(self._targets.get(h), (n_q, n_k))
        self.colorbar.set_scale(scale, QRectF(n_k + 0.35, 0, 0.35, n_q))
        i = self.focused_query(state, focus, n_q)
        extent = self.matrix.boundingRect().united(self.colorbar.boundingRect())
        # Presenting: the focused row worked out beside the matrix, instead of its bar chart.
        for item in (self.bars, self.bars_title):
            item.setVisible(not self.presenting)
        self.worked.set_visible(self.presenting)
        if self.presenting:
            lit = state.highlighted[Tensor.WEIGHTS][h, i]
            row = self.worked.draw(trace, h, i, n_k + 2.4, np.clip(opacity[i], 0, 1), lit)
            self.fit(extent.united(row), {"row": extent.united(row)})
            return
        heights = weights[i] * np.clip(opacity[i], 0, 1)
        # The bars sit right of the heatmap: the panel is wider than it is tall.
        left, top = n_k + 2.6, 1.2
        self.bars.setPos(left, top)
        focused = np.zeros(n_k, dtype=bool)
        if focus.key is not None and focus.key < n_k:
            focused[focus.key] = True
        self.bars.set_bars(
            heights,
            trace.key_tokens,
            colors[i],
            state.highlighted[Tensor.WEIGHTS][h, i],
            focused,
        )
        total = float(heights.sum())
        done = bool(np.all(opacity[i] >= 1))
        caption = _("α for “{query}”").format(query=trace.query_tokens[i])
        if done:
            caption = _("α for “{query}”:  Σ = {total}").format(
                query=trace.query_tokens[i], total=format_number(total)
            )
        width = n_k * BAR_SPACING
        self.bars_title.place(QRectF(left, top - 1.1, width, 0.6), caption)
        self.fit(extent.united(QRectF(left, top - 1.2, width, BAR_HEIGHT + 2.0)))

    def show_targets(self, cells: Mapping[int, np.ndarray]) -> None:
        """Flag the targeted cells: head → (n_q, n_k) bool (the Learn dock's target)."""
        self._targets = cells
        self._changes += 1
        self.marks.set_cells(cells.get(self.head(self.model.trace)), self.matrix.values.shape)

    def pick_targets(self, picker: TargetPicker | None) -> None:
        """While ``picker`` is set, a click on an α cell goes to it instead of the focus."""
        self._picker = picker

    def drill_with(self, drill: TargetPicker | None) -> None:
        """A click on an unmasked α cell (when no target is being picked) goes to ``drill``."""
        self._drill = drill

    def _on_click(self, cell: Cell) -> None:
        head = self.head(self.model.trace)
        if self._picker is not None:
            self._picker(head, *cell)
        elif self._drill is not None and not self.model.trace.mask[cell]:
            self._drill(head, *cell)
        else:
            self._on_cell(cell)

    def _tooltip(self, cell: tuple[int, int]) -> str:
        trace = self.model.trace
        h, (i, j) = self.head(trace), cell
        q, k = trace.query_tokens[i], trace.key_tokens[j]
        if trace.mask[i, j]:
            return _("α({query}, {key}) = 0: “{key}” comes after “{query}” and is masked").format(
                query=q, key=k
            )
        row = trace.masked[h, i]
        finite = row[np.isfinite(row)]
        total = float(np.exp(finite - finite.max()).sum())
        shift = float(finite.max())
        return (
            f"α({q}, {k}) = exp({row[j]:.4g} − {shift:.4g}) / Σ exp(s − {shift:.4g})"
            f" = {np.exp(row[j] - shift):.4g} / {total:.4g} = {trace.weights[h, i, j]:.6g}\n"
            + _("the row of “{query}” sums to {total}").format(
                query=q, total=f"{trace.weights[h, i].sum():.6g}"
            )
            + (
                "\n" + _("click: work this weight out step by step")
                if self._drill and not self._picker
                else ""
            )
        )
