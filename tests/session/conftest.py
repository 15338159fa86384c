"""Fixtures for the session tests (no Qt): a saved session to break."""

from __future__ import annotations

from pathlib import Path

import pytest
from session_helpers import NAME

from explainer.model import Document
from explainer.session import save_session


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """seed-translate (cross-attention, 1 head, d_model 4, 4 + 4 tokens, its preset as the source)
    saved as lecture.attn.json."""
    path = tmp_path / NAME
    save_session(path, Document.from_preset("seed-translate"))
    return path
