"""Helpers for the window's session tests (test_sessions_window_*.py).

What the user sees of a session (the title Qt shows, the numbers and view
settings in the window), files broken on purpose, an autosave left by a crash,
and ``run_app`` driven to a close. The ``window`` and ``make_window`` fixtures
are in conftest.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox

from explainer.model import AttentionModel, Document, ModelState
from explainer.qt.app import run_app
from explainer.qt.main_window import MainWindow
from explainer.session import AUTOSAVE_PREFIX, SESSION_SUFFIX, ViewSettings, save_session

ROOT = Path(__file__).resolve().parents[2]
Answer = QMessageBox.StandardButton
# Values whose bits a careless round trip loses: signed zero, a subnormal, 0.30000000000000004.
AWKWARD = (-0.0, 5e-324, 0.1 + 0.2, 1 / 3, 1e6, -123456.789)


def shown_title(window: MainWindow) -> str:
    """The title as Qt shows it: ``[*]`` becomes ``*`` when modified, nothing otherwise."""
    return window.windowHandle().title()


def assert_same_state(got: ModelState, want: ModelState) -> None:
    """Tokens, options and every parameter identical, bit for bit (-0.0 is not 0.0)."""
    assert (got.query_tokens, got.key_tokens, got.causal, got.scale) == (
        want.query_tokens,
        want.key_tokens,
        want.causal,
        want.scale,
    )
    assert set(got.params) == set(want.params)
    for name, array in want.params.items():
        assert got.params[name].dtype == array.dtype, name
        assert got.params[name].shape == array.shape, name
        assert np.array_equal(got.params[name], array), name
        assert got.params[name].tobytes() == array.tobytes(), f"{name}: not bit for bit"


def view_of(window: MainWindow) -> dict[str, object]:
    """What the window shows besides the numbers."""
    return {
        "theme": window.appearance.theme.name,
        "detail": window.player.timeline.detail,
        "step": window.player.index,
        "position": window.transport.position.text(),
        "head": window.focus.head,
        "head shown": window.transport.head.currentIndex(),
        "focus": (window.focus.query, window.focus.key),
        "font scale": window.appearance.font_scale,
    }


def answering(answer: Answer, questions: list[str]):
    """An ``ask`` that records the question and gives ``answer``."""

    def ask(question: str) -> Answer:
        questions.append(question)
        return answer

    return ask


def never_asked(question: str) -> Answer:
    raise AssertionError(f"asked without unsaved changes: {question}")


def edit_a_weight(window: MainWindow, value: float = 0.625) -> None:
    window.model.set_value("w_q", (0, 0, 0), value)


def good_document(tmp_path: Path) -> tuple[bytes, dict]:
    path = tmp_path / "good.attn.json"
    save_session(path, AttentionModel.from_preset("seed-self"))
    data = path.read_bytes()
    return data, json.loads(data)


def broken(kind: str, tmp_path: Path) -> Path:
    data, doc = good_document(tmp_path)
    path = tmp_path / f"{kind}.attn.json"
    if kind == "not json":
        path.write_text("this is not a session\n")
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "nan":
        doc["params"]["w_q"][0][1][2] = float("nan")
        path.write_text(json.dumps(doc))  # Python writes NaN, as a careless tool would
    elif kind == "wrong shape":
        del doc["params"]["w_k"][0][0]
        path.write_text(json.dumps(doc))
    elif kind == "wrong version":
        doc["version"] = 99
        path.write_text(json.dumps(doc))
    elif kind == "binary":
        path.write_bytes(np.random.default_rng(5).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    elif kind == "folder":
        path.mkdir()
    elif kind == "missing":
        pass
    return path


BROKEN = (
    "not json",
    "truncated",
    "empty",
    "nan",
    "wrong shape",
    "wrong version",
    "binary",
    "folder",
    "missing",
)


def crashed_session(folder: Path) -> tuple[ModelState, ViewSettings]:
    """What a crash's autosave holds: seed-causal (and that source) edited; dark theme, head 2, step 6."""
    document = Document.from_preset("seed-causal")
    model = document.model
    with model.batch():
        for k, value in enumerate(AWKWARD):
            model.set_value("w_v", (1, k % model.d_model, k % model.d_v), value)
    view = ViewSettings(step=6, detail="full", head=1, theme="dark", font_scale=1.5, focus_query=2)
    crashed_autosave(folder, document, view)
    return model.state, view


def crashed_autosave(folder: Path, document: Document, view: ViewSettings | None = None) -> Path:
    """What a window killed outright leaves: its autosave, named for its ended process, and its lock file."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a pid that has ended
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{AUTOSAVE_PREFIX}{child.pid}-0badc0de{SESSION_SUFFIX}"
    save_session(path, document, view)
    path.with_name(f"{AUTOSAVE_PREFIX}{child.pid}-0badc0de.lock").write_bytes(b"")
    return path


def autosaves(folder: Path) -> list[Path]:
    """Every autosave in ``folder``, any window's."""
    return sorted(folder.glob(f"{AUTOSAVE_PREFIX}*{SESSION_SUFFIX}"))


def event_loops_run() -> bool:
    loop = QEventLoop()
    QTimer.singleShot(20, loop.quit)
    return loop.exec() == 0


def run_app_and_close(qapp, look, **options) -> int:
    """``run_app`` until ``look()`` has seen the window after 300 ms, then close it as a user would.

    Closing the window (not ``app.quit()``) ends the app: quit() closes the windows,
    and the last one closing queues a second Quit that outlives exec() and later
    stops every event loop of this process, so qtbot's waits in later tests would
    return at once.
    """

    def look_then_close():
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        try:
            look()
        finally:  # even when the look fails: an app left running would hang the suite
            for win in windows:
                win.close()
            if any(win.isVisible() for win in windows):
                qapp.exit(1)

    QTimer.singleShot(300, look_then_close)
    code = run_app(["main.py"], **options)
    assert event_loops_run(), "run_app left the application unable to run an event loop"
    return code
