"""Tokens and embeddings: each token's row of X (queries' X_q and, in cross mode, X_kv)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF

from explainer.animation import FrameState, Tensor
from explainer.i18n import _
from explainer.model import Trace

from ..focus import Focus
from ..items.big import STRIP_UNITS, RowStrip
from ..items.inset import magnify
from ..items.matrix import MatrixItem
from ..items.matrix_labels import LABEL_UNITS
from ..style import diverging_for_all
from .base import Panel

GAP = 1.0  # view units between the two matrices
MAX_UNITS = 48  # a real model's 384 embedding dimensions are squeezed to this many view units


class EmbeddingsPanel(Panel):
    title = "Tokens and embeddings"

    def _build(self) -> None:
        self.x_q = MatrixItem(
            self.appearance, on_hover=self._on_query, on_click=self._on_query, tooltip=self._tip_q
        )
        self.x_kv = MatrixItem(
            self.appearance, on_hover=self._on_key, on_click=self._on_key, tooltip=self._tip_kv
        )
        self.strip_q, self.strip_kv = RowStrip(self.appearance), RowStrip(self.appearance)
        for item in (self.x_q, self.x_kv, self.strip_q, self.strip_kv):
            self.box.addItem(item)
        self.inset = magnify(self.view, self.appearance, [self.x_q, self.x_kv])

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None:
        scale = diverging_for_all((trace.x_q, trace.x_kv), self.appearance.theme)
        n_q, d = trace.x_q.shape
        cross = not trace.self_attention
        lit_q = np.repeat(state.highlighted[Tensor.X_Q][:, None], d, axis=1)
        focus_q = np.zeros((n_q, d), dtype=bool)
        if focus.query is not None and focus.query < n_q:
            focus_q[focus.query] = True
        if not cross and focus.key is not None and focus.key < n_q:
            focus_q[focus.key] = True
        self.x_q.set_content(
            trace.x_q,
            scale.rgba(trace.x_q),
            opacity=np.repeat(self.shown_opacity(state, Tensor.X_Q, slice(None))[:, None], d, axis=1),
            step_lit=lit_q,
            focus_lit=focus_q,
            row_labels=trace.query_tokens,
            title=_("X  (one row per token)") if not cross else _("X_q (queries)"),
            numbers=d <= 16,
            max_units=MAX_UNITS,
        )
        extent = self.x_q.mapRectToParent(self.x_q.boundingRect())  # squeezed for real models
        query = focus.query if focus.query is not None and focus.query < n_q else None
        query = self.focused_query(state, focus, n_q) if query is None else query
        extent = extent.united(_strip(self.strip_q, self.x_q, trace.x_q, query, trace.query_tokens))
        self.x_kv.setVisible(cross)
        if cross:
            n_k = trace.x_kv.shape[0]
            focus_k = np.zeros((n_k, d), dtype=bool)
            if focus.key is not None and focus.key < n_k:
                focus_k[focus.key] = True
            self.x_kv.setPos(min(d, MAX_UNITS) + GAP + LABEL_UNITS, 0)  # side by side: wide, short panel
            self.x_kv.set_content(
                trace.x_kv,
                scale.rgba(trace.x_kv),
                opacity=np.repeat(self.shown_opacity(state, Tensor.X_KV, slice(None))[:, None], d, axis=1),
                step_lit=np.repeat(state.highlighted[Tensor.X_KV][:, None], d, axis=1),
                focus_lit=focus_k,
                row_labels=trace.key_tokens,
                title=_("X_kv (keys, values)"),
                numbers=d <= 16,
                max_units=MAX_UNITS,
            )
            extent = extent.united(self.x_kv.mapRectToParent(self.x_kv.boundingRect()))
            key = focus.key if focus.key is not None and focus.key < n_k else 0
            extent = extent.united(_strip(self.strip_kv, self.x_kv, trace.x_kv, key, trace.key_tokens))
        else:
            self.strip_kv.setVisible(False)
        self.fit(QRectF(extent))
        self.inset.refresh()

    def _on_query(self, cell: tuple[int, int] | None) -> None:
        if cell is not None:
            self.focus.set(query=cell[0])

    def _on_key(self, cell: tuple[int, int] | None) -> None:
        if cell is not None:
            self.focus.set(key=cell[0])

    def _tip_q(self, cell: tuple[int, int]) -> str:
        trace = self.model.trace
        return _tip(trace.query_tokens[cell[0]], cell[1], trace.x_q[cell], trace.d_model)

    def _tip_kv(self, cell: tuple[int, int]) -> str:
        trace = self.model.trace
        return _tip(trace.key_tokens[cell[0]], cell[1], trace.x_kv[cell], trace.d_model)


def _strip(strip: RowStrip, item: MatrixItem, x: np.ndarray, row: int, tokens: Sequence[str]) -> QRectF:
    """A big X's focused row as numbers, in a band under the matrix; the band's rect (or an empty one)."""
    strip.setVisible(item.big())
    if not item.big():
        return QRectF()
    grid = item.mapRectToParent(QRectF(0, 0, x.shape[1], x.shape[0]))
    band = QRectF(grid.left(), grid.bottom() + 0.2, grid.width(), STRIP_UNITS)
    strip.show_row(band, f"x_{tokens[row]}", x[row])
    return band


def _tip(token: str, column: int, value: float, d_model: int) -> str:
    return _("x_{token}[{column}] = {value}  (embedding, d_model = {d_model})").format(
        token=token, column=column, value=f"{value:.6g}", d_model=d_model
    )
