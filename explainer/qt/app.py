"""The application window and its lifetime (start, Ctrl+C, clean exit)."""

from __future__ import annotations

import signal
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from ..model import AttentionModel

__all__ = ["build_window", "dispose", "run_app"]

TITLE = "Attention Explainer"
DEFAULT_PRESET = "seed-translate"


def build_window(model: AttentionModel) -> QMainWindow:
    """A placeholder main window listing the model's tokens (panels come later)."""
    window = QMainWindow()
    window.setWindowTitle(TITLE)
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addWidget(QLabel(f"Preset: {model.preset_name or '(custom)'}"))
    layout.addWidget(QLabel("Queries: " + " ".join(model.query_tokens)))
    layout.addWidget(QLabel("Keys / values: " + " ".join(model.key_tokens)))
    window.setCentralWidget(body)
    window.resize(640, 200)
    return window


def dispose(widget: QWidget) -> None:
    """Close and delete ``widget`` now, not at interpreter exit.

    pyqtgraph widgets still alive when Python finalizes can segfault, so the
    deferred delete is flushed here while the QApplication still exists.
    """
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def run_app(argv: Sequence[str]) -> int:
    """Open the window on the default preset and run until it is closed."""
    app = QApplication.instance() or QApplication(list(argv))
    window = build_window(AttentionModel.from_preset(DEFAULT_PRESET))
    window.show()
    # Qt's event loop never hands control back to Python, so Ctrl+C in the
    # terminal would be ignored; a periodic no-op lets the handler run.
    previous = signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    try:
        code = app.exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        dispose(window)
    return code
