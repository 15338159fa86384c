"""The architecture: what lint-imports checks, and what only a running interpreter can show.

`lint-imports` (in make test) checks the layers, that only explainer.qt imports Qt,
and that no sibling modules import each other in a cycle, lazy imports included.
It reads this project's import statements only; what a third-party package imports
in turn (psygnal, safetensors, imageio-ffmpeg …) only shows at run time, so one
headless session of real use is run here and its loaded modules inspected.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import explainer

ROOT = Path(__file__).resolve().parents[1]
QT_ROOTS = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "qtpy", "pyqtgraph"}
HEAVY_ROOTS = {"torch", "transformers"}
NOT_CODE = {"explainer.resources"}  # package data (presets, fonts, catalogs)


def contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def loaded_after(code: str, cwd: Path) -> set[str]:
    """Top-level modules a fresh interpreter has loaded after running ``code``."""
    report = "\nimport sys\nprint(','.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    result = subprocess.run(
        [sys.executable, "-c", code + report], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.strip().split(","))


def test_every_module_of_the_package_sits_in_a_layer() -> None:
    """A new package must be placed in the architecture, or lint-imports would not check it."""
    (layers,) = [c for c in contracts() if c["type"] == "layers"]
    named = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    top = {f"explainer.{m.name}" for m in pkgutil.iter_modules(explainer.__path__)} - NOT_CODE
    assert top == named


def test_the_layers_are_the_design_order() -> None:
    (layers,) = [c for c in contracts() if c["type"] == "layers"]
    order = [[name.strip() for name in layer.split("|")] for layer in reversed(layers["layers"])]
    lowest = [["explainer.i18n"], ["explainer.atomic"], ["explainer.model"], ["explainer.animation"]]
    assert order[:4] == lowest
    assert sorted(order[4]) == ["explainer.export", "explainer.real", "explainer.scenes", "explainer.session"]
    assert order[5:] == [["explainer.qt"], ["explainer.cli"], ["explainer.__main__"]]


def test_headless_use_loads_no_qt_and_no_torch(tmp_path: Path) -> None:
    """A notebook's whole headless round: model, walkthrough, session, encoder, a real checkpoint."""
    sys.path.insert(0, str(ROOT / "tests" / "real"))
    try:
        from tiny_bert import write_tiny_bert
    finally:
        sys.path.pop(0)
    folder = write_tiny_bert(tmp_path / "tiny")
    code = (
        "import numpy as np\n"
        "from pathlib import Path\n"
        "from explainer.model import Document\n"
        "from explainer.animation import Timeline\n"
        "from explainer.session import load_session, save_session\n"
        "from explainer.export import export_video\n"
        "from explainer.real import pretrained_document\n"
        "document = Document.from_preset('seed-causal')\n"
        "document.model.set_value('w_q', (0, 0, 0), 0.5)\n"
        "timeline = Timeline(document.model.trace, 'full')\n"
        "timeline.state_at(timeline.duration / 2)\n"
        "save_session('a.attn.json', document)\n"
        "assert load_session('a.attn.json')[0].source == document.source\n"
        "frames = (np.zeros((48, 64, 3), np.uint8) for _ in range(2))\n"
        "export_video(frames, Path('a.mp4'), fps=10, total=2)\n"
        f"assert pretrained_document({str(folder)!r}, 'the cat sat', 1).model.n_heads > 0\n"
    )
    loaded = loaded_after(code, tmp_path)
    assert {"explainer", "numpy", "psygnal", "imageio_ffmpeg", "safetensors", "tokenizers"} <= loaded
    assert not loaded & (QT_ROOTS | HEAVY_ROOTS), sorted(loaded & (QT_ROOTS | HEAVY_ROOTS))
    assert (tmp_path / "a.mp4").stat().st_size > 0


def test_the_probe_would_notice_qt(tmp_path: Path) -> None:
    assert "PySide6" in loaded_after("import PySide6", tmp_path)
