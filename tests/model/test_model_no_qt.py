"""The model and the animation never import Qt (DESIGN convention 1), checked in a fresh interpreter."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT_PACKAGES = ("PySide6", "pyqtgraph", "PyQt5", "PyQt6", "shiboken6")


def qt_modules_after(statement: str) -> list[str]:
    """Run ``statement`` in a new interpreter; return the Qt modules it left in sys.modules."""
    code = f"import sys\n{statement}\nprint(*(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r}))"
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_importing_the_model_does_not_import_qt() -> None:
    assert qt_modules_after("import explainer.model") == []


def test_using_the_model_does_not_import_qt() -> None:
    statement = (
        "from explainer.model import AttentionModel\n"
        "m = AttentionModel.from_preset('seed-causal')\n"
        "m.set_value('w_q', (0, 0, 0), 0.5)\n"
        "m.trace"
    )
    assert qt_modules_after(statement) == []


def test_importing_the_animation_does_not_import_qt() -> None:
    if importlib.util.find_spec("explainer.animation") is None:
        pytest.skip("explainer.animation does not exist yet")
    assert qt_modules_after("import explainer.animation") == []


def test_the_check_would_notice_qt() -> None:
    # Guards against a check that can never fail.
    if importlib.util.find_spec("pyqtgraph") is None:
        pytest.skip("pyqtgraph is not installed")
    assert "pyqtgraph" in qt_modules_after("import pyqtgraph")
