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
