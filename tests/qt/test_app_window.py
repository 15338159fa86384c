"""The app window opens offscreen, and the app exits without leaving widgets behind."""

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from explainer.model import AttentionModel, Document
from explainer.qt.app import build_window, dispose, run_app
from explainer.qt.application import release_wrappers, settle_memory

ROOT = Path(__file__).resolve().parents[2]


def test_window_opens_on_the_first_step_with_the_preset_tokens(qtbot):
    window = build_window(Document.from_preset("seed-translate"))
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Attention Explainer — seed-translate[*]"  # [*]: the unsaved-changes mark
    assert not window.isWindowModified()
    text = "\n".join(label.text() for label in window.findChildren(QLabel))
    assert "I hate this movie" in text
    assert "kono eiga ga kirai" in text
    assert "1 / 26" in text
    dispose(window)
    assert not shiboken6.isValid(window)


def test_a_bare_model_opens_an_untitled_window(qtbot):
    window = build_window(AttentionModel.from_preset("seed-translate"))  # numbers, but no source
    window.show()
    qtbot.waitExposed(window)
    assert window.document.source is None
    assert window.windowTitle() == "Attention Explainer — untitled[*]"
    assert not window.isWindowModified()
    assert not window.weight_editor.reset_button.isEnabled()  # no preset to go back to
    dispose(window)
    assert not shiboken6.isValid(window)


def test_window_opens_and_closes_twenty_times(qtbot):
    for _ in range(20):
        window = build_window(AttentionModel.from_preset("seed-causal"))
        window.show()
        window.player.next_step()
        qtbot.wait(20)
        dispose(window)
        assert not shiboken6.isValid(window)


def test_objects_frozen_at_start_are_freed_with_their_window(qtbot):
    """settle_memory keeps start-up's objects out of collections; a closed window's still go."""
    window = build_window(AttentionModel.from_preset("seed-causal"))
    window.show()
    settle_memory()
    assert gc.get_freeze_count() > 0
    history = weakref.ref(window.history)  # plain Python, in the window's reference cycles
    dispose(window)
    del window
    release_wrappers()  # as the next dispose or settle does: unfreeze, collect, freeze again
    assert history() is None
    assert gc.get_freeze_count() > 0


def test_run_app_returns_and_leaves_no_window(qapp):
    QTimer.singleShot(0, qapp.quit)  # quit as soon as the event loop starts
    assert run_app(["main.py"]) == 0
    assert qapp.topLevelWidgets() == []


def test_process_exits_cleanly_after_the_window_closes():
    # A whole interpreter lifetime: widgets still alive at exit would crash here.
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from explainer.qt.app import application, run_app\n"
        "QTimer.singleShot(300, application().quit)\n"
        "sys.exit(run_app(sys.argv))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no crash, no Qt warning at exit


def test_an_export_page_disposed_keeps_start_up_objects_frozen(qapp):
    """Exports dispose their pages: what settle_memory froze stays out of later collections."""
    settle_memory()
    frozen = gc.get_freeze_count()
    dispose(QLabel("an export page"))
    assert gc.get_freeze_count() >= frozen * 0.9
