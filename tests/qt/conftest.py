"""Qt tests run offscreen: no display needed, and no window flashes on a desktop."""

import os
import tempfile

# Before anything imports Qt: the platform plugin is chosen when QApplication starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Recent files (QSettings) and autosaves (QStandardPaths) go to a throwaway folder,
# never into the real user's configuration.
os.environ.setdefault("ATTENTION_TEST_SANDBOX", tempfile.mkdtemp(prefix="attention-explainer-tests-"))
os.environ["XDG_CONFIG_HOME"] = os.path.join(os.environ["ATTENTION_TEST_SANDBOX"], "config")
os.environ["XDG_DATA_HOME"] = os.path.join(os.environ["ATTENTION_TEST_SANDBOX"], "data")


import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from explainer.model import AttentionModel
from explainer.qt.app import build_window, dispose


@pytest.fixture
def open_window(qtbot):
    """Open the main window on a preset, shown, active and sized; disposed after the test.

    ``open_window("seed-causal", theme="dark")`` returns the MainWindow. Every
    window is disposed at teardown, even when the test fails: pyqtgraph
    widgets still alive at interpreter exit can crash it.
    """
    windows = []

    def open_(preset: str = "seed-translate", theme: str = "light", size: tuple[int, int] = (1280, 800)):
        window = build_window(AttentionModel.from_preset(preset), theme)
        windows.append(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        QApplication.processEvents()
        return window

    yield open_
    for window in windows:
        if shiboken6.isValid(window):  # a test may have disposed it already
            dispose(window)
