"""Model view test fixtures: a tiny real BERT run (the checkpoint of tests/real)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "real"))  # tiny_bert, as tests/real use it

from tiny_bert import write_tiny_bert

from explainer.real import BertRun, load_bert

TEXT = "The cat saw the dog because it was tired"


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> BertRun:
    """A text run through the tests' tiny random BERT (3 layers × 2 heads)."""
    return load_bert(write_tiny_bert(tmp_path_factory.mktemp("tiny-bert-model-view"))).run(TEXT)
