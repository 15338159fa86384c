"""The wheel works on its own: built from this tree, installed into a throwaway venv, run elsewhere.

PySide6 and the rest are not downloaded again: the throwaway venv sees the dev venv's
site-packages through a .pth line. Such a folder is only put on sys.path, its own .pth files
are not run, so the dev venv's editable install of this project stays out and the wheel's copy
is the one imported (the test checks that).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import explainer

ROOT = Path(__file__).resolve().parents[1]
PRESETS = [
    "seed-translate",
    "seed-causal",
    "seed-cross",
    "seed-self",
    "seed-translate-ja",
    "seed-translate-ko",
]


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


def build_wheel(tmp_path: Path) -> Path:
    """``pip wheel`` on a copy of the sources: an in-tree build leaves build/ behind, whose stale
    files later builds would ship. No build isolation: setuptools comes from the dev extra."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "explainer", src / "explainer")  # __pycache__ too: the wheel must leave it out
    dist = tmp_path / "dist"
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, src, cwd=tmp_path)
    (wheel,) = dist.glob("*.whl")
    return wheel


def throwaway_venv(tmp_path: Path, wheel: Path) -> tuple[Path, Path]:
    """A venv with the wheel installed and the dev venv's packages visible; its bin folder and python."""
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    # pip runs in the new venv (--python) before the .pth exists: it sees no installed copy to replace.
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python)
    run(*pip, "install", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path)
    dev_dirs = dict.fromkeys(sysconfig.get_path(kind) for kind in ("purelib", "platlib"))
    pth = Path(site.stdout.strip(), "dev-venv-packages.pth")
    pth.write_text("\n".join(dev_dirs) + "\n", encoding="utf-8")
    return bin_dir, python


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def work(tmp_path: Path) -> Iterator[Path]:
    """tmp_path, emptied afterwards: a source copy, a wheel and a venv are not worth keeping."""
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_installed_wheel_runs_outside_the_source_tree(work: Path) -> None:
    wheel = build_wheel(work)
    names = zipfile.ZipFile(wheel).namelist()
    for name in PRESETS:
        assert f"explainer/resources/presets/{name}.json" in names
    assert "explainer/__main__.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]

    bin_dir, python = throwaway_venv(work, wheel)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    script = bin_dir / ("attention-explainer.exe" if os.name == "nt" else "attention-explainer")

    where = run(
        python,
        "-c",
        "import explainer, importlib.metadata as m, importlib.resources as r\n"
        "print(explainer.__file__)\nprint(r.files('explainer.resources'))\n"
        "print(explainer.__version__, m.version('attention-explainer'))",
        cwd=elsewhere,
        env=env,
    ).stdout.splitlines()
    venv = bin_dir.parent.resolve()
    for line in where[:2]:
        assert Path(line).resolve().is_relative_to(venv), where
        assert not Path(line).resolve().is_relative_to(ROOT), where
    assert where[2] == f"{explainer.__version__} {explainer.__version__}"  # one version, single-sourced

    for command in ((script,), (python, "-m", "explainer")):
        listed = run(*command, "presets", cwd=elsewhere, env=env).stdout.split()
        assert listed[0] == "seed-translate" and sorted(listed) == sorted(PRESETS)
    usage = run(python, "-m", "explainer", "--help", cwd=elsewhere, env=env).stdout
    assert usage.startswith("usage: python -m explainer")
    version = run(script, "--version", cwd=elsewhere, env=env).stdout
    assert version.strip() == f"attention-explainer {explainer.__version__}"

    run(script, "screenshot", "--out", "x.png", "--size", "640x400", cwd=elsewhere, env=env)
    data = (elsewhere / "x.png").read_bytes()
    assert png_size(data) == (640, 400)
    assert len(data) > 10_000  # a drawn window, not an empty canvas
