"""Projections: X · W_Q = Q, X · W_K = K, X · W_V = V laid out as matrix products."""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtCore import QRectF

from explainer.animation import FrameState, Tensor
from explainer.animation.kinds import PROJECTIONS
from explainer.i18n import _
from explainer.model import Trace

from ..focus import Focus
from ..items.big import STRIP_UNITS, RowStrip
from ..items.inset import magnify
from ..items.matrix import MatrixItem, filled
from ..items.text import SceneText
from ..style import diverging_for, diverging_for_all
from .base import Panel

GAP = 1.0  # view units between factors
ROW_GAP = 2.2  # view units between the three products
MAX_UNITS = 32  # a real model's 384-wide matrices are squeezed to this many view units


class ProjectionsPanel(Panel):
    title = "Projections"

    def _build(self) -> None:
        self.rows = []
        for which in "qkv":
            x = MatrixItem(self.appearance, tooltip=partial(self._tip, which, "x"))
            w = MatrixItem(self.appearance, tooltip=partial(self._tip, which, "w"))
            out = MatrixItem(
                self.appearance,
                on_hover=partial(self._on_row, which),
                on_click=partial(self._on_row, which),
                tooltip=partial(self._tip, which, "out"),
            )
            times, equals = (
                SceneText(self.appearance, "·", 0.9, True),
                SceneText(self.appearance, "=", 0.7, True),
            )
            for item in (x, w, out, times, equals):
                self.box.addItem(item)
            self.rows.append((which, x, w, out, times, equals))
        self.strips = {which: RowStrip(self.appearance) for which in "qkv"}
        for strip in self.strips.values():
            self.box.addItem(strip)
        self.inset = magnify(self.view, self.appearance, [item for row in self.rows for item in row[1:4]])

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None:
        h = self.head(trace)
        theme = self.appearance.theme
        d = min(trace.d_model, MAX_UNITS)  # on screen: a 384-wide X is squeezed to MAX_UNITS
        d_k = min(trace.d_k, MAX_UNITS)
        numbers = trace.d_model <= 12 and trace.d_k <= 12
        top = 0.0
        extent = QRectF()
        parts: dict[str, QRectF] = {}
        x_scale = diverging_for_all((trace.x_q, trace.x_kv), theme)
        for which, x_item, w_item, out_item, times, equals in self.rows:
            source = "x_q" if which == "q" else "x_kv"
            x = getattr(trace, source)
            w = getattr(trace, f"w_{which}")[h]
            out = getattr(trace, which)[h]
            n = x.shape[0]
            tokens = trace.query_tokens if which == "q" else trace.key_tokens
            opacity, current = self._sweep(state, which, h, n)
            x_lit = np.zeros_like(x, dtype=bool)
            out_lit = np.zeros_like(out, dtype=bool)
            if current is not None:
                x_lit[current] = out_lit[current] = True
            else:
                out_lit[state.highlighted[Tensor(which)][h]] = True
            focus_row = focus.query if which == "q" else focus.key
            x_focus = np.zeros_like(x, dtype=bool)
            out_focus = np.zeros_like(out, dtype=bool)
            if focus_row is not None and focus_row < n:
                x_focus[focus_row] = out_focus[focus_row] = True
            letter = which.upper()
            x_name = "X" if trace.self_attention else ("X_q" if which == "q" else "X_kv")
            x_item.setPos(0, top)
            x_item.set_content(
                x,
                x_scale.rgba(x),
                step_lit=x_lit,
                focus_lit=x_focus,
                row_labels=tokens,
                title=x_name,
                numbers=numbers,
                max_units=MAX_UNITS,
            )
            w_left = d + GAP
            w_scale = diverging_for(w, theme)
            w_item.setPos(w_left, top)
            step_on_w = PROJECTIONS.get(state.step.kind) == which and state.step.head in (None, h)
            w_item.set_content(
                w,
                w_scale.rgba(w),
                step_lit=filled(w.shape, step_on_w),
                title=f"W_{letter}" + (_head_name(h, numbers) if trace.n_heads > 1 else ""),
                numbers=numbers,
                max_units=MAX_UNITS,
            )
            out_left = w_left + d_k + GAP + 0.4
            out_scale = diverging_for(out, theme)
            out_item.setPos(out_left, top)
            out_item.set_content(
                out,
                out_scale.rgba(out),
                opacity=np.repeat(opacity[:, None], out.shape[1], axis=1),
                step_lit=out_lit,
                focus_lit=out_focus,
                title=letter,
                numbers=numbers,
                max_units=MAX_UNITS,
            )
            middle = top + min(n, d) / 2
            times.place(QRectF(d, middle - 0.5, GAP, 1.0))
            equals.place(QRectF(w_left + d_k, middle - 0.5, GAP + 0.4, 1.0))
            row = QRectF()
            for item in (x_item, w_item, out_item):
                row = row.united(item.mapRectToParent(item.boundingRect()))
            strip = self.strips[which]
            strip.setVisible(out_item.big() or x_item.big())
            if strip.isVisible():  # the focused token's row as numbers: the cells are too small
                shown = focus_row if focus_row is not None and focus_row < n else self._step_row(state, which)
                band = QRectF(row.left(), top + max(n, d) + 0.2, row.width(), STRIP_UNITS)
                strip.show_row(band, f"{which}_{tokens[min(shown, n - 1)]}", out[min(shown, n - 1)])
                row = row.united(band)
                top += STRIP_UNITS + 0.2
            parts[which] = row
            extent = extent.united(row)
            top += max(n, d) + ROW_GAP
        self.fit(extent, parts)
        self.inset.refresh()

    def _step_row(self, state: FrameState, which: str) -> int:
        """The row the step is about: its query for Q, its key for K and V (else the first)."""
        row = state.step.query if which == "q" else state.step.key
        return row if row is not None else (self.player.timeline.worked_query if which == "q" else 0)

    def _sweep(self, state: FrameState, which: str, h: int, n: int) -> tuple[np.ndarray, int | None]:
        """Row opacities of the output; while a projection step plays, rows appear one by one
        and the row being computed is returned so that row of X lights up with it."""
        opacity = state.revealed[Tensor(which)][h] * 1.0
        appearing = state.appearing[Tensor(which)][h]
        if not appearing.any():
            return opacity, None
        position = state.eased * n
        rows = np.arange(n)
        opacity = np.where(appearing, np.clip(position - rows, 0.0, 1.0), opacity)
        current = min(n - 1, int(position)) if state.eased < 1 else None
        return opacity, current

    def _on_row(self, which: str, cell: tuple[int, int] | None) -> None:
        if cell is not None:
            self.focus.set(query=cell[0]) if which == "q" else self.focus.set(key=cell[0])

    def _tip(self, which: str, part: str, cell: tuple[int, int]) -> str:
        trace = self.model.trace
        h, (r, c) = self.head(trace), cell
        letter = which.upper()
        tokens = trace.query_tokens if which == "q" else trace.key_tokens
        if part == "x":
            x = trace.x_q if which == "q" else trace.x_kv
            return f"x_{tokens[r]}[{c}] = {x[r, c]:.6g}"
        if part == "w":
            weight = getattr(trace, f"w_{which}")[h, r, c]
            return _("W_{letter}[{row}, {column}] = {value}  (edit it in the weight editor)").format(
                letter=letter, row=r, column=c, value=f"{weight:.6g}"
            )
        value = getattr(trace, which)[h, r, c]
        bias = getattr(trace, f"b_{which}")[h, c]
        formula = f"x_{tokens[r]} · W_{letter}[:, {c}] + b"
        return _("{which}_{token}[{column}] = {formula} = {value}  (bias {bias})").format(
            which=which, token=tokens[r], column=c, formula=formula, value=f"{value:.6g}", bias=f"{bias:.3g}"
        )


def _head_name(h: int, numbers: bool) -> str:
    """ " (head 2)" beside a toy's W; ", head 9" before a big W's shape: "W_Q, head 9 (384 × 32)"."""
    return (_(" (head {head})") if numbers else _(", head {head}")).format(head=h + 1)
