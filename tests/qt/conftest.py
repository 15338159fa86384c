"""Qt tests run offscreen: no display needed, and no window flashes on a desktop."""

import os
import tempfile
from pathlib import Path

# Before anything imports Qt: the platform plugin is chosen when QApplication starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Recent files (QSettings) and autosaves (QStandardPaths) go to a throwaway folder,
# never into the real user's configuration.
os.environ.setdefault("ATTENTION_TEST_SANDBOX", tempfile.mkdtemp(prefix="attention-explainer-tests-"))
os.environ["XDG_CONFIG_HOME"] = os.path.join(os.environ["ATTENTION_TEST_SANDBOX"], "config")
os.environ["XDG_DATA_HOME"] = os.path.join(os.environ["ATTENTION_TEST_SANDBOX"], "data")


import pyqtgraph as pg
import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sessions_helpers import never_asked

from explainer.i18n import language, set_language
from explainer.model import Document
from explainer.qt.app import build_window, dispose
from explainer.qt.application import application
from explainer.qt.main_window import MainWindow
from explainer.qt.words import use_qt_translations


@pytest.fixture(scope="session")
def qapp():
    """The application as the app makes it (its shipped CJK font, its memory settings), whichever
    test comes first: pytest-qt's own would leave Hangul to a font without it when a test run
    starts with a fixture that asks for qtbot."""
    return application()


@pytest.fixture(autouse=True)
def every_mouse_move_counts():
    """Turn off pyqtgraph's mouse rate limit, so every move a test sends is a hover.

    ``GraphicsScene.mouseMoveEvent`` drops a move that comes within
    ``1000 / mouseRateLimit`` ms (10 ms by default) of the last one it took, and
    a value <= 0 switches that off. ``QTest.mouseMove`` sends exactly one move: a
    second hover right after a fast repaint was silently lost, so a test passed or
    failed with the machine's speed. Set before every test, not once at import,
    so that nothing imported later can turn it back on.
    """
    pg.setConfigOption("mouseRateLimit", 0)


@pytest.fixture(autouse=True)
def windows_start_in_the_overview():
    """The window remembers the presenter view (F5) in QSettings: one test's choice must not
    decide how the next test's window starts."""
    if QApplication.instance() is not None:
        QSettings().remove("view")


@pytest.fixture(autouse=True)
def every_test_starts_in_english():
    """View ▸ Language is process-wide (and remembered): a test that switches to Korean switches back."""
    yield
    if language() != "en":
        set_language("en")
        use_qt_translations()
    if QApplication.instance() is not None:
        QSettings().remove("language")


@pytest.fixture
def open_window(qtbot):
    """Open the main window on a preset, shown, active and sized; disposed after the test.

    ``open_window("seed-causal", theme="dark")`` returns the MainWindow. Every
    window is disposed at teardown, even when the test fails: pyqtgraph
    widgets still alive at interpreter exit can crash it.
    """
    windows = []

    def open_(preset: str = "seed-translate", theme: str = "light", size: tuple[int, int] = (1280, 800)):
        window = build_window(Document.from_preset(preset), theme)
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


# ---------------------------------------------------------------- sessions (test_sessions_window_*.py)
# Both put the session manager's messages in ``window.messages`` instead of a
# modal box; ``window`` also fails the test if the session manager asks anything.
@pytest.fixture
def window(open_window):
    """A shown window whose messages land in ``window.messages`` and which must not ask."""

    def open_(preset: str = "seed-causal") -> MainWindow:
        win = open_window(preset)
        win.messages = []
        win.session.warn = win.messages.append
        win.session.ask = never_asked
        return win

    return open_


@pytest.fixture
def make_window(qtbot):
    """``MainWindow(document, autosave_folder=folder)``, disposed after the test."""
    windows: list[MainWindow] = []

    def make(folder: Path, preset: str = "seed-translate") -> MainWindow:
        win = MainWindow(Document.from_preset(preset), autosave_folder=folder)
        windows.append(win)
        win.messages = []
        win.session.warn = win.messages.append
        win.show()
        qtbot.waitExposed(win)
        return win

    yield make
    for win in windows:
        if shiboken6.isValid(win):
            dispose(win)
