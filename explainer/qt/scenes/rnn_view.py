"""RNN one step after another, beside self-attention all at once, and the timings measured here."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import QWidget

from explainer.i18n import _
from explainer.scenes import RnnNumbers, SceneFrame, TimingPoint, rnn_numbers, rnn_timeline, subscript

from ..items.cell_text import format_number
from ..style import Appearance
from ..words import follow
from .architecture_view import text_scale
from .camera import arrow_ends
from .colours import ATTENTION_COLOUR, RNN_COLOUR, mix
from .text_fit import PaintedText, draw_text, text_size
from .timing_chart import TimingChart

__all__ = ["RnnView"]

LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def number_lines(values: Sequence[float], per_line: int = 2) -> str:
    """Numbers with 2 decimals, ``per_line`` to a line (a 4-vector is a 2×2 block: narrow boxes)."""
    texts = [format_number(float(v)) for v in values]
    return "\n".join("  ".join(texts[i : i + per_line]) for i in range(0, len(texts), per_line))


class RnnView(QWidget):
    """The RNN's chain of states (top), self-attention's one product (bottom left), the chart (bottom right).

    Parameters
    ----------
    appearance : Appearance
        Theme and text size; the view repaints when it changes.
    numbers : RnnNumbers, optional
        The scene's numbers (``rnn_numbers()`` by default).

    Every text painted is recorded in ``painted`` (owner, text, size, box): an
    unrevealed h_t has no numbers there, as it has none on screen.
    """

    def __init__(self, appearance: Appearance, numbers: RnnNumbers | None = None):
        super().__init__()
        self.appearance = appearance
        self.numbers = numbers if numbers is not None else rnn_numbers()
        # The steps' order (their names do not depend on the timings): what is revealed at which step.
        self.step_names = [step.name for step in rnn_timeline(self.numbers).steps]
        self.frame: SceneFrame | None = None
        self.painted: list[PaintedText] = []
        self.chart = TimingChart(appearance)
        self.chart.setParent(self)
        self.setMinimumSize(480, 320)
        appearance.changed.connect(self._on_appearance_changed)
        follow(self, self.update)  # the titles, written on every paint

    def shutdown(self) -> None:
        """Stop following the appearance and let the chart go (a pyqtgraph widget must not outlive Qt)."""
        self.appearance.changed.disconnect(self._on_appearance_changed)
        self.chart.shutdown()

    def _on_appearance_changed(self) -> None:
        self.chart.restyle()
        self.update()

    def set_timings(self, points: Sequence[TimingPoint]) -> None:
        """Fill the chart with ``points`` (measured on this machine)."""
        self.chart.set_timings(points)

    def set_frame(self, frame: SceneFrame) -> None:
        self.frame = frame
        self.update()

    # ---------------------------------------------------------------- what is shown
    def _index(self) -> int:
        if self.frame is None:
            return 0
        name = self.frame.step.name
        return self.step_names.index(name) if name in self.step_names else self.frame.index

    def revealed_states(self) -> int:
        """How many states h_1 … h_t have been computed by the current step (0 before the first)."""
        index = self._index()
        done = [int(n[4:]) for n in self.step_names[: index + 1] if n.startswith("rnn-") and n[4:].isdigit()]
        return max(done, default=0)

    def outputs_revealed(self) -> bool:
        return "attention" in self.step_names[: self._index() + 1]

    # ---------------------------------------------------------------- geometry
    def _px(self, size: float) -> int:
        return max(6, round(size * self.appearance.font_scale * text_scale(self.width(), self.height())))

    def sections(self) -> tuple[QRectF, QRectF, QRectF]:
        """The RNN's rectangle, the attention's and the chart's, in widget pixels."""
        margin, w, h = 12.0, float(self.width()), float(self.height())
        split = round(h * 0.5)
        rnn = QRectF(margin, margin / 2, w - 2 * margin, split - margin)
        attention = QRectF(margin, split + margin / 2, w * 0.55 - margin, h - split - margin)
        chart = QRectF(w * 0.55 + margin, split + margin / 2, w * 0.45 - 2 * margin, h - split - margin)
        return rnn, attention, chart

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.chart.setGeometry(self.sections()[2].toRect())
        self.chart.set_scale(text_scale(self.width(), self.height()))

    def _word(self, t: int) -> str:
        return f"x{subscript(t)}  “{self.numbers.tokens[t - 1]}”"

    def _row(self, area: QRectF, count: int, y: float, height: float, width: float) -> list[QRectF]:
        """``count`` boxes of ``width`` spread evenly across ``area`` at ``y``."""
        slot = area.width() / count
        return [QRectF(area.left() + slot * (i + 0.5) - width / 2, y, width, height) for i in range(count)]

    def boxes(self) -> dict[str, QRectF]:
        """Where each element is drawn: "h0"…"hn", "x1"…"xn" (RNN), "ax1"…, "out1"… (attention)."""
        rnn, attention, _ = self.sections()
        n, title_h = self.numbers.n, text_size("Ag", self._px(18), True)[1] + 6
        line = text_size("Ag", self._px(14))[1]
        h_lines = 1 + (self.numbers.h.shape[1] + 1) // 2
        state_h, word_h = line * h_lines + 14, text_size("Ag", self._px(15), True)[1] + 12
        slot = rnn.width() / (n + 1)
        words_w = max(text_size(self._word(t), self._px(15), True)[0] for t in range(1, n + 1))
        numbers_w = max(
            text_size(number_lines(row), self._px(14))[0] for row in (*self.numbers.h, *self.numbers.out)
        )
        state_w = min(slot - 16, max(words_w, numbers_w) + 20)
        gap = max(8.0, (rnn.height() - title_h - state_h - word_h) / 2)
        top = rnn.top() + title_h + gap / 3
        boxes = {f"h{t}": r for t, r in enumerate(self._row(rnn, n + 1, top, state_h, state_w))}
        words = self._row(rnn, n + 1, top + state_h + gap, word_h, state_w)[1:]
        boxes |= {f"x{t + 1}": r for t, r in enumerate(words)}
        out_lines = 1 + (self.numbers.out.shape[1] + 1) // 2
        out_h = line * out_lines + 14
        a_slot = attention.width() / n
        a_w = min(a_slot - 12, max(words_w, numbers_w) + 20)
        a_top = attention.top() + title_h
        outs = self._row(attention, n, a_top, out_h, a_w)
        inputs = self._row(attention, n, attention.bottom() - word_h, word_h, a_w)
        boxes |= {f"out{t + 1}": r for t, r in enumerate(outs)}
        boxes |= {f"ax{t + 1}": r for t, r in enumerate(inputs)}
        return boxes

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        theme = self.appearance.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(theme.background))
        self.painted = []
        step = self.frame.step if self.frame is not None else None
        lit = step.lit if step is not None else frozenset()
        flows = step.flows if step is not None else ()
        boxes, (rnn, attention, chart) = self.boxes(), self.sections()
        n, shown = self.numbers.n, self.revealed_states()

        def strong(element: str) -> bool:
            return not lit or element in lit

        chain_rnn, chain_attention = "chain-rnn" in lit, "chain-attention" in lit
        title_px = self._px(18)
        title_room = QRectF(rnn.left(), rnn.top(), rnn.width(), text_size("Ag", title_px, True)[1] + 4)
        painter.setPen(QColor(theme.text))
        draw_text(painter, self.painted, "rnn", "title", _("RNN: one step after another"), title_room,
                  title_px, bold=True, flags=LEFT)  # fmt: skip
        for t in range(1, n + 1):  # the recurrence h_{t-1} → h_t, and x_t → h_t
            arrow = f"h{t - 1}->h{t}"
            bold = chain_rnn or arrow in flows or arrow in lit
            colour = (
                QColor(RNN_COLOUR)
                if bold
                else mix(theme.muted, theme.background, 1 if strong(arrow) else 0.4)
            )
            self._arrow(painter, boxes[f"h{t - 1}"], boxes[f"h{t}"], colour, 3.5 if bold else 1.6)
            self._arrow(painter, boxes[f"x{t}"], boxes[f"h{t}"], mix(theme.muted, theme.background, 0.7), 1.4)
            if chain_rnn:  # each link of the chain numbered: n of them, one after another
                start, end = arrow_ends(boxes[f"h{t - 1}"], boxes[f"h{t}"])
                mid = QPointF((start.x() + end.x()) / 2, start.y() - self._px(14))
                self._badge(painter, mid, str(t), RNN_COLOUR)
        for t in range(n + 1):
            element = f"h{t}"
            values = self.numbers.h[t - 1] if t else None
            text = "0" if t == 0 else (number_lines(values) if values is not None and t <= shown else "")
            self._box(painter, boxes[element], element, f"h{subscript(t)}", text, RNN_COLOUR, strong(element),
                      element in lit, dashed=t > shown)  # fmt: skip
        for t in range(1, n + 1):
            word = f"x{subscript(t)}  “{self.numbers.tokens[t - 1]}”"
            self._box(
                painter, boxes[f"x{t}"], f"x{t}", word, "", theme.muted, strong(f"x{t}"), f"x{t}" in lit
            )
        for arrow in flows:  # the state travelling to its next step
            if "->" in arrow:
                source, target = arrow.split("->")
                start, end = arrow_ends(boxes[source], boxes[target])
                u = self.frame.eased if self.frame is not None else 0.0
                at = QPointF(start.x() + (end.x() - start.x()) * u, start.y() + (end.y() - start.y()) * u)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(theme.step))
                painter.drawEllipse(at, 7.0, 7.0)
        if chain_rnn:
            chain = _("longest chain: {n} steps").format(n=n)
            self._count(painter, title_room, chain, RNN_COLOUR, "chain-rnn")
        self._paint_attention(painter, attention, boxes, lit, chain_attention)
        if "chart" in lit:
            painter.setPen(QPen(QColor(theme.text), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(chart.adjusted(-4, -4, 4, 4), 6, 6)
        painter.end()

    def _paint_attention(
        self, painter: QPainter, area: QRectF, boxes: dict[str, QRectF], lit: frozenset[str], chain: bool
    ) -> None:
        theme, n = self.appearance.theme, self.numbers.n
        title_px = self._px(18)
        room = QRectF(area.left(), area.top(), area.width(), text_size("Ag", title_px, True)[1] + 4)
        painter.setPen(QColor(theme.text))
        draw_text(painter, self.painted, "attention", "title", _("Self-attention: all at once"), room,
                  title_px, bold=True, flags=LEFT)  # fmt: skip
        on = not lit or "attention" in lit or chain
        colour = QColor(ATTENTION_COLOUR) if on else mix(theme.muted, theme.background, 0.35)
        for i in range(1, n + 1):  # every output reads every input: one matrix product
            for j in range(1, n + 1):
                self._arrow(
                    painter, boxes[f"ax{j}"], boxes[f"out{i}"], colour, 3.0 if chain else 1.2, head=i == j
                )
        revealed = self.outputs_revealed()
        for t in range(1, n + 1):
            values = number_lines(self.numbers.out[t - 1]) if revealed else ""
            self._box(painter, boxes[f"out{t}"], f"out{t}", f"out{subscript(t)}", values, ATTENTION_COLOUR,
                      not lit or f"out{t}" in lit, f"out{t}" in lit, dashed=not revealed)  # fmt: skip
            word = f"x{subscript(t)}  “{self.numbers.tokens[t - 1]}”"
            self._box(
                painter, boxes[f"ax{t}"], f"ax{t}", word, "", theme.muted, not lit or f"x{t}" in lit, False
            )
        top, bottom = boxes["out1"].bottom(), boxes["ax1"].top()
        px = self._px(14)
        text = _("one matrix product: softmax(QKᵀ/√d_k)·V")
        width, height = text_size(text, px)
        pill = QRectF(
            area.center().x() - width / 2 - 8, (top + bottom) / 2 - height / 2 - 3, width + 16, height + 6
        )
        painter.setPen(QPen(colour, 1.5))
        painter.setBrush(QColor(theme.background))
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setPen(QColor(theme.text) if on else QColor(theme.muted))
        draw_text(painter, self.painted, "attention", "product", text, pill, px)
        if chain:
            self._badge(
                painter, QPointF(pill.left() - self._px(16), pill.center().y()), "1", ATTENTION_COLOUR
            )
            self._count(painter, room, _("longest chain: 1 step"), ATTENTION_COLOUR, "chain-attention")

    def _count(self, painter: QPainter, room: QRectF, text: str, colour: str, owner: str) -> None:
        """A chain's length, large, at the right of its section's title line."""
        px = self._px(24)
        painter.setPen(QColor(colour))
        height = text_size(text, px, True)[1]
        box = QRectF(room.left(), room.top(), room.width(), max(room.height(), height))
        draw_text(painter, self.painted, owner, "count", text, box, px, bold=True, flags=RIGHT)

    def _badge(self, painter: QPainter, centre: QPointF, text: str, colour: str) -> None:
        px = self._px(14)
        radius = px * 0.85
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(centre, radius, radius)
        painter.setPen(QColor("#ffffff"))
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        draw_text(painter, self.painted, "badge", "step", text, box, px, bold=True)

    def _arrow(
        self,
        painter: QPainter,
        source: QRectF,
        target: QRectF,
        colour: QColor,
        width: float,
        head: bool = True,
    ) -> None:
        start, end = arrow_ends(source, target)
        painter.setPen(QPen(colour, width))
        painter.drawLine(start, end)
        if head:
            dx, dy = end.x() - start.x(), end.y() - start.y()
            length = max(1e-6, (dx * dx + dy * dy) ** 0.5)
            ux, uy, size = dx / length, dy / length, 5 + 1.5 * width
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon(
                QPolygonF(
                    [
                        end,
                        QPointF(end.x() - ux * size - uy * size / 2, end.y() - uy * size + ux * size / 2),
                        QPointF(end.x() - ux * size + uy * size / 2, end.y() - uy * size - ux * size / 2),
                    ]
                )
            )

    def _box(
        self,
        painter: QPainter,
        rect: QRectF,
        owner: str,
        label: str,
        numbers: str,
        hue: str,
        strong: bool,
        lit: bool,
        dashed: bool = False,
    ) -> None:
        """A vector's box: its name, and its numbers once computed (an empty dashed box before)."""
        theme = self.appearance.theme
        fill = mix(hue, theme.background, (0.3 if theme.name == "dark" else 0.16) if strong else 0.05)
        edge = QColor(theme.text) if lit else mix(hue, theme.background, 1.0 if strong else 0.35)
        pen = QPen(edge, 3.5 if lit else 1.5)
        if dashed and not lit:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill if not dashed else QColor(theme.background))
        painter.drawRoundedRect(rect, 6, 6)
        text_colour = QColor(theme.text) if strong else mix(theme.muted, theme.background, 0.6)
        label_px, number_px = self._px(15), self._px(14)
        label_h = text_size(label, label_px, True)[1]
        numbers_h = text_size(numbers, number_px)[1] if numbers else 0.0
        top = rect.top() + (rect.height() - label_h - numbers_h) / 2
        painter.setPen(text_colour)
        room = QRectF(rect.left() + 2, top, rect.width() - 4, label_h)
        fits = text_size(label, label_px, True)[0] <= room.width() + 0.5
        draw_text(painter, self.painted, owner, "label", label, room, label_px, fits, bold=True)
        if numbers:
            room = QRectF(rect.left() + 2, top + label_h, rect.width() - 4, numbers_h)
            fits = text_size(numbers, number_px)[0] <= room.width() + 0.5
            draw_text(painter, self.painted, owner, "numbers", numbers, room, number_px, fits)
