"""The RNN scene's chart: n sequential RNN steps against one self-attention, as measured here (log-log)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg

from explainer.i18n import N_, _
from explainer.scenes import TimingPoint

from ..style import Appearance
from ..words import follow
from .colours import ATTENTION_COLOUR, RNN_COLOUR

RNN_SERIES = N_("RNN, n steps one after another")
ATTENTION_SERIES = N_("self-attention, one matrix product")
LEGEND_DECADES = 1.2  # room above the data for the legend, in decades of milliseconds


class TimingChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """Milliseconds against tokens n, both axes logarithmic; a point per measured n in each series."""

    def __init__(self, appearance: Appearance) -> None:
        super().__init__()
        self.appearance = appearance
        self.points: tuple[TimingPoint, ...] = ()
        self.scale = 1.0  # text grows with a frame larger than 720p, as the view's own text does
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setLogMode(x=True, y=True)
        self.legend = self.addLegend(offset=(10, 10))
        self.rnn_curve = self.plot([], [], name=_(RNN_SERIES), symbol="o")
        self.attention_curve = self.plot([], [], name=_(ATTENTION_SERIES), symbol="s")
        self.restyle()
        follow(self, self.restyle)  # the axes, the legend and the title

    def set_timings(self, points: Sequence[TimingPoint]) -> None:
        """Show ``points``: for each n, the RNN's time and the attention's, in milliseconds."""
        self.points = tuple(points)
        n = np.array([p.n for p in self.points], dtype=float)
        self.rnn_curve.setData(n, np.array([p.rnn_seconds * 1000 for p in self.points], dtype=float))
        self.attention_curve.setData(n, np.array([p.attention_seconds * 1000 for p in self.points]))
        self._ticks()
        self._title()

    def _ticks(self) -> None:
        """Ticks at the measured n and at whole decades of milliseconds, written plainly.

        pyqtgraph's own log ticks label every minor tick ("2·10¹ 3·10¹ …"): they overlap.
        """
        item = self.getPlotItem()
        ns = [(math.log10(p.n), str(p.n)) for p in self.points if p.n > 0]
        item.getAxis("bottom").setTicks([ns] if ns else None)
        times = [t * 1000 for p in self.points for t in (p.rnn_seconds, p.attention_seconds) if t > 0]
        if not times or not ns:
            item.getAxis("left").setTicks(None)
            self.enableAutoRange()
            return
        low, high = math.floor(math.log10(min(times))), math.ceil(math.log10(max(times)))
        item.getAxis("left").setTicks([[(d, f"{10.0**d:g}") for d in range(low, high + 1)]])
        # A decade of room above the highest point: the legend (top left) covers no point.
        self.setYRange(low, high + LEGEND_DECADES, padding=0.02)
        self.setXRange(ns[0][0], ns[-1][0], padding=0.05)

    def set_scale(self, scale: float) -> None:
        """Text ``scale`` times its size at 720p (the view's size decides it)."""
        if scale != self.scale:
            self.scale = scale
            self.restyle()

    def _px(self, size: float) -> int:
        return self.appearance.px(size * self.scale)

    def _title(self) -> None:
        theme = self.appearance.theme
        title = _("Measured on this machine") if self.points else _("Measuring on this machine…")
        self.setTitle(title, color=theme.text, size=f"{self._px(15)}px")

    def restyle(self) -> None:
        """Colours and text sizes of the current appearance."""
        theme = self.appearance.theme
        self.setBackground(theme.background)
        px = self._px(13)
        for curve, colour in ((self.rnn_curve, RNN_COLOUR), (self.attention_curve, ATTENTION_COLOUR)):
            curve.setPen(pg.mkPen(colour, width=2.5))
            curve.setSymbolBrush(pg.mkBrush(colour))
            curve.setSymbolPen(pg.mkPen(theme.background))
            curve.setSymbolSize(max(7, px * 0.7))
        item = self.getPlotItem()
        font = pg.QtGui.QFont()
        font.setPixelSize(px)
        for side, label in (("left", _("milliseconds")), ("bottom", _("tokens n"))):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.text))
            axis.setTickFont(font)
            axis.setLabel(label, color=theme.text, **{"font-size": f"{px}px"})
            axis.enableAutoSIPrefix(False)
        self.legend.setLabelTextColor(theme.text)
        self.legend.setLabelTextSize(f"{px}px")
        # The labels made before: the settings above are for new ones (and the language may be new).
        for (_sample, label), name in zip(self.legend.items, (RNN_SERIES, ATTENTION_SERIES), strict=False):
            label.setText(_(name), color=theme.text, size=f"{px}px")
        self.legend.setBrush(pg.mkBrush(theme.panel))
        self.legend.setPen(pg.mkPen(theme.grid))
        self._title()

    def shutdown(self) -> None:
        """Close and go with the next deferred delete: a pyqtgraph widget must not outlive Qt."""
        self.close()
        self.deleteLater()
