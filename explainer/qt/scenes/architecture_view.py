"""The architecture scene: three models side by side, every attention block a door to its walkthrough."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from explainer.i18n import _
from explainer.scenes.diagram import Arrow, Block, Diagram
from explainer.scenes.labels import door_title
from explainer.scenes.timeline import SceneFrame

from ..style import Appearance
from .camera import Mapping, arrow_ends, camera_at, rows_of
from .colours import KIND_COLOURS, LEGEND_KINDS, block_border, block_fill, mix
from .text_fit import PaintedText, draw_text, fitting_px, text_size
from .token_chips import chip_rows, draw_chips

__all__ = ["ArchitectureView"]

PAD = 6.0  # inside a block, around its text
FADED = 0.3  # opacity of the diagrams the camera leaves
LABEL_PX, DETAIL_PX = 14, 13  # the least sizes at 720p (a detail without room for it waits for the camera)


def text_scale(width: int, height: int) -> float:
    """Text grows with a frame larger than 1280×720 (a 4K export reads like 720p), never shrinks below it."""
    return max(1.0, min(2.5, width / 1280, height / 720))


class ArchitectureView(QWidget):
    """RNN with attention, encoder–decoder and decoder-only, drawn with QPainter.

    Parameters
    ----------
    appearance : Appearance
        Theme and text size; the view repaints when it changes.
    diagrams : sequence of Diagram, optional
        What to draw (the scene's ``ARCHITECTURE_DIAGRAMS`` by default).

    A click on an attention block (or :meth:`open_key`) emits ``door_requested``
    with the block's :class:`~explainer.scenes.diagram.Door`.
    """

    door_requested = Signal(object)

    def __init__(self, appearance: Appearance, diagrams: Sequence[Diagram] | None = None):
        super().__init__()
        if diagrams is None:
            from explainer.scenes import ARCHITECTURE_DIAGRAMS

            diagrams = ARCHITECTURE_DIAGRAMS
        self.appearance, self.diagrams = appearance, tuple(diagrams)
        self.blocks = {block.id: block for diagram in self.diagrams for block in diagram.blocks}
        self.arrows = {arrow.id: arrow for diagram in self.diagrams for arrow in diagram.arrows}
        self.frame: SceneFrame | None = None
        self.painted: list[PaintedText] = []  # every text of the last paint (tests read it)
        self.flow_chips: list[tuple[str, str, QRectF]] = []  # (arrow id, word, chip) of the last paint
        self.setMouseTracking(True)
        self.setMinimumSize(480, 270)
        appearance.changed.connect(self._on_appearance_changed)

    def shutdown(self) -> None:
        """Stop following the appearance (before the widget goes)."""
        self.appearance.changed.disconnect(self._on_appearance_changed)

    def _on_appearance_changed(self) -> None:
        self.update()

    def set_frame(self, frame: SceneFrame) -> None:
        """Show the scene at ``frame``: what it lights, the tokens it moves, where its camera looks."""
        self.frame = frame
        self.update()

    def doors(self) -> list[Block]:
        """The blocks that open an attention, in key order."""
        return sorted((b for b in self.blocks.values() if b.door is not None), key=lambda b: b.key)

    def open_key(self, key: str) -> bool:
        """Emit ``door_requested`` for the door with keyboard ``key``; False if none has it."""
        for block in self.doors():
            if block.key == key:
                self.door_requested.emit(block.door)
                return True
        return False

    # ---------------------------------------------------------------- geometry
    def _scale(self) -> float:
        return self.appearance.font_scale * text_scale(self.width(), self.height())

    def _px(self, size: float) -> int:
        return max(6, round(size * self._scale()))

    def _bands(self) -> tuple[float, float]:
        """The heights of the titles band (top) and the legend band (bottom)."""
        title = text_size("Ag", self._px(20), True)[1]
        subtitle = text_size("Ag", self._px(14))[1]
        return title + 2 * subtitle + 10, text_size("Ag", self._px(14))[1] + 14

    def mapping(self) -> Mapping:
        top, bottom = self._bands()
        area = QRectF(10, top, self.width() - 20, self.height() - top - bottom)
        return Mapping(area, camera_at(self.diagrams, self.frame), rows_of(self.diagrams))

    def _visible(self, mapping: Mapping) -> list[Diagram]:
        """The diagrams with some of their column in the framed area (the others are not drawn)."""
        left, right = mapping.area.left() + 1, mapping.area.right() - 1
        return [d for d in self.diagrams if mapping.x(d.x + d.width) > left and mapping.x(d.x) < right]

    def block_rect(self, block_id: str) -> QRectF:
        """Where block ``block_id`` is drawn now, in widget pixels."""
        block = self.blocks[block_id]
        return self.mapping().rect(block.x, block.y, block.width, block.height)

    def block_at(self, point: QPointF) -> Block | None:
        """The block under ``point`` (widget pixels), or None."""
        mapping = self.mapping()
        for diagram in self._visible(mapping):
            for block in diagram.blocks:
                if mapping.rect(block.x, block.y, block.width, block.height).contains(point):
                    return block
        return None

    def arrow_line(self, arrow_id: str) -> tuple[QPointF, QPointF]:
        """The ends of arrow ``arrow_id`` as drawn now."""
        arrow = self.arrows[arrow_id]
        return arrow_ends(self.block_rect(arrow.source), self.block_rect(arrow.target))

    def words_of(self, arrow: Arrow) -> tuple[str, ...]:
        """The words an arrow carries: those of the nearest token row upstream of it."""
        seen, queue = set(), [arrow.source]
        while queue:
            block = self.blocks.get(queue.pop(0))
            if block is None or block.id in seen:
                continue
            seen.add(block.id)
            if block.tokens:
                return block.tokens
            queue += [a.source for a in self.arrows.values() if a.target == block.id]
        return ("•",)

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        theme = self.appearance.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(theme.background))
        self.painted, self.flow_chips = [], []
        mapping = self.mapping()
        step = self.frame.step if self.frame is not None else None
        lit = step.lit if step is not None else frozenset()
        flows = step.flows if step is not None else ()
        for diagram in self._visible(mapping):
            framed = step is None or step.camera is None or step.camera == diagram.id
            painter.setOpacity(1.0 if framed else FADED)
            self._paint_titles(painter, mapping, diagram)
            for arrow in diagram.arrows:
                strong = not lit or arrow.id in lit or arrow.id in flows or diagram.id in lit
                self._paint_arrow(painter, arrow, strong, arrow.id in lit or arrow.id in flows)
            for block in diagram.blocks:
                strong = not lit or block.id in lit or diagram.id in lit
                self._paint_block(painter, mapping, block, strong, block.id in lit)
        painter.setOpacity(1.0)
        eased = self.frame.eased if self.frame is not None else 0.0
        for arrow_id in flows:
            if arrow_id in self.arrows:
                self._paint_flow(painter, self.arrows[arrow_id], eased)
        self._paint_legend(painter)
        painter.end()

    def _paint_titles(self, painter: QPainter, mapping: Mapping, diagram: Diagram) -> None:
        theme = self.appearance.theme
        left, right = mapping.x(diagram.x), mapping.x(diagram.x + diagram.width)
        title_h = text_size("Ag", self._px(20), True)[1]
        room = QRectF(left + 8, 4, right - left - 16, title_h)
        title, subtitle = said(diagram.title), said(diagram.subtitle)
        px, fits = fitting_px(title, room, self._px(20), self._px(15), True)
        painter.setPen(QColor(theme.text))
        draw_text(painter, self.painted, diagram.id, "title", title, room, px, fits, bold=True)
        top, _band = self._bands()
        sub_room = QRectF(left + 8, 4 + title_h, right - left - 16, top - title_h - 8)
        px, fits = fitting_px(subtitle, sub_room, self._px(15), self._px(DETAIL_PX))
        painter.setPen(QColor(theme.muted))
        draw_text(painter, self.painted, diagram.id, "subtitle", subtitle, sub_room, px, fits)
        if diagram.x > 0:  # a rule between two models
            painter.setPen(QPen(QColor(theme.grid), 1))
            painter.drawLine(QPointF(left, 6), QPointF(left, self.height() - 6))

    def _paint_arrow(self, painter: QPainter, arrow: Arrow, strong: bool, lit: bool) -> None:
        theme = self.appearance.theme
        if arrow.source not in self.blocks or arrow.target not in self.blocks:
            return
        start, end = self.arrow_line(arrow.id)
        colour = QColor(theme.text) if lit else mix(theme.muted, theme.background, 1.0 if strong else 0.35)
        width = 3.0 if lit else 1.6
        painter.setPen(QPen(colour, width))
        painter.drawLine(start, end)
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = max(1e-6, (dx * dx + dy * dy) ** 0.5)
        ux, uy, size = dx / length, dy / length, 5 + 2 * width
        head = QPolygonF(
            [
                end,
                QPointF(end.x() - ux * size - uy * size * 0.5, end.y() - uy * size + ux * size * 0.5),
                QPointF(end.x() - ux * size + uy * size * 0.5, end.y() - uy * size - ux * size * 0.5),
            ]
        )
        painter.setBrush(colour)
        painter.drawPolygon(head)

    def _paint_block(
        self, painter: QPainter, mapping: Mapping, block: Block, strong: bool, lit: bool
    ) -> None:
        theme = self.appearance.theme
        rect = mapping.rect(block.x, block.y, block.width, block.height)
        radius = min(10.0, rect.height() / 4)
        painter.setBrush(block_fill(block.kind, theme, strong))
        border = QPen(QColor(theme.text), 3.5) if lit else QPen(block_border(block.kind, theme, strong), 1.5)
        painter.setPen(border)
        painter.drawRoundedRect(rect, radius, radius)
        text_colour = QColor(theme.text) if strong else mix(theme.muted, theme.background, 0.6)
        zoom = min(1.5, 1 + (mapping.zoom - 1) * 0.25)
        if block.kind == "tokens":
            room = rect.adjusted(2, PAD / 2, -2, -PAD / 2)  # the chips may use the padding
            rows = chip_rows(block.tokens, room, self._px(16 * zoom), self._px(14))
            draw_chips(painter, self.painted, block.id, rows, theme, strong)
            return
        top_room = 0.0
        if block.key:  # a tab on the top edge, at the right: "[2]" opens this attention
            key_px, key_text = self._px(14), f"[{block.key}]"
            key_w, key_h = text_size(key_text, key_px, True)
            tab = QRectF(rect.right() - key_w - 18, rect.top() - key_h / 2 - 2, key_w + 10, key_h + 4)
            painter.setPen(QPen(border.color(), 1.5))
            painter.setBrush(QColor(theme.background))
            painter.drawRoundedRect(tab, tab.height() / 2, tab.height() / 2)
            painter.setPen(text_colour)
            draw_text(painter, self.painted, block.id, "key", key_text, tab, key_px, bold=True)
            top_room = tab.bottom() - rect.top()
        inner = rect.adjusted(PAD, max(PAD / 2, top_room), -PAD, -PAD / 2)
        label, detail = said(block.label), said(block.detail)
        px, fits = fitting_px(label, inner, self._px(17 * zoom), self._px(LABEL_PX), True)
        label_h = text_size(label, px, True, inner.width())[1]
        detail_px, detail_h = 0, 0.0
        if detail:
            room = QRectF(inner.left(), inner.top(), inner.width(), inner.height() - label_h)
            detail_px, detail_fits = fitting_px(detail, room, self._px(15 * zoom), self._px(DETAIL_PX))
            detail_h = text_size(detail, detail_px, False, inner.width())[1] if detail_fits else 0.0
        top = inner.top() + (inner.height() - label_h - detail_h) / 2
        painter.setPen(text_colour)
        label_room = QRectF(inner.left(), top, inner.width(), label_h) if fits else inner
        draw_text(painter, self.painted, block.id, "label", label, label_room, px, fits, bold=True)
        if detail_h:  # shown when there is room for it (the camera on this model gives it room)
            painter.setPen(mix(text_colour, theme.background, 0.8))
            room = QRectF(inner.left(), top + label_h, inner.width(), detail_h)
            draw_text(painter, self.painted, block.id, "detail", detail, room, detail_px)

    def _paint_flow(self, painter: QPainter, arrow: Arrow, eased: float) -> None:
        if arrow.source not in self.blocks or arrow.target not in self.blocks:
            return
        start, end = self.arrow_line(arrow.id)
        px = self._px(14)
        words = self.words_of(arrow)
        widths = [text_size(w, px, True)[0] + px for w in words]
        height, gap = px * 1.6, 4.0
        # The words stop just outside the block they reach, not over its text.
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = max(1e-9, (dx * dx + dy * dy) ** 0.5)
        stop = min(length, height / 2 + 2) / length
        at = QPointF(start.x() + dx * (1 - stop) * eased, start.y() + dy * (1 - stop) * eased)
        x = at.x() - (sum(widths) + gap * (len(words) - 1)) / 2
        theme = self.appearance.theme
        for word, width in zip(words, widths, strict=True):
            chip = QRectF(x, at.y() - height / 2, width, height)
            path = QPainterPath()
            path.addRoundedRect(chip, height / 2, height / 2)
            painter.fillPath(path, QColor(theme.step))
            painter.setPen(QColor("#ffffff"))
            draw_text(painter, [], arrow.id, "flow", word, chip, px, bold=True)
            self.flow_chips.append((arrow.id, word, chip))
            x += width + gap

    def _paint_legend(self, painter: QPainter) -> None:
        theme = self.appearance.theme
        px = self._px(14)
        _top, band = self._bands()
        swatch = px
        items = [(kind, _(name), text_size(_(name), px)[0]) for kind, name in LEGEND_KINDS]
        total = sum(swatch + 6 + width + 24 for _, _, width in items) - 24
        x, y = (self.width() - total) / 2, self.height() - band + 4
        height = band - 8
        for kind, name, width in items:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(KIND_COLOURS[kind]))
            painter.drawRoundedRect(QRectF(x, y + (height - swatch) / 2, swatch, swatch), 3, 3)
            painter.setPen(QColor(theme.text))
            room = QRectF(x + swatch + 6, y, width + 2, height)
            draw_text(painter, self.painted, "legend", kind, name, room, px)
            x += swatch + 6 + width + 24

    # ---------------------------------------------------------------- pointer
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        block = self.block_at(event.position())
        if block is not None and block.door is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip(
                _("{door}: click (or press {key}) to open it step by step").format(
                    door=door_title(block.door), key=block.key
                )
            )
        else:
            self.unsetCursor()
            self.setToolTip("")
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        block = self.block_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and block is not None and block.door is not None:
            self.door_requested.emit(block.door)
            event.accept()
            return
        super().mousePressEvent(event)


def said(text: str) -> str:
    """A scene's text (English marked for the scenes catalogue) in the language in use; "" stays ""."""
    return _(text) if text else text
