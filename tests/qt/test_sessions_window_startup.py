"""Sessions at start-up: ``run_app(session=...)`` and ``python main.py FILE``, good and broken files."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sessions_helpers import ROOT, assert_same_state, broken, run_app_and_close, shown_title

from explainer.model import AttentionModel, Document, ModelState, PresetSource, Source
from explainer.qt.main_window import MainWindow
from explainer.session import ViewSettings, save_session


# ---------------------------------------------------------------------------- python main.py FILE
def test_run_app_opens_a_session_file(qapp, tmp_path):
    document = Document.from_preset("seed-cross")
    model = document.model
    model.set_value("w_k", (0, 1, 1), 5e-324)
    path = tmp_path / "class.attn.json"
    save_session(path, document, ViewSettings(step=3, theme="dark"))
    seen: list[tuple[ModelState, Source, str, int]] = []

    def look():
        (win,) = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.append((win.model.state, win.document.source, shown_title(win), win.player.index))

    assert run_app_and_close(qapp, look, session=path) == 0
    ((state, source, title, step),) = seen
    assert_same_state(state, model.state)
    assert source == PresetSource("seed-cross")
    assert (title, step) == ("Attention Explainer — class.attn.json", 3)
    assert qapp.topLevelWidgets() == []


OPEN_AND_REPORT = """
import sys
from PySide6.QtCore import QTimer
import explainer.qt.app as qt_app
from explainer.cli import main
from explainer.qt.main_window import MainWindow
from explainer.session import load_session
make = qt_app.application

def application(argv=("main.py",)):
    app = make(argv)
    def report():
        (win,) = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        print(win.windowHandle().title())
        print(win.model.state.same_as(load_session(sys.argv[1])[0].model.state))
        app.quit()
    QTimer.singleShot(500, report)
    return app

qt_app.application = application
sys.exit(main(sys.argv[1:]))
"""


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**env, **extra}


def test_main_py_with_a_session_file_opens_it(tmp_path):
    path = tmp_path / "class.attn.json"
    save_session(path, AttentionModel.from_preset("seed-self"))
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_REPORT, str(path)],
        cwd=ROOT,
        env=cli_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Attention Explainer — class.attn.json", "True"]
    assert result.stderr == ""


@pytest.mark.parametrize("display", [False, True])
@pytest.mark.parametrize("kind", ["truncated", "binary", "folder"])
def test_main_py_with_a_broken_file_says_which_in_one_line(tmp_path, kind, display):
    path = broken(kind, tmp_path)
    env = cli_env(QT_QPA_PLATFORM="offscreen") if display else cli_env()
    result = subprocess.run(
        [sys.executable, "main.py", str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and path.name in lines[0], result.stderr
    assert lines[0].startswith("attention-explainer: ")
