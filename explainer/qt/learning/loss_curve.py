"""LossCurve: the loss of a learning run, one point per iteration, on a log axis, growing live."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from explainer.i18n import _

from ..style import Appearance

SMALLEST_SHOWN = 1e-12  # a log axis cannot show 0; a loss that small is 0 to the eye


class LossCurve(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """Loss against iteration (log y); a dashed line where every targeted row found its target."""

    def __init__(self, appearance: Appearance) -> None:
        super().__init__()
        self.appearance = appearance
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setLogMode(y=True)
        self.setMinimumHeight(150)
        # Fixed ranges: the axes redraw only when a range moves (to a new decade of loss, or a
        # new iteration count), not on every frame of a run.
        self.disableAutoRange()
        self._ranges: tuple[float, float, float, float] | None = None
        self.curve = self.plot([], [])
        self.learned_line = pg.InfiniteLine(angle=90, movable=False)
        self.learned_line.hide()
        self.addItem(self.learned_line)
        self.restyle()

    def show_losses(self, losses: Sequence[float], learned_at: int | None, iterations: int) -> None:
        """The curve from iteration 0 to the last, on an x axis as long as the run (``iterations``);
        ``learned_at``: where the pattern appeared."""
        y = np.maximum(np.asarray(losses, dtype=float), SMALLEST_SHOWN)
        y[~np.isfinite(y)] = SMALLEST_SHOWN
        self.curve.setData(np.arange(len(y), dtype=float), y)
        self._fit(y, max(iterations, len(y) - 1, 1))
        self.learned_line.setVisible(learned_at is not None)
        if learned_at is not None:
            self.learned_line.setValue(learned_at)

    def _fit(self, y: np.ndarray, last: int) -> None:
        """x from 0 to ``last``; y over whole decades holding every loss (log10 units)."""
        if y.size:
            low, high = math.floor(math.log10(float(y.min()))), math.ceil(math.log10(float(y.max())))
        else:
            low, high = -1, 1
        ranges = (0.0, float(last), float(low), float(max(high, low + 1)))
        if ranges != self._ranges:
            self._ranges = ranges
            self.setXRange(ranges[0], ranges[1], padding=0.02)
            self.setYRange(ranges[2], ranges[3], padding=0.02)

    def restyle(self) -> None:
        theme = self.appearance.theme
        self.setBackground(theme.background)
        self.curve.setPen(pg.mkPen(theme.text, width=2))
        self.learned_line.setPen(pg.mkPen(theme.step, width=2, style=Qt.PenStyle.DashLine))
        item = self.getPlotItem()
        for side, label in (("left", _("loss (log scale)")), ("bottom", _("iteration"))):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.text))
            axis.setLabel(label, color=theme.text)
            axis.enableAutoSIPrefix(False)  # else the label is set again on every range change

    def shutdown(self) -> None:
        """Close now and go with the next deferred delete: a pyqtgraph widget must not outlive Qt.

        (pyqtgraph's ``close`` takes the widget out of its parent, so the window's deletion
        would no longer delete it.)
        """
        self.close()
        self.deleteLater()
