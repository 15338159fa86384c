"""Each attention block opens the attention it says, with the preset's designed numbers."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.model import Document, PresetSource
from explainer.scenes import Door, door_blocks, door_document

DOORS = door_blocks()


@pytest.mark.parametrize(("block", "door"), DOORS, ids=[block.id for block, _ in DOORS])
def test_a_door_opens_its_mode_sentences_and_mask(block, door) -> None:
    model = door_document(door).model
    assert model.mode == door.mode == block.kind
    assert tuple(model.query_tokens) == door.query_tokens
    assert tuple(model.key_tokens) == door.key_tokens
    assert model.causal == (door.mode == "causal")
    assert model.self_attention == (door.mode != "cross")
    weights = model.trace.weights[0]
    hidden = np.triu(np.ones(weights.shape, dtype=bool), k=1)
    if door.mode == "causal":
        assert np.all(weights[hidden] == 0)  # no word attends to a later one
    else:
        assert np.all(weights[hidden] > 0)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)


def test_the_cross_door_is_the_translation_preset_with_its_lesson() -> None:
    (door,) = {d for b, d in DOORS if d.mode == "cross" and b.id.startswith("encoder-decoder.")}
    document = door_document(door)
    preset = Document.from_preset("seed-translate")
    assert document.source == PresetSource("seed-translate")
    assert document.model.state.same_as(preset.model.state)
    assert document.lesson is not None and document.lesson.worked_query == "hate"
    # The lecture's pattern: hate → kirai, this → kono, movie → eiga.
    weights = document.model.trace.weights[0]
    keys = document.model.key_tokens
    assert [keys[j] for j in weights.argmax(axis=1)[1:]] == ["kirai", "kono", "eiga"]


@pytest.mark.parametrize("mode", ["self", "causal"])
def test_self_doors_use_the_designed_rows_and_carry_no_translation_lesson(mode) -> None:
    (door,) = {d for b, d in DOORS if d.mode == mode and b.id.startswith("encoder-decoder.")}
    document = door_document(door)
    assert document.source is None and document.lesson is None
    preset = Document.from_preset("seed-translate").model.state
    tokens, rows = preset.query_tokens + preset.key_tokens, [*preset.params["x_q"], *preset.params["x_kv"]]
    designed = dict(zip(tokens, rows, strict=True))
    for token, row in zip(door.query_tokens, document.model.params["x_q"], strict=True):
        np.testing.assert_array_equal(row, designed[token])
    for name in ("w_q", "w_k", "w_v"):
        np.testing.assert_array_equal(document.model.params[name], preset.params[name])


def test_each_door_opens_a_new_document() -> None:
    (_, door), *_ = DOORS
    first, second = door_document(door), door_document(door)
    first.model.set_value("w_q", (0, 0, 0), 0.5)
    assert second.model.params["w_q"][0, 0, 0] != 0.5


def test_a_self_door_over_two_sentences_is_refused() -> None:
    door = Door("self", ("I", "hate"), ("kono", "eiga"), "broken")
    with pytest.raises(ValueError, match="its own words"):
        door_document(door)
