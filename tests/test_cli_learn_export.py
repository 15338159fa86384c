"""``python main.py export --learn …``: a learning run as a video, one frame per iteration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explainer.export import decode, probe
from explainer.model import AttentionModel, descend, preset_target, scramble
from explainer.qt.learn_export import run_line

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "attention-explainer: "
# Small and short: 12 iterations at 10 fps; learning rate 1 learns the pattern within them.
TINY = ("--size", "320x240", "--iterations", "12", "--fps", "10", "--learning-rate", "1")
PAIRS = "hate=kirai,this=kono,movie=eiga"


def export(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the export command as a lecturer would, with no display at all."""
    headless = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", *args],
        cwd=ROOT,
        env=headless,
        capture_output=True,
        text=True,
        timeout=120,
    )


def alpha_region(frame: np.ndarray) -> np.ndarray:
    """The presenter view's left third below the caption: the α matrix and its labels only."""
    height, width, _ = frame.shape
    return frame[int(0.3 * height) :, : int(0.36 * width)].astype(int)


def high_alpha_pixels(region: np.ndarray) -> int:
    """Pixels in viridis' light green to yellow (α above about 0.65): white, orange flags excluded."""
    return int(((region[..., 1] > 160) & (region[..., 2] < 140)).sum())


def test_a_learning_run_is_one_frame_per_iteration_and_the_targets_light_up(tmp_path):
    out = tmp_path / "run.mp4"
    result = export("--learn", PAIRS, "--out", str(out), "--final-hold", "0", *TINY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    assert "export: 12 frames" in result.stderr
    frames = decode(out)
    assert len(frames) == 12
    first, last = alpha_region(frames[0]), alpha_region(frames[-1])
    assert np.abs(first - last).mean() > 5  # the weights moved: α looks different
    # From scrambled weights, the three targeted cells become the bright ones.
    assert high_alpha_pixels(last) > high_alpha_pixels(first) + 300


def test_the_last_iteration_is_held_for_the_final_hold_and_every_thins_the_frames(tmp_path):
    held = export("--learn", "preset", "--out", str(tmp_path / "held.mp4"), *TINY)  # default hold 2 s
    assert held.returncode == 0, held.stderr
    assert probe(tmp_path / "held.mp4")["frames"] == 11 + 20  # 11 iterations, then the 12th for 2 s
    thinned = tmp_path / "thin"
    result = export("--learn", "preset", "--out", str(thinned), "--every", "5", "--final-hold", "0", *TINY)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in thinned.iterdir()) == [f"frame_0000{k}.png" for k in (1, 2, 3)]  # 5, 10, 12


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--learn", "hate=kiria"),
            "unknown key token 'kiria': the key tokens are kono, eiga, ga, kirai; did you mean 'kirai'?",
        ),
        (("--learn", "hate"), "--learn: expected 'preset' or query=key pairs joined by commas"),
        (("--learn", "9=kono"), "query position 9 is out of range: expected 1 to 4 (I, hate, this, movie)"),
        (("--preset", "seed-causal", "--learn", "cat=mat"), "α(cat, mat) is masked"),
        (("--learn", "preset", "--learning-rate", "1e9"), "learning rate 1e+09 is too large"),
        (("--learn", "preset", "--iterations", "0"), "--iterations: expected a whole number from 1"),
        (("--learn", "preset", "--steps", "1-3"), "--steps chooses or paces steps of the walkthrough"),
        (
            (
                "--iterations",
                "30",
            ),
            "--iterations needs --learn",
        ),
    ],
)
def test_a_bad_run_is_one_line_exit_2_and_nothing_written(tmp_path, args, message):
    out = tmp_path / "run.mp4"
    result = export(*args, "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith(PREFIX) and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_repeated_word_is_targeted_by_its_position_counted_from_1(tmp_path):
    # seed-causal: "the cat sat on the mat"; the second "the" (5) looks at "cat" (2).
    out = tmp_path / "run.gif"
    result = export(
        "--preset", "seed-causal", "--learn", "5=2,mat=5", "--out", str(out), "--final-hold", "0", *TINY
    )
    assert result.returncode == 0, result.stderr
    assert out.exists()


def test_the_caption_line_says_iteration_loss_largest_change_and_when_it_was_learned():
    model = AttentionModel.from_preset("seed-translate")
    target = preset_target(model, "seed-translate")
    model.set_param("w_q", scramble(model, 1, avoid=target)["w_q"])
    step = next(descend(model, target, iterations=1))
    name, (_head, row, column) = step.largest_change_at
    weight = "W_Q" if name == "w_q" else "W_K"
    line = run_line(step, 300, model.n_heads, None)
    assert line.startswith("Learning W_Q and W_K by gradient descent — iteration 1 of 300: loss ")
    assert f"largest change {weight}[{row + 1}, {column + 1}] by " in line
    assert "learned" not in line
    learned = run_line(step, 300, model.n_heads, 27)
    assert learned.endswith("— learned at iteration 27: every targeted row looks where you asked")
