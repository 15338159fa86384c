"""Open a block's attention: the document the step-by-step walkthrough shows for a :class:`Door`.

Every door is built from the shipped "seed-translate" preset, whose embedding
rows were designed for exactly these words (kono eiga ga kirai, I hate this
movie), so each attention shows a meaningful pattern rather than noise.
"""

from __future__ import annotations

from explainer.model import Document

from .diagram import Door

__all__ = ["DOOR_PRESET", "door_document"]

DOOR_PRESET = "seed-translate"


def door_document(door: Door) -> Document:
    """A new document holding the attention ``door`` describes.

    Cross: the preset's own numbers with ``door.query_tokens`` asking
    ``door.key_tokens``; it keeps the preset as its source, so its lesson
    (title, description, the worked query "hate") is the right one.

    Self and causal: the query sentence attends to itself (and with the causal
    mask for causal). Retyping the sentence brings back the preset's designed
    rows of its words, the weights stay the preset's. The preset's lesson
    describes translation by cross-attention, which this is not, so the source
    becomes None (numbers made here, from nothing the app can name): no wrong
    title or description is shown, and a saved session does not claim that
    "Reset to preset" would give these numbers back.

    Raises ValueError when a self or causal door has different query and key sentences.
    """
    document = Document.from_preset(DOOR_PRESET)
    if door.mode == "cross":
        document.set_tokens(door.query_tokens, door.key_tokens)
        return document
    if door.key_tokens != door.query_tokens:
        raise ValueError(
            f"a {door.mode} self-attention door attends to its own words: "
            f"got queries {door.query_tokens!r} and keys {door.key_tokens!r}"
        )
    # With the preset as source, the retyped words get their designed rows back.
    document.set_tokens(door.query_tokens, None)
    document.model.set_options(causal=door.mode == "causal")
    document.set_source(None)
    return document
