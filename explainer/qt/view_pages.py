"""The BertViz-style views as pages of the window: the head view (any model) and the model view.

Both are made when first shown and live in the window's page stack beside the
walkthrough and the scenes. The model view needs a real checkpoint's run (the
pretrained panel's); clicking one of its heads opens that layer and head step by
step. Both follow what the window shows: another layer, text or preset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from explainer.i18n import _
from explainer.model import Source

from .head_view import HeadViewPage
from .model_view import ModelViewPage

if TYPE_CHECKING:
    from explainer.real import BertRun

    from .main_window import MainWindow


class ViewPages:
    """Makes and shows the head view and the model view in ``window.pages``."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.model_page: ModelViewPage | None = None
        self.head_page: HeadViewPage | None = None
        self.shown_run: BertRun | None = None  # the run whose heads the model view shows
        self._clicked: tuple[int, int, int, int] | None = None  # the α cell a click landed on
        window.document.source_changed.connect(self._on_source)
        window.pages.currentChanged.connect(self._on_page)

    @property
    def current(self) -> str | None:
        """Which view is on screen: "head", "model", or None (the walkthrough or a scene)."""
        shown = self.window.pages.currentWidget()
        if shown is None:
            return None
        return "head" if shown is self.head_page else "model" if shown is self.model_page else None

    def show_head(self) -> None:
        """The model's attention as lines between its tokens, every head in its colour (any model)."""
        window = self.window
        if self.head_page is None:
            self.head_page = HeadViewPage(window.model, window.appearance, window.focus)
            self.head_page.view.cell_clicked.connect(window.drill_into)  # a pinned query, then a key
            window.pages.addWidget(self.head_page)
        window.player.pause()
        self._on_source(window.document.source)
        window.pages.setCurrentWidget(self.head_page)
        self.head_page.view.setFocus()
        window.show_status(_("Head view: hover a word to see where it looks, click to keep it (F8: back)"))

    def show_model(self) -> None:
        """Every layer × head of the real checkpoint on screen; without one, say how to open one."""
        window = self.window
        run = window.pretrained.run
        if run is None:
            window.show_status(
                _("The model view shows a real checkpoint: run one in the Pretrained model panel")
            )
            window.open_pretrained()
            return
        if self.model_page is None:
            self.model_page = ModelViewPage(window.appearance)
            self.model_page.opened.connect(self._open)
            self.model_page.view.cell_clicked.connect(self._on_cell)
            window.pages.addWidget(self.model_page)
        window.player.pause()
        self._fill_model(run)
        window.pages.setCurrentWidget(self.model_page)
        self.model_page.setFocus()
        window.show_status(
            _("Model view: click a head (or Enter) to open it step by step; F8 the walkthrough")
        )

    def _fill_model(self, run: BertRun) -> None:
        assert self.model_page is not None
        self.model_page.show_run(run)
        self.shown_run = run
        self.model_page.select(getattr(self.window.document.source, "layer", 0), self.window.focus.head)

    def _on_source(self, source: Source) -> None:
        """Another layer, text or model on show: the head view's title and the model view follow."""
        if self.head_page is not None:
            layer = getattr(source, "layer", None)
            self.head_page.set_source(None if layer is None else _("Layer {n}").format(n=layer + 1))
        if self.current == "model":
            # After the change is complete: the pretrained panel takes its new run (or lets go of
            # it for a preset) only once the window shows the new numbers.
            QTimer.singleShot(0, self._follow_run)

    def _follow_run(self) -> None:
        if self.current == "model":
            run = self.window.pretrained.run
            if run is None:  # a preset or a session: no layers to show
                self.window.show_attention()
                self.window.show_status(_("The model view closed: what is shown now is no real checkpoint"))
            elif run is not self.shown_run:
                self._fill_model(run)

    def _on_page(self, _index: int) -> None:
        """Leaving the head view lets go of a word pinned there: its focus must not follow every edit."""
        if self.head_page is not None and self.current != "head":
            self.head_page.view.pin_token(None)
            self.head_page.view.hover_token(None)

    def _on_cell(self, layer: int, head: int, query: int, key: int) -> None:
        self._clicked = (layer, head, query, key)

    def _open(self, layer: int, head: int) -> None:
        """Layer ``layer``, head ``head`` (0-based) of the run on screen in the step-by-step view;
        a click on one α cell of its map works that weight out (a drill-down), Enter the whole layer."""
        clicked, self._clicked = self._clicked, None
        window = self.window
        if window.pretrained.run is not self.shown_run:  # the page is behind: never open other numbers
            return
        window.pretrained.layer.setValue(layer + 1)  # swaps the layer in (asking about unsaved edits)
        source = window.document.source
        if getattr(source, "layer", None) != layer:
            return  # the user kept their edits: stay on the model view
        window.focus.set(head=head)
        window.show_attention()
        if clicked is not None and clicked[:2] == (layer, head):
            window.drill_into(head, clicked[2], clicked[3])

    def shutdown(self) -> None:
        self.window.document.source_changed.disconnect(self._on_source)
        self.window.pages.currentChanged.disconnect(self._on_page)
        if self.model_page is not None:
            self.model_page.shutdown()
        if self.head_page is not None:
            self.head_page.shutdown()
