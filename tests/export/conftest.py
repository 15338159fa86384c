"""Fixtures for the export tests: walkthrough timelines of the shipped presets.

No Qt here: the export package receives frames as arrays, so these tests make their own
(see export_helpers).
"""

from __future__ import annotations

import pytest

from explainer.animation import Timeline
from explainer.model import AttentionModel


@pytest.fixture(scope="session")
def translate_timeline() -> Timeline:
    """seed-translate (cross-attention, one head, no mask) in the default detail mode."""
    return Timeline.from_trace(AttentionModel.from_preset("seed-translate").trace)


@pytest.fixture(scope="session")
def causal_timeline() -> Timeline:
    """seed-causal (two heads, causal mask) in the default detail mode."""
    return Timeline.from_trace(AttentionModel.from_preset("seed-causal").trace)
