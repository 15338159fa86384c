"""File ▸ Export… and File ▸ Export still…: the export options, a progress dialog with Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QWidget,
)

from explainer.animation import DETAIL_MODES, Timeline
from explainer.export import ExportCancelled, ExportError, output_kind, parse_size
from explainer.export.targets import check_replaceable, target_exists
from explainer.model import AttentionModel, Document

from .board import PANELS
from .export_job import ExportOptions, export
from .on_screen import OnScreen
from .style import ERROR_COLOUR

VIDEO_FILTER = "MP4 video (*.mp4);;Animated GIF (*.gif);;PNG frames in a zip (*.zip)"
STILL_FILTER = "PNG image (*.png);;SVG vector image (*.svg)"


Status = Callable[[str, int], None]  # a transient message (text, milliseconds)


class ExportDialog(QDialog):
    """The options of a video export of ``document``, with what is on screen as defaults.

    Parameters
    ----------
    parent : QWidget
        Owns this dialog and the progress and question dialogs.
    document : Document
        The numbers to export (a snapshot is taken when the export starts) and the
        preset's lesson (its title and description open the video).
    screen : OnScreen
        The current detail mode (the default here).
    status : callable(text, milliseconds)
        Where "Wrote …" is said when the export is done.
    """

    def __init__(self, parent: QWidget, document: Document, screen: OnScreen, status: Status):
        super().__init__(parent)
        self.document, self.model, self.status = document, document.model, status
        self.setWindowTitle("Export animation")
        steps = len(screen.player.timeline.steps)
        self.path = QLineEdit(str(Path.home() / "attention.mp4"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.size_box = QComboBox()
        self.size_box.setEditable(True)
        self.size_box.addItems(["720p", "1080p", "4k"])
        self.size_box.setToolTip("720p, 1080p, 4k or WIDTHxHEIGHT such as 1600x900")
        self.fps = QDoubleSpinBox()
        self.fps.setRange(1, 120)
        self.fps.setValue(30)
        self.first, self.last = QSpinBox(), QSpinBox()
        for box, value in ((self.first, 1), (self.last, steps)):
            box.setRange(1, steps)
            box.setValue(value)
        self.step_count = QLabel(f"of {steps}")
        range_row = QHBoxLayout()
        for widget in (self.first, QLabel("to"), self.last, self.step_count):
            range_row.addWidget(widget)
        self.detail = QComboBox()
        self.detail.addItems(DETAIL_MODES)
        self.detail.setCurrentText(screen.player.timeline.detail)
        self.detail.currentTextChanged.connect(self._on_detail)
        self.theme = QComboBox()
        self.theme.addItems(["light", "dark"])  # light reads best on slides
        self.captions = QCheckBox("Show the caption")
        self.captions.setChecked(True)
        self.panels = {name: QCheckBox(name.replace("_", " ")) for name in PANELS}
        panel_row = QHBoxLayout()
        for check in self.panels.values():
            check.setChecked(True)
            panel_row.addWidget(check)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("File", _row(path_row))
        form.addRow("Size", self.size_box)
        form.addRow("Frames per second", self.fps)
        form.addRow("Steps", _row(range_row))
        form.addRow("Detail", self.detail)
        form.addRow("Theme", self.theme)
        form.addRow("", self.captions)
        form.addRow("Panels", _row(panel_row))
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._on_export)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _on_detail(self, detail: str) -> None:
        """Another detail mode has another number of steps: offer all of them."""
        steps = len(Timeline(self.model.trace, detail).steps)
        for box in (self.first, self.last):
            box.setRange(1, steps)
        self.first.setValue(1)
        self.last.setValue(steps)
        self.step_count.setText(f"of {steps}")

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), VIDEO_FILTER)
        if name:
            self.path.setText(name)

    def options(self) -> ExportOptions:
        """The chosen options; ValueError says which one is wrong."""
        layout = tuple(name for name, box in self.panels.items() if box.isChecked())
        if not layout:
            raise ValueError("choose at least one panel")
        if self.first.value() > self.last.value():
            raise ValueError(
                f"steps: the first ({self.first.value()}) comes after the last ({self.last.value()})"
            )
        return ExportOptions(
            size=parse_size(self.size_box.currentText().strip()),
            fps=self.fps.value(),
            steps=f"{self.first.value()}-{self.last.value()}",
            # No pinned head: as in the window, each step shows its own head (a range
            # over both heads of seed-causal must not caption head 2 over head 1's numbers).
            head=None,
            detail=self.detail.currentText(),
            theme=self.theme.currentText(),
            captions=self.captions.isChecked(),
            layout=layout,
            lesson=self.document.lesson,
        )

    def _on_export(self) -> None:
        try:
            options = self.options()
            path = Path(self.path.text()).expanduser()
            if output_kind(path) in ("png", "svg"):
                raise ValueError("for one still use File ▸ Export still…")
        except ValueError as error:
            self.message.setText(str(error))
            return
        if run_with_progress(self, self.model, path, options, self.status):
            self.accept()


def export_still(
    parent: QWidget, document: Document, screen: OnScreen, size: tuple[int, int], status: Status
) -> None:
    """File ▸ Export still…: the current step, finished, as on screen, at ``size`` (the board's)."""
    name, chosen = QFileDialog.getSaveFileName(
        parent, "Export still", str(Path.home() / "attention.png"), STILL_FILTER
    )
    if not name:
        return
    path = Path(name)
    if not path.suffix:  # the dialog adds none, and a bare name would export every frame to a folder
        path = path.with_name(path.name + (".svg" if "svg" in chosen.lower() else ".png"))
    if path.suffix.lower() not in (".png", ".svg"):
        QMessageBox.warning(parent, "Export still", f"A still is a .png or .svg image, not {path.suffix}")
        return
    options = ExportOptions(
        size=size,
        still_step=screen.player.index,
        still_focus=(screen.focus.query, screen.focus.key),
        head=screen.focus.head,
        detail=screen.player.timeline.detail,
        theme=screen.appearance.theme.name,
        captions=screen.appearance.captions,
        lesson=document.lesson,
    )
    run_with_progress(parent, document.model, path, options, status)


def run_with_progress(
    parent: QWidget, model: AttentionModel, path: Path, options: ExportOptions, status: Status
) -> bool:
    """Export with a progress dialog; ask before replacing a file. True when a file was written."""
    try:
        check_replaceable(path, output_kind(path))  # a device, a folder of documents …: never asked
    except ValueError as error:
        QMessageBox.warning(parent, "Export", f"Nothing was written to {path}:\n{error}")
        return False
    if target_exists(path):
        answer = QMessageBox.question(parent, "Export", f"{path.name} exists. Replace it?")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        options.force = True
    dialog = QProgressDialog(f"Exporting {path.name}…", "Cancel", 0, 100, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"Exporting {path.name}: frame {done} of {total}")

    try:
        export(model, path, options, progress, dialog.wasCanceled, keep_responsive=True)
    except ExportCancelled:
        return False
    except (ValueError, ExportError, OSError) as error:
        QMessageBox.warning(parent, "Export", f"Nothing was written to {path}:\n{error}")
        return False
    finally:
        dialog.close()
    status(f"Wrote {path}", 8000)
    return True


def _row(layout: QLayout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget
