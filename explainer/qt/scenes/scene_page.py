"""One scene as a page of the window: a large caption on top, the scene's view below."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from explainer.i18n import _
from explainer.scenes import SCENE_NAMES, SceneFrame, TimingPoint

from ..style import Appearance
from .architecture_view import ArchitectureView
from .rnn_view import RnnView
from .timing_worker import Measure, TimingWorker

__all__ = ["CAPTION_PX", "ScenePage"]

CAPTION_PX = 20  # the caption at 1280×720 and text size 1: readable on a projector from the back


class ScenePage(QWidget):
    """Scene ``name`` ("architecture" or "rnn-vs-attention"): caption and view; the RNN scene also measures.

    Signals
    -------
    door_requested(Door)
        A door block was clicked, or its key (1–9) pressed on the page.
    timings_ready(list[TimingPoint])
        The timings measured on this machine (the scene's timeline should be
        rebuilt with them: its chart caption quotes them).
    """

    door_requested = Signal(object)
    timings_ready = Signal(object)

    def __init__(self, name: str, appearance: Appearance, measure: Measure | None = None) -> None:
        super().__init__()
        if name not in SCENE_NAMES:
            raise ValueError(
                _("scene: expected one of {names}, got {name}").format(
                    names=", ".join(SCENE_NAMES), name=repr(name)
                )
            )
        self.name, self.appearance = name, appearance
        self.frame: SceneFrame | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.view: ArchitectureView | RnnView
        self.worker: TimingWorker | None = None
        if name == "architecture":
            self.view = ArchitectureView(appearance)
            self.view.door_requested.connect(self.door_requested)
        else:
            self.view = RnnView(appearance)
            self.worker = TimingWorker(measure) if measure is not None else TimingWorker()
            self.worker.progress.connect(self._on_progress)
            self.worker.finished.connect(self._on_timings)
            self.worker.cancelled.connect(self.progress.hide)
        self.measured = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.caption)
        layout.addWidget(self.progress)
        layout.addWidget(self.view, 1)
        appearance.changed.connect(self.restyle)
        self.restyle()

    def restyle(self) -> None:
        """The theme and text size of the appearance (the views restyle themselves)."""
        theme = self.appearance.theme
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"ScenePage {{ background: {theme.background}; }}")
        self.caption.setStyleSheet(f"background: {theme.panel}; color: {theme.text}; padding: 8px 14px;")
        font = QFont()
        font.setPixelSize(self.appearance.px(CAPTION_PX * self.appearance.caption_scale))
        self.caption.setFont(font)
        small = QFont()
        small.setPixelSize(self.appearance.px(15))
        self.progress.setFont(small)

    def shutdown(self) -> None:
        """Stop measuring (the thread is joined) and let the views go."""
        if self.worker is not None:
            self.worker.stop()
        self.appearance.changed.disconnect(self.restyle)
        self.view.shutdown()

    # ---------------------------------------------------------------- frames
    def set_frame(self, frame: SceneFrame) -> None:
        """Show ``frame``: its step's caption above, the view at that instant."""
        self.frame = frame
        if self.caption.text() != frame.step.caption:
            self.caption.setText(frame.step.caption)
        self.view.set_frame(frame)

    # ---------------------------------------------------------------- timings
    def start_measuring(self) -> None:
        """Time the RNN against attention on this machine, in a worker thread (once; the RNN scene only)."""
        if self.worker is None or self.measured or self.worker.is_running():
            return
        self.progress.setRange(0, self.worker.total)
        self._on_progress(0, self.worker.total)
        self.progress.show()
        self.worker.start()

    def set_timings(self, points: Sequence[TimingPoint]) -> None:
        """Timings measured before (or elsewhere): the chart shows them, nothing is measured."""
        if isinstance(self.view, RnnView):
            self.measured = True
            self.view.set_timings(points)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.progress.setFormat(
            _("Measuring on this machine… {done} / {total}").format(done=done, total=total)
        )

    def _on_timings(self, points: list[TimingPoint]) -> None:
        self.progress.hide()
        self.set_timings(points)
        self.timings_ready.emit(points)

    # ---------------------------------------------------------------- events
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start_measuring()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.worker is not None:
            self.worker.stop()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        is_key = len(text) == 1 and text in "123456789"
        if is_key and isinstance(self.view, ArchitectureView) and self.view.open_key(text):
            event.accept()
            return
        super().keyPressEvent(event)
