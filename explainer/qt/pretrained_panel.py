"""Model ▸ Open pretrained…: a real BERT layer's heads; text, layer and head switch live."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from explainer.i18n import N_, _
from explainer.model import Document, ModelState, PretrainedSource
from explainer.real import DEFAULT_TEXT, BertRun

from .focus import Focus
from .style import ERROR_COLOUR
from .words import bind, bound_label


class PretrainedPanel(QWidget):
    """Checkpoint folder, text, layer and head of a real model shown in the window.

    Applying a text runs the checkpoint once; switching layer then only swaps the
    layer's inputs and weights into the same model (one recompute), so it is instant.
    """

    def __init__(
        self,
        document: Document,
        focus: Focus,
        replace: Callable[[ModelState, PretrainedSource, bool], bool],
    ):
        super().__init__()
        # replace(state, source, new_text) shows a layer as the window's model (asking
        # first about unsaved edits); False when the user kept what they had.
        self.document, self.model, self.focus, self.replace = document, document.model, focus, replace
        self.run: BertRun | None = None  # the current text run through the checkpoint
        self.folder = QLineEdit()
        bind(self.folder, self.folder.setPlaceholderText, N_("all-MiniLM-L6-v2 (packaged)"))
        bind(
            self.folder,
            self.folder.setToolTip,
            N_("A BERT checkpoint folder: config.json, model.safetensors, tokenizer.json"),
        )
        browse = QPushButton()
        bind(browse, browse.setText, N_("Browse…"))
        browse.clicked.connect(self._browse)
        self.text = QLineEdit(DEFAULT_TEXT)
        bind(
            self.text,
            self.text.setToolTip,
            N_("Up to 64 word pieces, counting [CLS] and [SEP]; Enter runs the model"),
        )
        self.text.returnPressed.connect(self.load)
        self.load_button = QPushButton()
        bind(self.load_button, self.load_button.setText, N_("Run the model"))
        self.load_button.clicked.connect(self.load)
        self.layer = QSpinBox()
        bind(
            self.layer,
            self.layer.setToolTip,
            N_("Which layer's attention to show, counted from 1; switching is instant"),
        )
        self.layer.setEnabled(False)
        self.layer.valueChanged.connect(self._on_layer)
        self.head = QSpinBox()
        bind(self.head, self.head.setToolTip, N_("Which head the panels show (also: the All heads overview)"))
        self.head.setEnabled(False)
        self.head.valueChanged.connect(lambda value: self.focus.set(head=value - 1))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(bound_label(N_("Checkpoint")), folder_row)
        form.addRow(bound_label(N_("Text")), self.text)
        form.addRow("", self.load_button)
        form.addRow(bound_label(N_("Layer")), self.layer)
        form.addRow(bound_label(N_("Head")), self.head)
        form.addRow(self.message)
        self.focus.changed.connect(self._on_focus)

    def shutdown(self) -> None:
        self.focus.changed.disconnect(self._on_focus)

    def open(self, folder: str | None, text: str | None, layer: int) -> bool:
        """Run ``text`` (None: the one in the box) through ``folder`` (None: the packaged
        checkpoint) and show ``layer`` (0-based), as the command line's --pretrained asks."""
        self.folder.setText(folder or "")
        if text:
            self.text.setText(text)
        if not self.load():
            return False
        self.layer.setValue(layer + 1)  # the box counts from 1
        return True

    def load(self) -> bool:
        """Run the checkpoint on the text and show the chosen layer; errors leave the model as it was."""
        from explainer.real import open_bert

        folder = self.folder.text().strip() or None
        try:
            run = open_bert(Path(folder) if folder else None).run(self.text.text())
            layer = min(self.layer.value() - 1, run.checkpoint.n_layers - 1) if self.run else 0
            shown = self._show(run, max(0, layer), new_text=True)
        except ValueError as error:  # PretrainedError and the model's own checks
            self.message.setText(str(error))
            return False
        self.message.setText("")
        return shown

    def _show(self, run: BertRun, layer: int, new_text: bool) -> bool:
        """Layer ``layer`` (0-based) of ``run`` in the window; the spin boxes follow."""
        if not self.replace(run.state(layer), run.source(layer), new_text):
            shown = self.document.source
            self._set_layer(shown.layer if isinstance(shown, PretrainedSource) else layer)
            return False
        self.run = run
        self.layer.blockSignals(True)
        self.layer.setRange(1, run.checkpoint.n_layers)  # counted from 1, as heads and steps are
        self.layer.blockSignals(False)
        self._set_layer(layer)
        self.layer.setEnabled(True)
        self.head.setRange(1, self.model.n_heads)
        self.head.setEnabled(True)
        return True

    def _set_layer(self, layer: int) -> None:
        self.layer.blockSignals(True)
        self.layer.setValue(layer + 1)
        self.layer.blockSignals(False)

    def forget(self) -> None:
        """Another model is shown (a preset, a session): the layer and head boxes no longer apply."""
        self.run = None
        self.layer.setEnabled(False)
        self.head.setEnabled(False)

    def _on_layer(self, value: int) -> None:
        if self.run is not None:
            try:
                self._show(self.run, value - 1, new_text=False)
            except ValueError as error:
                self.message.setText(str(error))

    def _on_focus(self) -> None:
        if self.head.isEnabled() and self.head.value() != self.focus.head + 1:
            self.head.blockSignals(True)
            self.head.setValue(self.focus.head + 1)
            self.head.blockSignals(False)

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(
            self, _("BERT checkpoint folder"), self.folder.text() or str(Path.home())
        )
        if name:
            self.folder.setText(name)
