"""explainer.real never imports Qt or PyTorch; explainer.model works without the real extra."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "torch", "transformers")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_running_a_checkpoint_imports_neither_qt_nor_torch(tiny_folder: Path) -> None:
    code = (
        "import sys\n"
        "from explainer.model import AttentionModel\n"
        f"m = AttentionModel.from_pretrained({str(tiny_folder)!r}, 'the cat sat', layer=2)\n"
        "assert m.trace.weights.shape == (2, 5, 5)\n"
        f"print(*(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []


def test_the_model_works_without_the_real_extra(tiny_folder: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules.update(dict.fromkeys(['safetensors', 'safetensors.numpy', 'tokenizers'], None))\n"
        "from explainer.model import AttentionModel\n"
        "import explainer.real\n"
        "assert AttentionModel.from_preset('seed-self').trace is not None\n"
        "try:\n"
        f"    AttentionModel.from_pretrained({str(tiny_folder)!r}, 'the cat')\n"
        "except ValueError as error:\n"
        "    print(error)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "a pretrained model needs the safetensors package: "
        "install the real extra: make real (or pip install '.[real]')"
    )
