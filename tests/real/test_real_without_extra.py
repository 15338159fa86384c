"""explainer.model works without the real extra; a checkpoint then says how to install it.

(That explainer.real imports neither Qt nor PyTorch: tests/test_layers.py and lint-imports.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_model_works_without_the_real_extra(tiny_folder: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules.update(dict.fromkeys(['safetensors', 'safetensors.numpy', 'tokenizers'], None))\n"
        "from explainer.model import AttentionModel\n"
        "from explainer.real import pretrained_model\n"
        "assert AttentionModel.from_preset('seed-self').trace is not None\n"
        "try:\n"
        f"    pretrained_model({str(tiny_folder)!r}, 'the cat')\n"
        "except ValueError as error:\n"
        "    print(error)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "a pretrained model needs the safetensors package: "
        "install the real extra: make real (or pip install '.[real]')"
    )
