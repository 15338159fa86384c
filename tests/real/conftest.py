"""Fixtures: a tiny random BERT folder per session (and a fresh one for tests that damage it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_bert import write_tiny_bert

from explainer.real import pretrained


@pytest.fixture(scope="session")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny checkpoint shared by tests that only read it."""
    return write_tiny_bert(tmp_path_factory.mktemp("tiny-bert"))


@pytest.fixture
def fresh_folder(tmp_path: Path) -> Path:
    """A tiny checkpoint of the test's own, to damage."""
    return write_tiny_bert(tmp_path / "tiny-bert")


@pytest.fixture(autouse=True)
def _empty_checkpoint_cache() -> None:
    pretrained._cache.clear()
