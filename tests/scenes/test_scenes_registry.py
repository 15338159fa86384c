"""The scenes by name, and the package's public names."""

from __future__ import annotations

import pytest

import explainer.scenes as scenes
from explainer.scenes import SCENE_NAMES, TimingPoint, scene_timeline


def test_each_name_gives_its_scene() -> None:
    assert SCENE_NAMES == ("architecture", "rnn-vs-attention")
    for name in SCENE_NAMES:
        assert scene_timeline(name).name == name


def test_timings_reach_the_rnn_scene_chart() -> None:
    points = [TimingPoint(8, 1e-5, 2e-5), TimingPoint(1024, 4e-3, 1e-3)]
    chart = scene_timeline("rnn-vs-attention", points).steps[-1]
    assert chart.name == "chart" and "4.00 ms" in chart.caption and "1.00 ms" in chart.caption


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(
        ValueError, match="unknown scene 'gpu'; expected one of architecture, rnn-vs-attention"
    ):
        scene_timeline("gpu")


def test_the_public_names_exist() -> None:
    promised = {
        "SceneStep", "SceneFrame", "SceneTimeline", "Door", "Block", "Arrow", "Diagram", "SCENE_WIDTH",
        "SCENE_HEIGHT", "ARCHITECTURE_DIAGRAMS", "architecture_timeline", "door_document", "RnnNumbers",
        "rnn_numbers", "rnn_states", "rnn_timeline", "TimingPoint", "SIZES", "measure_timings",
        "timing_caption", "SCENE_NAMES", "scene_timeline",
    }  # fmt: skip
    assert promised <= set(scenes.__all__)
    assert all(hasattr(scenes, name) for name in scenes.__all__)
    assert callable(scenes.door_blocks) and callable(scenes.door_document)
