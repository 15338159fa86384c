"""``python main.py`` as a user runs it, in a subprocess (no Qt in this process)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.cli import missing_display

ROOT = Path(__file__).resolve().parents[1]
DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=os.environ.copy() if env is None else env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_lists_the_subcommands():
    result = run_main("--help")
    assert result.returncode == 0
    assert "presets" in result.stdout


def test_no_display_prints_one_line_and_exits_2():
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}
    result = run_main(env=env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "no display found" in lines[0]
    assert "python main.py presets" in lines[0]
    assert "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert result.stdout == ""


def test_presets_lists_the_default_first():
    result = run_main("presets")
    assert result.returncode == 0, result.stderr
    names = result.stdout.splitlines()
    assert names[0] == "seed-translate"
    assert {"seed-cross", "seed-self", "seed-causal"} <= set(names)


def test_headless_commands_do_not_import_qt():
    code = "import sys; from explainer.cli import main; main(['presets']); print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("env", "platform", "missing"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ""}, "linux", True),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_missing_display(env, platform, missing):
    assert (missing_display(env, platform) is not None) == missing
