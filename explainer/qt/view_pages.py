"""The BertViz-style views as pages of the window: the head view (any model) and the model view.

Both are made when first shown and live in the window's page stack beside the
walkthrough and the scenes. The model view needs a real checkpoint's run (the
pretrained panel's); clicking one of its heads opens that layer and head step by
step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .head_view import HeadViewPage
from .model_view import ModelViewPage

if TYPE_CHECKING:
    from .main_window import MainWindow


class ViewPages:
    """Makes and shows the head view and the model view in ``window.pages``."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.model_page: ModelViewPage | None = None
        self.head_page: HeadViewPage | None = None

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
            window.pages.addWidget(self.head_page)
        window.player.pause()
        layer = getattr(window.document.source, "layer", None)
        self.head_page.set_source(None if layer is None else f"Layer {layer + 1}")
        window.pages.setCurrentWidget(self.head_page)
        self.head_page.view.setFocus()
        window.show_status("Head view: hover a word to see where it looks, click to keep it (F8: back)")

    def show_model(self) -> None:
        """Every layer × head of the real checkpoint on screen; without one, say how to open one."""
        window = self.window
        run = window.pretrained.run
        if run is None:
            window.show_status(
                "The model view shows a real checkpoint: run one in the Pretrained model panel"
            )
            window.open_pretrained()
            return
        if self.model_page is None:
            self.model_page = ModelViewPage(window.appearance)
            self.model_page.opened.connect(self._open)
            window.pages.addWidget(self.model_page)
        window.player.pause()
        self.model_page.show_run(run)
        source = window.document.source
        layer = getattr(source, "layer", 0)
        self.model_page.select(layer, window.focus.head)
        window.pages.setCurrentWidget(self.model_page)
        self.model_page.setFocus()
        window.show_status("Model view: click a head (or Enter) to open it step by step; F8 the walkthrough")

    def _open(self, layer: int, head: int) -> None:
        """Layer ``layer``, head ``head`` (0-based) of the run in the step-by-step view."""
        window = self.window
        window.pretrained.layer.setValue(layer + 1)  # swaps the layer in (asking about unsaved edits)
        source = window.document.source
        if getattr(source, "layer", None) != layer:
            return  # the user kept their edits: stay on the model view
        window.focus.set(head=head)
        window.show_attention()

    def shutdown(self) -> None:
        if self.model_page is not None:
            self.model_page.shutdown()
        if self.head_page is not None:
            self.head_page.shutdown()
