"""Model ▸ Open pretrained…: a real BERT layer's heads; text, layer and head switch live."""

from __future__ import annotations

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

from explainer.model import AttentionModel

from .focus import Focus


class PretrainedPanel(QWidget):
    """Checkpoint folder, text, layer and head of a real model shown in the window.

    Applying a text runs the checkpoint once; switching layer then only swaps the
    layer's inputs and weights into the same model (one recompute), so it is instant.
    """

    def __init__(self, model: AttentionModel, focus: Focus, on_loaded=None):
        super().__init__()
        self.model, self.focus, self.on_loaded = model, focus, on_loaded
        self.run = None  # explainer.real.BertRun of the current text
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("all-MiniLM-L6-v2 (packaged)")
        self.folder.setToolTip("A BERT checkpoint folder: config.json, model.safetensors, tokenizer.json")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.text = QLineEdit("The animal didn't cross the street because it was too tired.")
        self.text.setToolTip("Up to 64 word pieces, counting [CLS] and [SEP]; Enter runs the model")
        self.text.returnPressed.connect(self.load)
        self.load_button = QPushButton("Run the model")
        self.load_button.clicked.connect(self.load)
        self.layer = QSpinBox()
        self.layer.setToolTip("Which layer's attention to show; switching is instant")
        self.layer.setEnabled(False)
        self.layer.valueChanged.connect(self._on_layer)
        self.head = QSpinBox()
        self.head.setToolTip("Which head the panels show (also: the All heads overview)")
        self.head.setEnabled(False)
        self.head.valueChanged.connect(lambda value: self.focus.set(head=value - 1))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c92a2a;")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Checkpoint", folder_row)
        form.addRow("Text", self.text)
        form.addRow("", self.load_button)
        form.addRow("Layer", self.layer)
        form.addRow("Head", self.head)
        form.addRow(self.message)
        self.focus.changed.connect(self._on_focus)

    def shutdown(self) -> None:
        self.focus.changed.disconnect(self._on_focus)

    def load(self) -> bool:
        """Run the checkpoint on the text and show the chosen layer; errors leave the model as it was."""
        from explainer.real import open_bert

        folder = self.folder.text().strip() or None
        try:
            run = open_bert(Path(folder) if folder else None).run(self.text.text())
            layer = min(self.layer.value(), run.checkpoint.n_layers - 1) if self.run else 0
            self._show(run, layer)
        except ValueError as error:  # PretrainedError and the model's own checks
            self.message.setText(str(error))
            return False
        self.message.setText("")
        return True

    def _show(self, run, layer: int) -> None:
        state, source = run.state(layer), run.source(layer)
        self.run = run
        with self.model.batch():
            self.model.preset_name = None
            self.model.source_info = source
            self.model.restore(state)
        self.layer.blockSignals(True)
        self.layer.setRange(0, source.n_layers - 1)
        self.layer.setValue(layer)
        self.layer.setEnabled(True)
        self.layer.blockSignals(False)
        self.head.setRange(1, self.model.n_heads)
        self.head.setEnabled(True)
        if self.on_loaded:
            self.on_loaded(source)

    def _on_layer(self, layer: int) -> None:
        if self.run is not None:
            try:
                self._show(self.run, layer)
            except ValueError as error:
                self.message.setText(str(error))

    def _on_focus(self) -> None:
        if self.head.isEnabled() and self.head.value() != self.focus.head + 1:
            self.head.blockSignals(True)
            self.head.setValue(self.focus.head + 1)
            self.head.blockSignals(False)

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(
            self, "BERT checkpoint folder", self.folder.text() or str(Path.home())
        )
        if name:
            self.folder.setText(name)
