"""``export --view head``: the head view as a still or a video that hovers through the words."""

from __future__ import annotations

from test_cli_scene_export import export

from explainer.export import decode, probe


def test_a_still_and_a_video_of_the_head_view(tmp_path):
    still = tmp_path / "head.png"
    result = export("--view", "head", "--preset", "seed-causal", "--head", "2", "--out", str(still))
    assert result.returncode == 0, result.stderr
    assert probe(still)["width"] == 1280
    video = tmp_path / "head.mp4"
    result = export("--view", "head", "--out", str(video), "--size", "480x270", "--fps", "2")
    assert result.returncode == 0, result.stderr
    frames = decode(video)
    assert len(frames) == 2 * (4 + 4)  # one second on each query, then each key, at 2 fps
    assert abs(frames[0].astype(int) - frames[-1]).mean() > 0.5  # a different word's lines


def test_the_walkthroughs_options_are_refused_with_the_views_in_one_line(tmp_path):
    for args in (("--view", "head", "--split"), ("--view", "head", "--steps", "1-3")):
        result = export(*args, "--out", str(tmp_path / "h.png"))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("attention-explainer: --view head: --")
        assert "leave them out" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    # --scene excludes --pretrained: the message must not send the user there.
    result = export("--scene", "architecture", "--view", "model", "--out", str(tmp_path / "m.png"))
    assert result.returncode == 2 and "--view model: --scene belong" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_window_scene_before_a_command_is_refused_not_ignored(tmp_path):
    import subprocess
    import sys

    from test_cli_scene_export import ROOT

    out = tmp_path / "x.png"
    command = [sys.executable, str(ROOT / "main.py"), "--scene", "architecture"]
    command += ["screenshot", "--out", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "screenshot --scene" in result.stderr
    assert not out.exists()
