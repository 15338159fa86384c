"""The head view as a page of the window: a caption that says what is shown, above the view."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explainer.i18n import N_, _
from explainer.model import AttentionModel, Trace

from ..focus import Focus
from ..style import Appearance, Theme
from ..words import follow
from .layout import text_scale
from .view import HeadView

__all__ = ["HeadViewPage", "head_view_caption"]

SENTENCE_CHARS = 60  # longer sentences are counted, not spelled out: the columns show them
MODE_NAMES = {
    "cross": N_("Cross-attention"),
    "self": N_("Self-attention"),
    "causal": N_("Causal self-attention"),
}


def _heads_text(heads: Sequence[int], n_heads: int) -> str:
    if len(heads) == n_heads and n_heads > 1:
        return _("all {n} heads").format(n=n_heads)
    numbers = ", ".join(str(h + 1) for h in heads)
    if len(heads) == 1:
        return _("head {head}").format(head=numbers)
    return _("heads {heads}").format(heads=numbers)


def head_view_caption(
    trace: Trace,
    heads: Sequence[int],
    token: tuple[str, int] | None = None,
    pinned: bool = False,
    source: str | None = None,
) -> str:
    """What the head view shows, in one line: the source, the attention, the heads, what to do.

    e.g. "Cross-attention: I hate this movie → kono eiga ga kirai · head 1 · hover a word …".
    """
    queries, keys = " ".join(trace.query_tokens), " ".join(trace.key_tokens)
    mode = _(MODE_NAMES[trace.mode])
    if trace.mode == "cross":
        what = f"{mode}: {queries} → {keys}"
        if len(queries) + len(keys) > SENTENCE_CHARS:
            what = _("{mode}: {queries} queries → {keys} keys").format(
                mode=mode, queries=len(trace.query_tokens), keys=len(trace.key_tokens)
            )
    else:
        what = f"{mode}: {queries}"
        if len(queries) > SENTENCE_CHARS:
            what = _("{mode}: {n} tokens").format(mode=mode, n=len(trace.query_tokens))
    parts = [source] if source else []
    parts += [what, _heads_text(heads, trace.n_heads)]
    if token is None:
        parts.append(_("hover a word to see where it looks · click to pin"))
    else:
        side, index = token
        if side == "query":
            word = trace.query_tokens[index]
            parts.append(_("where “{word}” looks (line opacity = α)").format(word=word))
        else:
            word = trace.key_tokens[index]
            parts.append(_("who looks at “{word}” (line opacity = α)").format(word=word))
        if pinned:
            parts.append(_("pinned: click it again or Esc to let go"))
    return " · ".join(parts)


class HeadViewPage(QWidget):
    """A caption line and the :class:`HeadView` of ``model``, following ``model.changed``.

    Parameters
    ----------
    model : AttentionModel
        Whose trace is drawn; every edit redraws.
    appearance : Appearance
        Theme and text scale (shared with the window).
    focus : Focus
        The window's shared focus.
    """

    def __init__(self, model: AttentionModel, appearance: Appearance, focus: Focus):
        super().__init__()
        self.model, self.appearance, self.focus = model, appearance, focus
        self.source: str | None = None
        self._style: tuple[Theme, int] | None = None
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.view = HeadView(model.trace, appearance, focus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        self._connect()
        self._restyle()
        self._on_shown_changed()
        follow(self, self._on_language)

    def _connect(self) -> None:
        self.model.changed.connect(self._on_model_changed)
        self.appearance.changed.connect(self._on_appearance_changed)
        self.view.shown_changed.connect(self._on_shown_changed)

    def shutdown(self) -> None:
        """Stop following the model, the appearance and the focus (before the page goes)."""
        self.model.changed.disconnect(self._on_model_changed)
        self.appearance.changed.disconnect(self._on_appearance_changed)
        self.view.shown_changed.disconnect(self._on_shown_changed)
        self.view.shutdown()

    def set_source(self, source: str | None) -> None:
        """Where the attention comes from, first in the caption (e.g. "Layer 6"); None for a toy model."""
        self.source = source
        self._on_shown_changed()

    def caption_text(self) -> str:
        view = self.view
        pinned = view.pinned is not None
        return head_view_caption(view.trace, view.heads, view.shown_token, pinned, self.source)

    def _on_model_changed(self, trace: Trace) -> None:
        self.view.set_trace(trace)

    def _on_shown_changed(self) -> None:
        self.caption.setText(self.caption_text())

    def _on_appearance_changed(self) -> None:
        self._restyle()

    def _on_language(self) -> None:
        self._on_shown_changed()
        self.view.update()  # the columns' titles and the chips' words

    def _restyle(self) -> None:
        theme = self.appearance.theme
        px = self.appearance.px(16 * text_scale(self.width(), self.height()))
        if (theme, px) == self._style:
            return
        self._style = (theme, px)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.background))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.caption.setStyleSheet(f"color: {theme.text}; font-size: {px}px;")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._restyle()
