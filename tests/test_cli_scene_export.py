"""``python main.py export --scene …``: the lecture's scenes as videos and stills, headless."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explainer.export import FrameSchedule, Pacing, decode, probe
from explainer.scenes import scene_timeline

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "attention-explainer: "
SMALL = ("--size", "480x270", "--fps", "4")


def export(*args: str) -> subprocess.CompletedProcess[str]:
    headless = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", *args],
        cwd=ROOT,
        env=headless,
        capture_output=True,
        text=True,
        timeout=300,
    )


def expected_frames(name: str, fps: float, final_hold: float = 2.0) -> int:
    timeline = scene_timeline(name)  # the timings change captions, not durations
    pacing = Pacing(final_hold=final_hold)
    return FrameSchedule(timeline, range(len(timeline.steps)), fps, pacing).frames


def test_the_architecture_scene_exports_every_step_as_an_mp4(tmp_path):
    out = tmp_path / "architecture.mp4"
    result = export("--scene", "architecture", "--out", str(out), *SMALL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    info = probe(out)
    assert (info["width"], info["height"]) == (480, 270)
    assert info["frames"] == expected_frames("architecture", 4)
    frames = decode(out)
    # The tokens travel and the camera moves: the pictures are not one still repeated.
    assert np.abs(frames[0].astype(int) - frames[len(frames) // 2]).mean() > 3


def test_the_rnn_scene_is_timed_first_then_exported_as_a_gif(tmp_path):
    out = tmp_path / "rnn.gif"
    result = export("--scene", "rnn-vs-attention", "--out", str(out), *SMALL)
    assert result.returncode == 0, result.stderr
    assert out.exists()
    assert len(decode(out)) > 1


def test_a_scene_step_exports_as_a_png_still(tmp_path):
    out = tmp_path / "step.png"
    result = export("--scene", "architecture", "--step", "2", "--out", str(out), "--size", "640x360")
    assert result.returncode == 0, result.stderr
    assert probe(out)["width"] == 640


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scene", "architecture", "--learn", "preset"), "--scene: --learn belong to the attention"),
        (("--scene", "architecture", "--steps", "1-3"), "--scene: --steps belong to the attention"),
        (("--scene", "architecture", "--step", "99", "--out-png"), "has steps 1 to"),
    ],
)
def test_options_that_mean_nothing_to_a_scene_are_refused_in_one_line(tmp_path, args, message):
    if args[-1] == "--out-png":
        args, out = args[:-1], tmp_path / "x.png"
    else:
        out = tmp_path / "x.mp4"
    result = export(*args, "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith(PREFIX) and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_scene_names_the_scenes(tmp_path):
    result = export("--scene", "transformer", "--out", str(tmp_path / "x.mp4"))
    assert result.returncode == 2
    assert "architecture" in result.stderr and "rnn-vs-attention" in result.stderr
