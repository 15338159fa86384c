"""The head view: queries in one column, keys in the other, a line per pair as opaque as its α.

As BertViz's head view: one colour per head, several heads at once; hovering a
token keeps only its lines (a click pins it, a second click or Esc unpins);
a masked pair (causal attention, a key after its query) has no line at all.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from explainer.i18n import _
from explainer.model import Trace

from ..focus import Focus
from ..style import Appearance
from .layout import ROW_SPACING, HeadViewLayout, elided, font_px, lay_out, text_height
from .lines import LayerCache, alpha_bytes, draw_layer, draw_line_paths, line_batches, records
from .painting import (
    DrawnLine,
    DrawnToken,
    Side,
    mix,
    paint_chips,
    paint_cut_words,
    paint_headers,
    paint_numbers,
    unreachable,
)

__all__ = ["DrawnLine", "DrawnToken", "HeadView", "Side"]

REST_MS = 50  # a paint this long ago, and no other since: the view rests, the hovers are drawn ahead


class HeadView(QWidget):
    """Attention as lines between two columns of tokens, drawn with QPainter.

    Parameters
    ----------
    trace : Trace
        What to draw (:meth:`set_trace` replaces it).
    appearance : Appearance
        Theme and text scale; the view repaints when it changes.
    focus : Focus
        Shared with the other panels: the view follows ``focus.head`` while one
        head is shown and sets ``focus.query`` / ``focus.key`` to the token it shows.

    Attributes
    ----------
    lines : list of DrawnLine
        Every line of the last paint (tests read it; made when read, not on every paint).
    tokens : list of DrawnToken
        Every token text of the last paint.
    numbers : list of DrawnToken
        With one head and a token shown, the α written beside each token its lines reach.
    vector_lines : bool
        Draw each line as its own path (an SVG export: one ``<path>`` per line)
        instead of in batches (the screen: faster).
    """

    shown_changed = Signal()  # the heads, the token shown or the trace changed: a caption may follow
    # With one head and a query pinned, a click on a key: α(query, key) of that head, worked out.
    cell_clicked = Signal(int, int, int)  # head, query i, key j

    def __init__(self, trace: Trace, appearance: Appearance, focus: Focus):
        super().__init__()
        self.trace, self.appearance, self.focus = trace, appearance, focus
        self._chosen: tuple[int, ...] | None = None  # None: follow focus.head
        self._hovered: tuple[Side, int] | None = None
        self._pinned: tuple[Side, int] | None = None
        self._linked = False  # whether the focus's query/key are ours to clear
        self._drawn: tuple[np.ndarray, tuple[int, ...], tuple[Side, int] | None] | None = None
        self._records: tuple[object, list[DrawnLine]] = (None, [])
        self.tokens: list[DrawnToken] = []
        self.numbers: list[DrawnToken] = []  # α beside the tokens the shown one reaches (one head)
        self.notice = ("", QRectF())  # what the foot says when words run off the bottom, and where
        self.vector_lines = False
        self._layers = LayerCache()
        self._warm = QTimer(self)
        self._warm.setSingleShot(True)
        self._warm.timeout.connect(self._on_warm)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(240, 160)
        self.setToolTip("")
        appearance.changed.connect(self._on_appearance_changed)
        focus.changed.connect(self._on_focus_changed)

    def shutdown(self) -> None:
        """Stop following the appearance and the focus (before the widget goes)."""
        self._warm.stop()
        self.appearance.changed.disconnect(self._on_appearance_changed)
        self.focus.changed.disconnect(self._on_focus_changed)

    # ---------------------------------------------------------------- state
    @property
    def heads(self) -> tuple[int, ...]:
        """The heads drawn, in order: the chosen ones, or the focus's head."""
        n = self.trace.n_heads
        chosen = () if self._chosen is None else tuple(h for h in self._chosen if h < n)
        # A model that lost heads keeps those it still has; none left: the focus's head.
        return chosen if len(chosen) > 0 else (min(self.focus.head, n - 1),)

    @property
    def follows_focus(self) -> bool:
        """Whether the view shows the focus's head (one head) rather than a chosen set."""
        return self._chosen is None

    @property
    def shown_token(self) -> tuple[Side, int] | None:
        """The token whose lines alone are drawn: the pinned one, else the hovered one, else None."""
        return self._pinned if self._pinned is not None else self._hovered

    @property
    def pinned(self) -> tuple[Side, int] | None:
        return self._pinned

    def set_trace(self, trace: Trace) -> None:
        """Draw ``trace``; a hovered or pinned token beyond its sentences is let go."""
        self.trace = trace
        self._hovered = self._within(self._hovered)
        self._pinned = self._within(self._pinned)
        self._link_focus()
        self.shown_changed.emit()
        self.update()

    def set_heads(self, heads: Sequence[int]) -> None:
        """Draw ``heads`` (0-based). One head becomes the focus's head, so every panel shows it.

        Raises ValueError for an empty set or a head the trace does not have.
        """
        chosen = tuple(sorted(set(int(h) for h in heads)))
        if not chosen:
            raise ValueError("set_heads: choose at least one head")
        if chosen[0] < 0 or chosen[-1] >= self.trace.n_heads:
            raise ValueError(f"set_heads: heads are 0 to {self.trace.n_heads - 1}, got {list(heads)}")
        if len(chosen) == 1:
            self._chosen = None
            self.focus.set(head=chosen[0])
        else:
            self._chosen = chosen
        self.shown_changed.emit()
        self.update()

    def toggle_head(self, head: int | None) -> None:
        """A chip's click: head ``head`` on or off (never the last one); None: all heads, or back to one."""
        shown = self.heads
        if head is None:
            everything = tuple(range(self.trace.n_heads))
            self.set_heads([self.focus.head] if shown == everything and len(shown) > 1 else everything)
        elif head in shown:
            if len(shown) > 1:
                self.set_heads([h for h in shown if h != head])
        else:
            self.set_heads([*shown, head])

    def hover_token(self, side: Side | None, index: int | None = None) -> None:
        """The pointer is over token ``index`` of ``side`` (None: over no token)."""
        hovered = None if side is None or index is None else self._checked(side, index)
        if hovered != self._hovered:
            self._hovered = hovered
            self._shown_token_changed()

    def pin_token(self, side: Side | None, index: int | None = None) -> None:
        """Keep token ``index`` of ``side`` shown whatever the pointer does; None unpins."""
        pinned = None if side is None or index is None else self._checked(side, index)
        if pinned != self._pinned:
            self._pinned = pinned
            self._shown_token_changed()

    def _checked(self, side: Side, index: int) -> tuple[Side, int]:
        count = len(self.trace.query_tokens if side == "query" else self.trace.key_tokens)
        if side not in ("query", "key") or not 0 <= index < count:
            raise ValueError(f"no {side} token {index}: the {side} sentence has {count} tokens")
        return side, index

    def _within(self, token: tuple[Side, int] | None) -> tuple[Side, int] | None:
        if token is None:
            return None
        count = len(self.trace.query_tokens if token[0] == "query" else self.trace.key_tokens)
        return token if token[1] < count else None

    def _shown_token_changed(self) -> None:
        self._link_focus()
        self.shown_changed.emit()
        self.update()

    def _link_focus(self) -> None:
        """The focus lights the token shown here in every panel; cleared when this view showed it."""
        shown = self.shown_token
        if shown is None:
            if self._linked:
                self._linked = False
                self.focus.set(query=None, key=None)
            return
        side, index = shown
        self._linked = True
        self.focus.set(query=index if side == "query" else None, key=index if side == "key" else None)

    def _on_focus_changed(self) -> None:
        if self._chosen is None:
            self.shown_changed.emit()
            self.update()

    def _on_appearance_changed(self) -> None:
        self.update()

    # ---------------------------------------------------------------- geometry
    def layout_now(self) -> HeadViewLayout:
        """The geometry at the widget's current size."""
        return self.layout_at(self.width(), self.height())

    def layout_at(self, width: int, height: int) -> HeadViewLayout:
        """The geometry the view would have at ``width`` × ``height``."""
        t = self.trace
        return lay_out(
            width, height, t.n_heads, t.query_tokens, t.key_tokens, self.appearance.font_scale, self.headers()
        )

    def headers(self) -> tuple[str, str]:
        """The columns' titles: cross-attention says which sequence each side comes from."""
        if self.trace.mode == "cross":
            return _("queries (decoder)"), _("keys (encoder)")
        return _("queries"), _("keys")

    def token_rect(self, side: Side, index: int) -> QRectF:
        """The row of token ``index`` of ``side`` (where the pointer hovers it)."""
        shown = self.layout_now()
        return (shown.queries if side == "query" else shown.keys)[index]

    def token_at(self, point: QPointF) -> tuple[Side, int] | None:
        shown = self.layout_now()
        for side, rects in (("query", shown.queries), ("key", shown.keys)):
            for index, rect in enumerate(rects):
                if rect.contains(point):
                    return side, index  # type: ignore[return-value]
        return None

    def chip_at(self, point: QPointF) -> tuple[bool, int | None]:
        """(True, head) for the chip under ``point`` (head None: the "all" chip), else (False, None)."""
        for head, rect in self.layout_now().chips:
            if rect.contains(point):
                return True, head
        return False, None

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter)
        finally:
            painter.end()

    def paint(self, painter: QPainter) -> None:
        """Draw the whole view with ``painter`` (the widget's, or an export's)."""
        theme = self.appearance.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(QRectF(0, 0, self.width(), self.height()), QColor(theme.background))
        shown = self.layout_now()
        paint_chips(painter, shown, self.appearance.theme, self.heads, self.trace.n_heads)
        paint_headers(painter, shown, self.appearance.theme, self.headers())
        self._paint_lines(painter, shown)
        self._paint_tokens(painter, shown)
        self.notice = paint_cut_words(painter, shown, theme, self.width(), self.height())

    def _paint_lines(self, painter: QPainter, shown: HeadViewLayout) -> None:
        token, heads = self.shown_token, self.heads
        if self.vector_lines:
            levels = alpha_bytes(self.trace)
            self._drawn = (levels, heads, token)
            draw_line_paths(painter, shown, line_batches(levels, heads, token, shown))
            return
        draw_layer(painter, self._layers.get(self.trace, heads, shown, token))
        self._drawn = (self._layers.levels, heads, token)
        if self.isVisible() and not self._layers.complete():
            # The other tokens' lines, drawn once the view rests: not in the frame of every edit of a drag.
            self._warm.start(REST_MS)

    @property
    def lines(self) -> list[DrawnLine]:
        drawn = self._drawn
        if drawn is None:
            return []
        if self._records[0] is not drawn:
            self._records = (drawn, records(*drawn))
        return self._records[1]

    def _on_warm(self) -> None:
        """Draw one more token's lines ahead of its hover (one per event-loop turn: input stays quick).

        Not once the view is hidden (F8 within the rest): its next paint starts again.
        """
        if self.isVisible() and self._layers.warm_one():
            self._warm.start(0)

    def forget_drawn_lines(self) -> None:
        """Drop the lines drawn ahead: the next hover draws its own (the benchmarks' cold case)."""
        self._warm.stop()
        self._layers.clear()

    @property
    def warm(self) -> bool:
        """Whether every token's lines are drawn ahead (for the trace, heads and size of the last paint)."""
        return self._layers.complete()

    def _paint_tokens(self, painter: QPainter, shown: HeadViewLayout) -> None:
        theme = self.appearance.theme
        self.tokens = []
        selected = self.shown_token
        hidden = unreachable(self.trace, self.shown_token)
        painter.setFont(font_px(shown.token_px))
        pad = 8 * shown.scale
        for side, texts, rects in (
            ("query", self.trace.query_tokens, shown.queries),
            ("key", self.trace.key_tokens, shown.keys),
        ):
            align = Qt.AlignmentFlag.AlignRight if side == "query" else Qt.AlignmentFlag.AlignLeft
            for index, (text, rect) in enumerate(zip(texts, rects, strict=True)):
                room = rect.adjusted(pad, 0, -pad, 0)
                if selected == (side, index):
                    # Squeezed rows have no pixel to spare: the frame keeps to the row's edges, thin.
                    tight = rect.height() < text_height(shown.token_px) * ROW_SPACING
                    fill = rect.adjusted(0, 0.5, 0, -0.5) if tight else rect.adjusted(0, 1, 0, -1)
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(mix(theme.focus, theme.background, 0.22))
                    painter.drawRoundedRect(fill, 4, 4)
                    if self._pinned == selected:
                        width = 1.0 if tight else max(1.5, 1.5 * shown.scale)
                        painter.setPen(QPen(QColor(theme.focus), width))
                        painter.setBrush(Qt.BrushStyle.NoBrush)
                        painter.drawRoundedRect(fill, 4, 4)
                faded = (side, index) in hidden
                painter.setPen(QColor(theme.masked if faded else theme.text))
                label = elided(text, shown.token_px, room.width())
                drawn = painter.drawText(room, int(align | Qt.AlignmentFlag.AlignVCenter), label)
                self.tokens.append(DrawnToken(side, index, label, shown.token_px, QRectF(drawn)))  # type: ignore[arg-type]
        self._paint_weights(painter, shown)

    def _paint_weights(self, painter: QPainter, shown: HeadViewLayout) -> None:
        """With one head, the shown token's α beside each token its lines reach: the lines' numbers."""
        selected, heads = self.shown_token, self.heads
        self.numbers = []
        if selected is not None and len(heads) == 1:
            theme = self.appearance.theme
            self.numbers = paint_numbers(painter, shown, theme, self.trace, heads[0], selected, self.tokens)

    # ---------------------------------------------------------------- pointer and keys
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        token = self.token_at(point)
        if token is None:
            self.hover_token(None)
        else:
            self.hover_token(*token)
        on_chip, _ = self.chip_at(point)
        if token is not None or on_chip:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.hover_token(None)
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = event.position()
        on_chip, head = self.chip_at(point)
        token = self.token_at(point)
        if on_chip:
            self.toggle_head(head)
        elif token is not None and self._pinned == token:
            self.pin_token(None)
        elif token is not None and self._drills(token):
            assert self._pinned is not None
            self.cell_clicked.emit(self.heads[0], self._pinned[1], token[1])
        elif token is not None:
            self.pin_token(*token)
        event.accept()

    def _drills(self, token: tuple[str, int]) -> bool:
        """A key clicked while one head shows a pinned query's lines, and its pair is not masked."""
        pinned = self._pinned
        if pinned is None or pinned[0] != "query" or token[0] != "key" or len(self.heads) != 1:
            return False
        return not bool(self.trace.mask[pinned[1], token[1]])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._pinned is not None:
            self.pin_token(None)
            event.accept()
            return
        super().keyPressEvent(event)
