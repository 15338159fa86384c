"""The animation package stays pure Python: importing it pulls in no Qt and no pyqtgraph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import explainer.animation

ROOT = Path(__file__).resolve().parents[2]
QT_ROOTS = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "qtpy", "pyqtgraph"}
REPORT = "\nimport sys\nprint(','.join(sorted({name.split('.')[0] for name in sys.modules})))\n"


def loaded_after(code: str) -> set[str]:
    """Top-level modules a fresh interpreter has loaded after running ``code``."""
    result = subprocess.run(
        [sys.executable, "-c", code + REPORT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(result.stdout.strip().split(","))


def test_importing_explainer_animation_loads_no_qt():
    loaded = loaded_after("import explainer.animation")
    assert {"explainer", "numpy"} <= loaded  # the probe did import the package
    assert not loaded & QT_ROOTS, sorted(loaded & QT_ROOTS)


def test_building_and_sampling_a_timeline_loads_no_qt():
    loaded = loaded_after(
        "from explainer.model import AttentionModel\n"
        "from explainer.animation import Timeline\n"
        "timeline = Timeline.from_trace(AttentionModel.from_preset('seed-causal').trace, detail='full')\n"
        "timeline.state_at(timeline.duration / 2)\n"
    )
    assert "psygnal" in loaded
    assert not loaded & QT_ROOTS, sorted(loaded & QT_ROOTS)


def test_the_probe_would_notice_qt():
    assert "PySide6" in loaded_after("import PySide6")


def test_public_api_is_explicit():
    assert set(explainer.animation.__all__) >= {
        "Timeline",
        "FrameState",
        "Step",
        "STEP_KINDS",
        "DETAIL_MODES",
        "DEFAULT_DETAIL",
        "EASINGS",
        "flag_shapes",
    }
    for name in explainer.animation.__all__:
        assert hasattr(explainer.animation, name), name
