"""all_attentions: every layer's α in one pass, the very numbers the step-by-step view shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tiny_bert import CONFIG, loop_bert

from explainer.real import BertRun, load_bert
from explainer.real.attentions import all_attentions, layer_attentions

TEXT = "The cat saw the dog because it was tired"


@pytest.fixture(scope="module")
def run(tiny_folder: Path) -> BertRun:
    return load_bert(tiny_folder).run(TEXT)


def test_shape_is_layers_by_heads_by_tokens_by_tokens(run: BertRun) -> None:
    attentions = all_attentions(run)
    n = len(run.tokens)
    assert attentions.shape == (CONFIG["num_hidden_layers"], CONFIG["num_attention_heads"], n, n)
    assert attentions.dtype == np.float64
    assert not attentions.flags.writeable


def test_every_layer_equals_its_attention_models_trace_weights(run: BertRun) -> None:
    attentions = all_attentions(run)
    for layer in range(run.checkpoint.n_layers):
        weights = run.attention_model(layer).trace.weights
        # Equal, not close: the model view and the step-by-step view show the same α.
        assert np.array_equal(attentions[layer], weights), f"layer {layer}"
        assert np.array_equal(layer_attentions(run, layer), weights)


def test_equal_on_a_fresh_run_whose_layers_were_never_computed(tiny_folder: Path) -> None:
    fresh = load_bert(tiny_folder).run("a dog ran away and the cat sat on the mat")
    attentions = all_attentions(fresh)
    for layer in range(fresh.checkpoint.n_layers):
        assert np.array_equal(attentions[layer], fresh.attention_model(layer).trace.weights)


def test_rows_sum_to_one_and_weights_are_probabilities(run: BertRun) -> None:
    attentions = all_attentions(run)
    np.testing.assert_allclose(attentions.sum(axis=-1), 1.0, atol=1e-12)
    assert attentions.min() >= 0.0 and attentions.max() <= 1.0


def test_matches_an_independent_loop_implementation(run: BertRun) -> None:
    _, maps, _ = loop_bert(dict(run.checkpoint.weights), CONFIG, [int(i) for i in run.encoded.ids])
    np.testing.assert_allclose(all_attentions(run), np.array(maps), atol=1e-10)


def test_heads_and_layers_differ(run: BertRun) -> None:
    """The random tiny model's maps are far from uniform and differ per head: no copy of one map."""
    attentions = all_attentions(run)
    assert not np.allclose(attentions[0, 0], attentions[0, 1])
    assert not np.allclose(attentions[0], attentions[1])
    assert attentions.max() > 2.0 / len(run.tokens)
