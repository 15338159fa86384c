"""File ▸ Export… and File ▸ Export still…: the export options, a progress dialog with Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
    QPushButton,
    QSpinBox,
    QWidget,
)

from explainer.animation import DETAIL_MODES, Timeline
from explainer.export import (
    DEFAULT_FINAL_HOLD,
    MAX_HOLD,
    MAX_SPEED,
    MIN_SPEED,
    SIZES,
    Pacing,
    output_kind,
    parse_size,
    split_folder,
)
from explainer.i18n import N_, _
from explainer.model import Document

from .board import PANELS
from .export_job import ExportOptions
from .export_progress import Status, run_with_progress
from .on_screen import OnScreen
from .style import ERROR_COLOUR
from .words import choose, offer

VIDEO_FILTER = N_("MP4 video (*.mp4);;Animated GIF (*.gif);;PNG frames in a zip (*.zip)")
STILL_FILTER = N_("PNG image (*.png);;SVG vector image (*.svg)")
# The panels by the words a person reads (the names are --layout's tokens).
PANEL_NAMES = {
    "embeddings": N_("embeddings"),
    "projections": N_("projections"),
    "scores": N_("scores"),
    "softmax": N_("softmax"),
    "weighted_sum": N_("weighted sum"),
    "output": N_("output"),
}


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
        The current detail mode and playing speed (the defaults here).
    status : callable(text, milliseconds)
        Where "Wrote …" is said when the export is done.
    """

    def __init__(self, parent: QWidget, document: Document, screen: OnScreen, status: Status):
        super().__init__(parent)
        self.document, self.model, self.status = document, document.model, status
        self.setWindowTitle(_("Export animation"))
        steps = len(screen.player.timeline.steps)
        self.path = QLineEdit(str(Path.home() / "attention.mp4"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.size_box = QComboBox()
        self.size_box.setEditable(True)
        self.size_box.addItems(["720p", "1080p", "4k"])
        self.size_box.setToolTip(_("720p, 1080p, 4k or WIDTHxHEIGHT such as 1600x900"))
        self.fps = QDoubleSpinBox()
        self.fps.setRange(1, 120)
        self.fps.setValue(30)
        self.first, self.last = QSpinBox(), QSpinBox()
        for box, value in ((self.first, 1), (self.last, steps)):
            box.setRange(1, steps)
            box.setValue(value)
        self.step_count = QLabel(_("of {n}").format(n=steps))
        range_row = QHBoxLayout()
        for widget in (self.first, QLabel(_("to")), self.last, self.step_count):
            range_row.addWidget(widget)
        self.detail = QComboBox()
        offer(self.detail, DETAIL_MODES)
        choose(self.detail, screen.player.detail)
        self.detail.currentIndexChanged.connect(lambda index: self._on_detail(self.detail.itemData(index)))
        self.theme = QComboBox()
        offer(self.theme, ["light", "dark"])  # light reads best on slides
        self.view = QComboBox()
        offer(self.view, ["presenter", "overview"])  # the presenter view reads from the back row
        self.view.setToolTip(
            _(
                "presenter: each step's panels large, the camera moving between steps; "
                "overview: every panel at once, as the window shows without F5"
            )
        )
        self.text_scale = screen.appearance.font_scale
        self.captions = QCheckBox(_("Show the caption"))
        self.captions.setChecked(True)
        self.speed = _spin(
            MIN_SPEED,
            MAX_SPEED,
            screen.player.speed,  # as the lecturer plays it
            "×",
            _("Playback speed: 0.5× is half speed, 2× twice as fast (default: the window's speed)"),
        )
        self.hold = _spin(
            0,
            MAX_HOLD,
            0.0,
            " s",
            _(
                "How long each step's finished state stays on screen before the next step begins "
                "(seconds of video, whatever the speed)"
            ),
        )
        self.final_hold = _spin(
            0,
            MAX_HOLD,
            DEFAULT_FINAL_HOLD,
            " s",
            _(
                "How long the last frame stays at the end of the video (a GIF shows it this long "
                "before it loops); the last step is held for the longer of this and the hold per step"
            ),
        )
        self.split = QCheckBox(_("One file per step, for a slide deck"))
        self.split.setToolTip(
            _(
                "Writes a folder named after the file, beside it: attention.mp4 gives attention/ with "
                "attention-01-embed.mp4, attention-02-project_q.mp4 … (the step's number, then its kind); "
                "each clip ends on its step finished, held for the final hold"
            )
        )
        self.panels = {name: QCheckBox(_(PANEL_NAMES[name])) for name in PANELS}
        panel_row = QHBoxLayout()
        for check in self.panels.values():
            check.setChecked(True)
            panel_row.addWidget(check)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(_("File"), _row(path_row))
        form.addRow(_("Size"), self.size_box)
        form.addRow(_("Frames per second"), self.fps)
        form.addRow(_("Steps"), _row(range_row))
        form.addRow(_("Speed"), self.speed)
        form.addRow(_("Hold each step"), self.hold)
        form.addRow(_("Hold the end"), self.final_hold)
        form.addRow("", self.split)
        form.addRow(_("View"), self.view)
        form.addRow(_("Detail"), self.detail)
        form.addRow(_("Theme"), self.theme)
        form.addRow("", self.captions)
        form.addRow(_("Panels"), _row(panel_row))
        form.addRow(self.message)
        form.addRow(_export_buttons(self._on_export, self.reject))

    def _on_detail(self, detail: str) -> None:
        """Another detail mode has another number of steps: offer all of them."""
        steps = len(Timeline(self.model.trace, detail).steps)
        for box in (self.first, self.last):
            box.setRange(1, steps)
        self.first.setValue(1)
        self.last.setValue(steps)
        self.step_count.setText(_("of {n}").format(n=steps))

    def _browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export to"), self.path.text(), _(VIDEO_FILTER))
        if name:
            self.path.setText(name)

    def options(self) -> ExportOptions:
        """The chosen options; ValueError says which one is wrong."""
        layout = tuple(name for name, box in self.panels.items() if box.isChecked())
        if not layout:
            raise ValueError(_("choose at least one panel"))
        if self.first.value() > self.last.value():
            raise ValueError(
                _("steps: the first ({first}) comes after the last ({last})").format(
                    first=self.first.value(), last=self.last.value()
                )
            )
        return ExportOptions(
            size=parse_size(self.size_box.currentText().strip()),
            fps=self.fps.value(),
            steps=f"{self.first.value()}-{self.last.value()}",
            # No pinned head: as in the window, each step shows its own head (a range
            # over both heads of seed-causal must not caption head 2 over head 1's numbers).
            head=None,
            detail=self.detail.currentData(),
            theme=self.theme.currentData(),
            captions=self.captions.isChecked(),
            layout=layout,
            lesson=self.document.lesson,
            pacing=Pacing(self.speed.value(), self.hold.value(), self.final_hold.value()),
            split=self.split.isChecked(),
            view=self.view.currentData(),
            text_scale=self.text_scale,
        )

    def _on_export(self) -> None:
        try:
            options = self.options()
            path = Path(self.path.text()).expanduser()
            if output_kind(path) in ("png", "svg") and not options.split:
                raise ValueError(
                    _(
                        "for one still use File ▸ Export still… "
                        "(or tick one file per step: a still of each step)"
                    )
                )
            if options.split:
                split_folder(path)  # a folder of frames or a .zip is no file per step: said here
        except ValueError as error:
            self.message.setText(str(error))
            return
        if run_with_progress(self, self.model, path, options, self.status):
            self.accept()


class StillDialog(QDialog):
    """File ▸ Export still…: the file and a 16:9 size (a slide's, not the window's).

    Parameters
    ----------
    parent : QWidget
        Owns the dialog.
    window_size : (int, int)
        The board's size on screen: the 16:9 size nearest its width is the default.
    """

    def __init__(self, parent: QWidget, window_size: tuple[int, int]):
        super().__init__(parent)
        self.setWindowTitle(_("Export still"))
        self.path = QLineEdit(str(Path.home() / "attention.png"))
        self.path.setMinimumWidth(320)  # a whole path, not its first letters
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.size_box = QComboBox()
        for name, (width, height) in SIZES.items():
            self.size_box.addItem(f"{width}×{height} ({name})", (width, height))
        nearest = min(SIZES.values(), key=lambda size: abs(size[0] - window_size[0]))
        self.size_box.setCurrentIndex(list(SIZES.values()).index(nearest))
        self.size_box.setToolTip(
            _(
                "The still's size in pixels, 16:9 as slides and projectors are; the panels are laid "
                "out for it as the window lays them out for its own size"
            )
        )
        form = QFormLayout(self)
        form.addRow(_("File"), _row(path_row))
        form.addRow(_("Size"), self.size_box)
        form.addRow(_export_buttons(self.accept, self.reject))

    def still_size(self) -> tuple[int, int]:
        width, height = self.size_box.currentData()
        return int(width), int(height)

    def target(self) -> Path:
        """The file to write; a name typed without extension is a PNG (never a folder of every frame)."""
        path = Path(self.path.text().strip()).expanduser()
        return path if path.suffix else path.with_name(path.name + ".png")

    def _browse(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(self, _("Export still"), self.path.text(), _(STILL_FILTER))
        if not name:
            return
        path = Path(name)
        if not path.suffix:  # the file dialog adds none: the chosen filter says which
            path = path.with_name(path.name + (".svg" if "svg" in chosen.lower() else ".png"))
        self.path.setText(str(path))


def export_still(
    parent: QWidget, document: Document, screen: OnScreen, size: tuple[int, int], status: Status
) -> None:
    """File ▸ Export still…: the current step, finished, as on screen, at a 16:9 size chosen in a dialog.

    ``size`` is the board's on screen: it picks the default (the nearest 16:9 width).
    """
    dialog = StillDialog(parent, size)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        path, still_size = dialog.target(), dialog.still_size()
    finally:
        dialog.deleteLater()
    if path.suffix.lower() not in (".png", ".svg"):
        QMessageBox.warning(
            parent,
            _("Export still"),
            _("A still is a .png or .svg image, not {suffix}").format(suffix=path.suffix),
        )
        return
    options = ExportOptions(
        size=still_size,
        still_step=screen.player.index,
        still_focus=(screen.focus.query, screen.focus.key),
        head=screen.focus.head,
        detail=screen.player.timeline.detail,
        theme=screen.appearance.theme.name,
        captions=screen.appearance.captions,
        lesson=document.lesson,
        view=screen.view(),  # the still shows what the window shows
        text_scale=screen.appearance.font_scale,
    )
    run_with_progress(parent, document.model, path, options, status)


def _spin(low: float, high: float, value: float, suffix: str, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(2)
    box.setSingleStep(0.25 if suffix == "×" else 0.5)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setToolTip(tip)
    return box


def _row(layout: QLayout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget


def _export_buttons(export: Callable[[], object], cancel: Callable[[], object]) -> QDialogButtonBox:
    """Export and Cancel, as both export dialogs end."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Export"))
    buttons.accepted.connect(export)
    buttons.rejected.connect(cancel)
    return buttons
