"""The export package never imports Qt: the CLI and tests use it without a display."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import explainer.export

ROOT = Path(__file__).resolve().parents[2]
QT_ROOTS = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "qtpy", "pyqtgraph"}


def test_exporting_loads_no_qt(tmp_path):
    code = (
        "import sys, numpy as np\n"
        "from pathlib import Path\n"
        "from explainer.export import export_video\n"
        "frames = (np.zeros((48, 64, 3), np.uint8) for _ in range(2))\n"
        f"export_video(frames, Path({str(tmp_path / 'a.mp4')!r}), fps=10, total=2)\n"
        "print(','.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.strip().split(","))
    assert {"explainer", "numpy", "imageio_ffmpeg"} <= loaded
    assert not loaded & QT_ROOTS, sorted(loaded & QT_ROOTS)
    assert (tmp_path / "a.mp4").exists()


def test_public_api_is_explicit():
    expected = {
        "SIZES",
        "FORMATS",
        "parse_size",
        "parse_steps",
        "select_steps",
        "frame_times",
        "output_kind",
        "check_output",
        "FrameWriter",
        "writer_for",
        "atomic_target",
        "ExportError",
        "ExportCancelled",
        "export_video",
        "TerminalProgress",
        "probe",
    }
    assert set(explainer.export.__all__) >= expected
    for name in explainer.export.__all__:
        assert hasattr(explainer.export, name), name
