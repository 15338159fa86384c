"""``export --view model --pretrained FOLDER``: every layer × head of a real checkpoint, headless."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from test_real_cli import run_main

from explainer.export import decode, probe
from explainer.real import all_attentions, open_bert


def test_a_still_is_the_model_view_with_the_chosen_head_outlined(tiny_folder: Path, tmp_path: Path) -> None:
    pictures = []
    for head in ("1", "2"):
        out = tmp_path / f"model{head}.png"
        result = run_main(
            "export", "--pretrained", str(tiny_folder), "--text", "the cat sat", "--view", "model",
            "--layer", "2", "--head", head, "--size", "640x360", "--out", str(out),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert probe(out)["width"] == 640
        pictures.append(decode(out)[0].astype(int))
    assert pictures[0].std() > 10  # thumbnails drawn, not a blank page
    changed = np.abs(pictures[0] - pictures[1]).sum(axis=2) > 60
    assert 0 < changed.mean() < 0.05  # only the outline moved, from head 1 to head 2 of layer 2


def test_a_video_outlines_each_head_in_turn(tiny_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "tour.mp4"
    result = run_main(
        "export", "--pretrained", str(tiny_folder), "--text", "the cat sat", "--view", "model",
        "--size", "480x270", "--fps", "5", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    run = open_bert(tiny_folder).run("the cat sat")
    n_layers, n_heads = all_attentions(run).shape[:2]
    frames = decode(out)
    assert len(frames) == n_layers * n_heads * 3  # 0.6 s per head at 5 fps
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() > 0.5  # the outline moved


def test_without_a_checkpoint_the_model_view_says_what_it_needs(tmp_path: Path) -> None:
    result = run_main("export", "--view", "model", "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "--view model shows a real checkpoint's layers × heads: add --pretrained" in result.stderr
    assert list(tmp_path.iterdir()) == []
