"""The architecture scene: three diagrams in their columns, and a walk whose ids all exist."""

from __future__ import annotations

import itertools
import re

import pytest

from explainer.scenes import (
    ARCHITECTURE_DIAGRAMS,
    SCENE_HEIGHT,
    SCENE_WIDTH,
    TITLE_SPACE,
    architecture_timeline,
    block_by_id,
    diagram_by_id,
    door_blocks,
)

ALL_BLOCKS = [block for diagram in ARCHITECTURE_DIAGRAMS for block in diagram.blocks]
ALL_ARROWS = [arrow for diagram in ARCHITECTURE_DIAGRAMS for arrow in diagram.arrows]
ATTENTION = {"self", "causal", "cross"}


def test_three_diagrams_side_by_side_fill_the_scene() -> None:
    assert [(d.id, d.x, d.width) for d in ARCHITECTURE_DIAGRAMS] == [
        ("rnn", 0.0, 100.0),
        ("encoder-decoder", 100.0, 100.0),
        ("decoder-only", 200.0, 100.0),
    ]
    assert ARCHITECTURE_DIAGRAMS[-1].x + ARCHITECTURE_DIAGRAMS[-1].width == SCENE_WIDTH
    titles = [d.title for d in ARCHITECTURE_DIAGRAMS]
    assert titles == [
        "RNN encoder–decoder with attention",
        "Transformer encoder–decoder",
        "Decoder-only transformer",
    ]


def test_ids_are_unique_and_prefixed_by_their_diagram() -> None:
    ids = [b.id for b in ALL_BLOCKS] + [a.id for a in ALL_ARROWS]
    assert len(ids) == len(set(ids))
    for diagram in ARCHITECTURE_DIAGRAMS:
        for thing in (*diagram.blocks, *diagram.arrows):
            assert thing.id.startswith(f"{diagram.id}."), thing.id


@pytest.mark.parametrize("diagram", ARCHITECTURE_DIAGRAMS, ids=lambda d: d.id)
def test_blocks_fit_their_column_below_the_title_without_overlapping(diagram) -> None:
    for block in diagram.blocks:
        assert diagram.x <= block.x and block.x + block.width <= diagram.x + diagram.width, block.id
        assert block.y >= TITLE_SPACE and block.y + block.height <= SCENE_HEIGHT, block.id
        assert block.width > 0 and block.height > 0
    for a, b in itertools.combinations(diagram.blocks, 2):
        apart = a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y
        assert apart, (a.id, b.id)


@pytest.mark.parametrize("diagram", ARCHITECTURE_DIAGRAMS, ids=lambda d: d.id)
def test_arrows_join_blocks_of_their_diagram_and_run_bottom_to_top(diagram) -> None:
    ids = {b.id for b in diagram.blocks}
    for arrow in diagram.arrows:
        assert {arrow.source, arrow.target} <= ids, arrow.id
        source, target = block_by_id(arrow.source), block_by_id(arrow.target)
        # Data flows upwards (inputs at the bottom): the target starts no lower than the source.
        assert target.y <= source.y, arrow.id
    # Every block is on a data path.
    assert {end for a in diagram.arrows for end in (a.source, a.target)} == ids


def test_the_inputs_sit_at_the_bottom_and_the_outputs_at_the_top() -> None:
    for diagram in ARCHITECTURE_DIAGRAMS:
        lowest = max(diagram.blocks, key=lambda b: b.y)
        highest = min(diagram.blocks, key=lambda b: b.y)
        assert lowest.kind == "tokens" and lowest.tokens
        assert highest.kind in ("tokens", "output") and highest.tokens


def test_the_lecture_sentences_are_where_the_lecture_puts_them() -> None:
    japanese, english = ("kono", "eiga", "ga", "kirai"), ("I", "hate", "this", "movie")
    assert block_by_id("rnn.enc-tokens").tokens == japanese
    assert block_by_id("encoder-decoder.enc-tokens").tokens == japanese
    assert block_by_id("rnn.dec-tokens").tokens == ("<s>", "I", "hate", "this")
    assert block_by_id("rnn.output").tokens == english
    assert block_by_id("encoder-decoder.output").tokens == english
    assert [b.kind for b in diagram_by_id("rnn").blocks if b.kind in ATTENTION] == ["cross"]
    assert sorted(b.kind for b in diagram_by_id("encoder-decoder").blocks if b.kind in ATTENTION) == [
        "causal",
        "cross",
        "self",
    ]
    assert [b.kind for b in diagram_by_id("decoder-only").blocks if b.kind in ATTENTION] == ["causal"]
    assert [b.kind for b in diagram_by_id("rnn").blocks].count("rnn") == 2


def test_every_attention_block_has_a_door_of_its_kind_and_its_own_key() -> None:
    attention = [b for b in ALL_BLOCKS if b.kind in ATTENTION]
    listed = door_blocks()
    assert [block for block, _ in listed] == sorted(attention, key=lambda b: b.key)
    assert [block.key for block, _ in listed] == ["1", "2", "3", "4", "5"]
    for block, door in listed:
        assert door is block.door and door.mode == block.kind
        assert door.title and block.detail
        if door.mode == "cross":
            assert door.query_tokens == ("I", "hate", "this", "movie")
            assert door.key_tokens == ("kono", "eiga", "ga", "kirai")
            assert "cross-attention" in door.title
        else:
            assert door.key_tokens == door.query_tokens
            assert ("causal self-attention" if door.mode == "causal" else "self-attention") in door.title
    assert all(b.door is None and b.key == "" for b in ALL_BLOCKS if b.kind not in ATTENTION)


def test_lookups_say_which_id_is_unknown() -> None:
    with pytest.raises(KeyError, match="nope"):
        block_by_id("nope")
    with pytest.raises(KeyError, match="nope"):
        diagram_by_id("nope")


def test_every_step_names_ids_that_exist() -> None:
    timeline = architecture_timeline()
    blocks, arrows = {b.id for b in ALL_BLOCKS}, {a.id for a in ALL_ARROWS}
    diagrams = {d.id for d in ARCHITECTURE_DIAGRAMS}
    assert 12 <= len(timeline.steps) <= 16
    assert len({s.name for s in timeline.steps}) == len(timeline.steps)
    for step in timeline.steps:
        assert step.lit and step.lit <= blocks, step.name
        assert set(step.flows) <= arrows, step.name
        assert step.camera is None or step.camera in diagrams, step.name
        assert 3.0 <= step.duration <= 6.0, step.name
        assert len(step.caption) <= 220 and step.caption.endswith("."), step.name
        # A step that moves tokens along an arrow lights both of its ends.
        for arrow_id in step.flows:
            (arrow,) = [a for a in ALL_ARROWS if a.id == arrow_id]
            assert {arrow.source, arrow.target} <= step.lit, (step.name, arrow_id)
        if step.camera is not None:
            assert all(b.startswith(f"{step.camera}.") for b in step.lit | set(step.flows)), step.name


def test_the_walk_tells_the_story_in_the_lecture_order() -> None:
    steps = architecture_timeline().steps
    assert steps[0].camera is None and steps[-1].camera is None
    cameras = [s.camera for s in steps[1:-1]]
    # RNN first, then the encoder–decoder, then decoder-only: each visited in one stretch.
    assert [c for i, c in enumerate(cameras) if i == 0 or cameras[i - 1] != c] == [
        "rnn",
        "encoder-decoder",
        "decoder-only",
    ]
    text = " ".join(s.caption for s in steps)
    for words in ("query", "keys and values", "cross-attention", "self-attention", "causal self-attention"):
        assert words in text
    assert "fast" in steps[-1].caption
    assert "both" in steps[-1].caption and "causal self-attention only" in steps[-1].caption


def test_each_key_is_offered_on_the_step_that_lights_its_block() -> None:
    offered = {}
    for step in architecture_timeline().steps:
        for key in re.findall(r"Press (\d) to open it step by step", step.caption):
            offered[key] = step
    assert sorted(offered) == ["1", "2", "3", "4", "5"]
    for block, _door in door_blocks():
        assert block.id in offered[block.key].lit


def test_the_timeline_samples_from_start_to_end() -> None:
    timeline = architecture_timeline()
    assert timeline.name == "architecture" and timeline.title == "Where attention lives"
    assert timeline.state_at(0).step is timeline.steps[0]
    assert timeline.state_at(timeline.duration).step is timeline.steps[-1]
    assert timeline.duration == pytest.approx(sum(s.duration for s in timeline.steps))
