"""The architecture scene's pictures as data: blocks, arrows and the attention each block opens.

Coordinates are in scene units: the whole scene is :data:`SCENE_WIDTH` ×
:data:`SCENE_HEIGHT`, y grows downwards (as on screen), and each diagram
owns a column of it (``Diagram.x`` … ``Diagram.x + Diagram.width``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["SCENE_HEIGHT", "SCENE_WIDTH", "Arrow", "Block", "BlockKind", "Diagram", "Door", "DoorMode"]

SCENE_WIDTH, SCENE_HEIGHT = 300.0, 100.0

DoorMode = Literal["self", "causal", "cross"]
# What a block is: an attention of one of the three kinds, an RNN cell chain, a row of
# tokens (input or output words), a feed-forward layer, or the output (next-word) layer.
BlockKind = Literal["self", "causal", "cross", "rnn", "tokens", "ffn", "output"]


@dataclass(frozen=True)
class Door:
    """One attention, exactly as the step-by-step view should open it.

    ``mode`` is the attention kind; ``query_tokens`` the sentence the queries
    come from; ``key_tokens`` the sentence the keys and values come from (the
    same as ``query_tokens`` for self and causal self-attention); ``title``
    says which block this is ("decoder → encoder cross-attention").
    """

    mode: DoorMode
    query_tokens: tuple[str, ...]
    key_tokens: tuple[str, ...]
    title: str


@dataclass(frozen=True)
class Block:
    """A box of a diagram: ``label`` in large type, ``detail`` (where Q and K, V come from) below it.

    ``tokens`` are the words a ``tokens`` block shows (one chip each); ``door``
    the attention a click opens (attention blocks only); ``key`` the keyboard
    key that opens it too ("1" … "9").
    """

    id: str
    kind: BlockKind
    label: str
    x: float
    y: float
    width: float
    height: float
    detail: str = ""
    tokens: tuple[str, ...] = ()
    door: Door | None = None
    key: str = ""


@dataclass(frozen=True)
class Arrow:
    """Data flowing from block ``source`` to block ``target`` (tokens travel along it when it flows)."""

    id: str
    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class Diagram:
    """One model of the lecture (RNN with attention, encoder–decoder, decoder-only) in its column."""

    id: str
    title: str
    subtitle: str
    x: float
    width: float
    blocks: tuple[Block, ...]
    arrows: tuple[Arrow, ...]
