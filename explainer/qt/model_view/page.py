"""The model view as a page of the window: a title line, every layer × head, a hint how to open one."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explainer.i18n import N_, _
from explainer.real import BertCheckpoint, BertRun
from explainer.real.attentions import all_attentions

from ..style import Appearance
from ..words import Text, bind, follow, write
from .view import ModelView

__all__ = ["HINT", "ModelViewPage", "model_view_title"]

TITLE_PX, HINT_PX = 18, 14  # at text size 1
HINT = N_("click a head to open it step by step · arrow keys move, Enter opens")  # looked up where shown
KEPT_TEXTS = 8  # the attentions of the last few texts: going back to one costs nothing


def model_view_title(name: str, n_layers: int, n_heads: int, text: str) -> str:
    """``all-MiniLM-L6-v2 · 6 layers × 12 heads · “the text”``."""
    layers = (_("{n} layer") if n_layers == 1 else _("{n} layers")).format(n=n_layers)
    heads = (_("{n} head") if n_heads == 1 else _("{n} heads")).format(n=n_heads)
    return f"{name} · {layers} × {heads} · “{text}”"


class ModelViewPage(QWidget):
    """A title, the :class:`ModelView` and a hint; :meth:`show_run` fills it from a real checkpoint's run.

    Parameters
    ----------
    appearance : Appearance
        Theme and text size (shared with the window).

    Signals
    -------
    opened(int, int)
        (layer, head) counted from 0: open that layer and head in the step-by-step view.
    """

    opened = Signal(int, int)

    def __init__(self, appearance: Appearance) -> None:
        super().__init__()
        self.appearance = appearance
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.view = ModelView(appearance)
        self.view.opened.connect(self.opened)
        self.hint = QLabel()
        bind(self.hint, self.hint.setText, HINT)
        self._title: Text = ""  # written again when the language changes
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        # One checkpoint's attentions per text; another checkpoint starts afresh (and lets the old one go).
        self._checkpoint: BertCheckpoint | None = None
        self._kept: OrderedDict[str, np.ndarray] = OrderedDict()
        self.computed = 0  # how many texts all_attentions ran on (the rest came from the cache)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.view)
        appearance.changed.connect(self.restyle)
        self.restyle()
        follow(self, self._write_title)

    def _write_title(self) -> None:
        self.title.setText(write(self._title))

    def restyle(self) -> None:
        theme = self.appearance.theme
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"ModelViewPage {{ background: {theme.background}; }}")
        self.title.setStyleSheet(f"background: {theme.panel}; color: {theme.text}; padding: 8px 14px;")
        self.hint.setStyleSheet(
            f"background: {theme.background}; color: {theme.muted}; padding: 4px 14px 8px;"
        )
        scale = max(1.0, min(2.5, self.width() / 1280, self.height() / 720))
        for label, px in ((self.title, TITLE_PX), (self.hint, HINT_PX)):
            font = QFont()
            font.setPixelSize(self.appearance.px(px * scale))
            label.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.restyle()  # the title grows with a 1080p or 4K page, as the view's labels do

    def shutdown(self) -> None:
        """Stop following the appearance (before the page is deleted)."""
        self.appearance.changed.disconnect(self.restyle)
        self.view.shutdown()

    def show_run(self, run: BertRun) -> np.ndarray:
        """Show every layer × head of ``run``: computed once per checkpoint and text, then kept.

        Returns the attentions shown, (n_layers, n_heads, n, n).
        """
        if self._checkpoint is not run.checkpoint:
            self._checkpoint = run.checkpoint
            self._kept.clear()
        key = run.text
        attentions = self._kept.get(key)
        if attentions is None:
            attentions = all_attentions(run)
            self.computed += 1
            self._kept[key] = attentions
            while len(self._kept) > KEPT_TEXTS:
                self._kept.popitem(last=False)
        self._kept.move_to_end(key)
        n_layers, n_heads = attentions.shape[:2]
        name, text = run.checkpoint.name, run.text
        self.show_attentions(attentions, run.tokens, lambda: model_view_title(name, n_layers, n_heads, text))
        return attentions

    def show_attentions(self, attentions: np.ndarray, tokens: Sequence[str], title: Text) -> None:
        """Show ``attentions`` of ``tokens`` under ``title`` (any source: an export, a test); a
        function as ``title`` writes it again in each language chosen."""
        self._title = title
        self.title.setText(write(title))
        self.view.set_attentions(attentions, tokens)

    def select(self, layer: int, head: int) -> None:
        """Outline (layer, head), counted from 0: the layer and head the step-by-step view shows."""
        self.view.select(layer, head)
