"""Each package says what it offers (``__all__``, convention 6), and offers what it says."""

from __future__ import annotations

import importlib

import pytest

PROMISED = {
    "explainer.model": {"AttentionModel", "Document", "PresetSource", "PretrainedSource", "Trace", "History"},
    "explainer.animation": {
        "Timeline",
        "FrameState",
        "Step",
        "StepKind",
        "Tensor",
        "STEP_KINDS",
        "DETAIL_MODES",
    },
    "explainer.session": {"save_session", "load_session", "SessionError", "ViewSettings", "THEMES"},
    "explainer.export": {
        "export_video",
        "atomic_target",
        "parse_size",
        "select_steps",
        "ExportError",
        "probe",
    },
    "explainer.real": {
        "pretrained_model",
        "pretrained_document",
        "load_bert",
        "LayerError",
        "PretrainedError",
    },
    "explainer.scenes": {
        "SceneTimeline",
        "SceneStep",
        "SceneFrame",
        "ARCHITECTURE_DIAGRAMS",
        "door_document",
        "rnn_states",
        "measure_timings",
        "timing_caption",
        "scene_timeline",
        "SCENE_NAMES",
    },
}


@pytest.mark.parametrize("package", sorted(PROMISED))
def test_all_lists_what_is_there(package: str) -> None:
    module = importlib.import_module(package)
    assert set(module.__all__) >= PROMISED[package]
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
