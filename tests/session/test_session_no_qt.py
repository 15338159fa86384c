"""The session package never imports Qt, checked in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_PACKAGES = ("PySide6", "pyqtgraph", "PyQt5", "PyQt6", "shiboken6")


def test_saving_and_loading_do_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from explainer.model import AttentionModel\n"
        "from explainer.session import load_session, save_session, write_autosave, read_autosave\n"
        f"path = {str(tmp_path / 'a.attn.json')!r}\n"
        "save_session(path, AttentionModel.from_preset('seed-causal'))\n"
        "load_session(path)\n"
        f"write_autosave({str(tmp_path)!r}, AttentionModel.from_preset('seed-self'))\n"
        f"read_autosave({str(tmp_path)!r})\n"
        f"print(*(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r}))"
    )
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
