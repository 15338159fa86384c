"""``--pretrained FOLDER --text … --layer N`` on the command line, with the tiny checkpoint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from explainer.cli import _pretrained_document, build_parser
from explainer.model import PretrainedSource

ROOT = Path(__file__).resolve().parents[2]
DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_default_layer_is_the_first(tiny_folder: Path) -> None:
    args = build_parser().parse_args(["--pretrained", str(tiny_folder), "--text", "the cat sat"])
    source = _pretrained_document(args).source
    assert isinstance(source, PretrainedSource)
    assert (source.layer, source.n_layers) == (0, 3)


def test_pretrained_with_the_defaults_gets_as_far_as_the_window(tiny_folder: Path) -> None:
    # The reported bug: the default --layer 0 was refused ("layers are counted from 1, got 0").
    # With no display, passing every check ends at the no-display line.
    result = run_main("--pretrained", str(tiny_folder), "--text", "the cat sat")
    assert result.returncode == 2
    assert "no display found" in result.stderr and "--layer" not in result.stderr, result.stderr


def test_export_with_the_default_layer_writes_the_still(tiny_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "layer1.png"
    result = run_main("export", "--pretrained", str(tiny_folder), "--text", "the cat sat", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_layer_past_the_last_says_the_range_counted_from_1(tiny_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    for layer in ("4", "99"):
        result = run_main("export", "--pretrained", str(tiny_folder), "--layer", layer, "--out", str(out))
        assert result.returncode == 2
        expected = f"attention-explainer: --layer {layer}: this checkpoint has layers 1 to 3\n"
        assert result.stderr == expected
    assert not out.exists()
    result = run_main("export", "--pretrained", str(tiny_folder), "--layer", "0", "--out", str(out))
    assert result.stderr == "attention-explainer: --layer: layers are counted from 1, got 0\n"
