"""The softmax of one row worked out: its scores, their exps, the sum, and α = exp / sum.

Shown in the presenter view beside the α matrix, with the numbers the caption
quotes: e^s, or e^(s − max) when the caption subtracts the row's largest score.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from explainer.animation.captions.softmax import printed_row
from explainer.i18n import _
from explainer.model import Trace

from ..items.matrix import MatrixItem
from ..items.text import SceneText
from ..style import Appearance, ColorScale, diverging_for, weights_scale

ROW_GAP = 1.3  # view units between the strip's rows (room for each row's title)
SUM_UNITS = 3.2  # room right of the exps for "Σ = 12.34"


class SoftmaxRow:
    """Four items in a panel's view box: scores, exps, their sum and α of one query."""

    def __init__(self, appearance: Appearance, box: object) -> None:
        self.appearance = appearance
        self.scores = MatrixItem(appearance)
        self.exps = MatrixItem(appearance)
        self.alphas = MatrixItem(appearance)
        self.total = SceneText(appearance, size=0.5, bold=True)
        self.items = (self.scores, self.exps, self.alphas, self.total)
        for item in self.items:
            box.addItem(item)  # type: ignore[attr-defined]

    def set_visible(self, visible: bool) -> None:
        for item in self.items:
            item.setVisible(visible)

    def draw(
        self, trace: Trace, head: int, query: int, left: float, shown: np.ndarray, lit: np.ndarray
    ) -> QRectF:
        """Draw the row of ``query`` from ``left`` on, top-aligned with the α matrix.

        ``shown`` is the opacity of its α cells, ``lit`` the keys the step is about.
        """
        theme = self.appearance.theme
        row = trace.masked[head, query]
        visible = np.isfinite(row)
        # The very numbers the captions print (e^ of the printed score), so a pencil agrees.
        offset, scores, printed, sigma = printed_row(trace, head, query)
        exps = np.array([float(printed.get(j, "0")) for j in range(len(row))])
        score_texts = [scores.get(j, "−∞") for j in range(len(row))]
        exp_texts = [printed.get(j, "0") for j in range(len(row))]
        started = float(shown.max()) > 0  # the exps and their sum come with the row's first α
        token = trace.query_tokens[query]
        finite = row[visible]
        top = 0.0
        self.scores.setPos(left, top)
        self.scores.set_content(
            row[None, :],
            diverging_for(finite, theme).rgba(row[None, :]),
            masked=~visible[None, :],
            col_labels=trace.key_tokens,
            title=_("scores s({token}, ·)").format(token=token),
            texts=[score_texts],
        )
        top += 1 + ROW_GAP
        exp_title = "e^s" if offset is None else f"e^(s − {offset})"
        self.exps.setPos(left, top)
        self.exps.set_content(
            exps[None, :],
            ColorScale(theme.sequential, 0.0, float(exps.max()) or 1.0).rgba(exps[None, :]),
            opacity=np.full((1, len(row)), 1.0 if started else 0.0),
            masked=~visible[None, :],
            title=exp_title,
            texts=[exp_texts],
            step_lit=lit[None, :],
        )
        n_k = len(row)
        self.total.place(
            QRectF(left + n_k + 0.2, top, SUM_UNITS, 1.0),
            f"Σ = {sigma}" if started else "",
        )
        top += 1 + ROW_GAP
        alpha = trace.weights[head, query]
        self.alphas.setPos(left, top)
        self.alphas.set_content(
            alpha[None, :],
            weights_scale(theme).rgba(alpha[None, :]),
            opacity=shown[None, :],
            step_lit=lit[None, :],
            title=f"α = {exp_title} / Σ",
        )
        extent = QRectF(left, top - 1 - ROW_GAP, n_k + SUM_UNITS + 0.2, 1)
        for item in (self.scores, self.exps, self.alphas):
            extent = extent.united(item.mapRectToParent(item.boundingRect()))
        return extent
