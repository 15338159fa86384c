"""Weighted sum: each value v_j scaled by α_ij, and their sum out_i, the head output (the classic figure)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from explainer.animation import FrameState, Tensor
from explainer.i18n import _
from explainer.model import Trace

from ..focus import Focus
from ..items.inset import magnify
from ..items.matrix import MatrixItem
from ..items.text import SceneText
from ..style import diverging_for, weights_scale
from .base import Panel

GAP = 1.4
SIGN_UNITS = 1.4  # room for "=" between the values and their shares


class WeightedSumPanel(Panel):
    title = "Weighted sum"

    def _build(self) -> None:
        hover = dict(on_hover=self._on_key, on_click=self._on_key)
        self.values = MatrixItem(self.appearance, tooltip=self._tip_value, **hover)
        self.alphas = MatrixItem(self.appearance, tooltip=self._tip_alpha, **hover)
        self.shares = MatrixItem(self.appearance, tooltip=self._tip_share, **hover)
        self.out = MatrixItem(self.appearance, tooltip=self._tip_out)
        self.context = MatrixItem(self.appearance, on_hover=self._on_query, on_click=self._on_query)
        self.sum_sign = SceneText(self.appearance, "Σ →", 0.6, True)
        self.equals = SceneText(self.appearance, "=", 0.7, True)
        items = (self.values, self.alphas, self.shares, self.out, self.context, self.sum_sign, self.equals)
        for item in items:
            self.box.addItem(item)
        matrices = [self.values, self.alphas, self.shares, self.out, self.context]
        self.inset = magnify(self.view, self.appearance, matrices)  # big ones only (d_v = 32 …)

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None:
        h = self.head(trace)
        theme = self.appearance.theme
        n_q, n_k = trace.weights.shape[1:]
        d_v = trace.d_v
        i = self.focused_query(state, focus, n_q)
        token = trace.query_tokens[i]
        v_t = trace.v[h].T  # one column per key: the classic picture
        alpha = trace.weights[h, i]
        shares = v_t * alpha[None, :]
        share_opacity = self.shown_opacity(state, Tensor.CONTRIBUTIONS, h)[i]
        value_scale = diverging_for(v_t, theme)
        key_focus = np.zeros(n_k, dtype=bool)
        if focus.key is not None and focus.key < n_k:
            key_focus[focus.key] = True
        lit_keys = state.highlighted[Tensor.CONTRIBUTIONS][h, i] | state.highlighted[Tensor.V][h]
        numbers = d_v <= 12
        # Presenting: α on top of the values it weighs, the shares and out_i beside them
        # (wide, for a wide stage); otherwise stacked, for a tall overview column.
        wide = self.presenting
        values_top = 2.2 if wide else 0.0  # the values title between α and the values
        self.values.setPos(0, values_top)
        self.values.set_content(
            v_t,
            value_scale.rgba(v_t),
            opacity=np.repeat(self.shown_opacity(state, Tensor.V, h)[None, :], d_v, axis=0),
            step_lit=np.repeat(state.highlighted[Tensor.V][h][None, :], d_v, axis=0),
            focus_lit=np.repeat(key_focus[None, :], d_v, axis=0),
            col_labels=() if wide else trace.key_tokens,
            title=_("× values v_j (columns)") if wide else _("values v_j (columns)"),
            numbers=numbers,
        )
        top = 0.0 if wide else d_v + GAP
        self.alphas.setPos(0, top)
        self.alphas.set_content(
            alpha[None, :],
            weights_scale(theme).rgba(alpha[None, :]),
            opacity=self.shown_opacity(state, Tensor.WEIGHTS, h)[i][None, :],
            step_lit=state.highlighted[Tensor.WEIGHTS][h, i][None, :],
            focus_lit=key_focus[None, :],
            col_labels=trace.key_tokens if wide else (),
            title=f"α({token}, ·)" if wide else f"× α({token}, ·)",
        )
        top = values_top if wide else top + 1 + GAP
        shares_left = n_k + SIGN_UNITS if wide else 0.0
        self.equals.setVisible(wide)
        self.equals.place(QRectF(n_k, top + d_v / 2 - 0.5, SIGN_UNITS, 1.0))
        self.shares.setPos(shares_left, top)
        self.shares.set_content(
            shares,
            value_scale.rgba(shares),
            opacity=np.repeat(share_opacity[None, :], d_v, axis=0),
            step_lit=np.repeat(lit_keys[None, :], d_v, axis=0) & (share_opacity[None, :] > 0),
            focus_lit=np.repeat(key_focus[None, :], d_v, axis=0),
            title="= α·v_j",
            numbers=numbers,
        )
        # out_i grows as the shares arrive: the sum of what is on screen so far.
        partial = (shares * np.clip(share_opacity, 0, 1)[None, :]).sum(axis=1, keepdims=True)
        out_left = shares_left + n_k + 1.8
        self.sum_sign.place(QRectF(shares_left + n_k, top + d_v / 2 - 0.5, 1.8, 1.0))
        self.out.setPos(out_left, top)
        started = share_opacity.max() > 0
        self.out.set_content(
            partial,
            value_scale.rgba(partial),
            opacity=np.full((d_v, 1), 1.0 if started else 0.0),
            step_lit=np.full((d_v, 1), bool(state.highlighted[Tensor.CONTEXT][h, i])),
            title=f"out_{token}",
            numbers=numbers,
        )
        context = trace.context[h]
        self.context.setPos(0, top + d_v + GAP + 1.0)
        ctx_opacity = self.shown_opacity(state, Tensor.CONTEXT, h)
        ctx_focus = np.zeros_like(context, dtype=bool)
        ctx_focus[i] = True
        self.context.set_content(
            context,
            diverging_for(context, theme).rgba(context),
            opacity=np.repeat(ctx_opacity[:, None], d_v, axis=1),
            step_lit=np.repeat(state.highlighted[Tensor.CONTEXT][h][:, None], d_v, axis=1),
            focus_lit=ctx_focus,
            row_labels=trace.query_tokens,
            title=_("head outputs, one row per query"),
            numbers=numbers,
        )
        worked = QRectF()  # α row, values, shares and out_i: the presenter frames these
        for item in (self.values, self.alphas, self.shares, self.out):
            worked = worked.united(item.mapRectToParent(item.boundingRect()))
        context_rect = self.context.mapRectToParent(self.context.boundingRect())
        self.fit(worked.united(context_rect), {"sum": worked})
        self.inset.refresh()

    def _on_key(self, cell: tuple[int, int] | None) -> None:
        if cell is not None:
            self.focus.set(key=cell[1])

    def _on_query(self, cell: tuple[int, int] | None) -> None:
        if cell is not None:
            self.focus.set(query=cell[0])

    def _current(self) -> tuple[Trace, int, int]:
        trace = self.model.trace
        return (
            trace,
            self.head(trace),
            self.focused_query(self.player.state, self.focus, len(trace.query_tokens)),
        )

    def _tip_value(self, cell: tuple[int, int]) -> str:
        trace, h, _ = self._current()
        return f"v_{trace.key_tokens[cell[1]]}[{cell[0]}] = {trace.v[h, cell[1], cell[0]]:.6g}"

    def _tip_alpha(self, cell: tuple[int, int]) -> str:
        trace, h, i = self._current()
        return f"α({trace.query_tokens[i]}, {trace.key_tokens[cell[1]]}) = {trace.weights[h, i, cell[1]]:.6g}"

    def _tip_share(self, cell: tuple[int, int]) -> str:
        trace, h, i = self._current()
        d, j = cell
        a, v = trace.weights[h, i, j], trace.v[h, j, d]
        whose = _("share of “{key}” in the head output of “{query}”").format(
            key=trace.key_tokens[j], query=trace.query_tokens[i]
        )
        return f"α·v = {a:.4g} × {v:.4g} = {a * v:.6g}  ({whose})"

    def _tip_out(self, cell: tuple[int, int]) -> str:
        trace, h, i = self._current()
        value = trace.context[h, i, cell[0]]
        return _("head output out_{query}[{row}] = Σ_j α_j v_j = {value}").format(
            query=trace.query_tokens[i], row=cell[0], value=f"{value:.6g}"
        )
