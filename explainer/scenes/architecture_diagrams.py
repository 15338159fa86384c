"""The lecture's three models side by side, as blocks and arrows (the architecture scene's picture).

The scene is :data:`SCENE_WIDTH` × :data:`SCENE_HEIGHT` units; each diagram owns a
column of 100 units. Blocks are laid out bottom to top (the input words at the
bottom, the output at the top), leaving the top :data:`TITLE_SPACE` units of each
column to its title and subtitle. Every block and arrow id starts with its
diagram's id ("rnn.enc-tokens", "encoder-decoder.cross"), so ids are unique
across the scene.
"""

from __future__ import annotations

from explainer.i18n import N_

from .diagram import Arrow, Block, Diagram, Door, DoorMode

__all__ = [
    "ARCHITECTURE_DIAGRAMS",
    "DOOR_TITLES",
    "SOURCE",
    "TARGET",
    "TITLE_SPACE",
    "block_by_id",
    "diagram_by_id",
    "door_blocks",
    "quoted",
]

TITLE_SPACE = 8.0  # the top of each column: the diagram's title and subtitle

SOURCE = ("kono", "eiga", "ga", "kirai")  # the encoder's sentence (romanized Japanese)
TARGET = ("I", "hate", "this", "movie")  # the decoder's sentence
SHIFTED = ("<s>", *TARGET[:-1])  # what the decoder reads: the target one word late


def quoted(tokens: tuple[str, ...]) -> str:
    """A sentence in curly quotes: “kono eiga ga kirai”."""
    return f"“{' '.join(tokens)}”"


# The doors' titles as marked templates (one whole title each, for the catalogues); a door's
# ``title`` is its template filled in English, and DOOR_TITLES maps it back to its template.
CROSS_TEMPLATE = N_("Decoder → encoder cross-attention: {target} attends to {source}")
RNN_CROSS_TEMPLATE = N_("RNN decoder → encoder cross-attention: {target} attends to {source}")
ENCODER_SELF_TEMPLATE = N_("Encoder self-attention over {source}")
DECODER_CAUSAL_TEMPLATE = N_("Decoder causal self-attention over {target}")
DECODER_ONLY_TEMPLATE = N_("Decoder-only causal self-attention over {target}")
DOOR_TITLES: dict[str, str] = {}


def _door(mode: DoorMode, query: tuple[str, ...], key: tuple[str, ...], template: str) -> Door:
    title = template.format(source=quoted(SOURCE), target=quoted(TARGET))
    DOOR_TITLES[title] = template
    return Door(mode, query, key, title)


CROSS = _door("cross", TARGET, SOURCE, CROSS_TEMPLATE)
RNN_CROSS = _door("cross", TARGET, SOURCE, RNN_CROSS_TEMPLATE)
ENCODER_SELF = _door("self", SOURCE, SOURCE, ENCODER_SELF_TEMPLATE)
DECODER_CAUSAL = _door("causal", TARGET, TARGET, DECODER_CAUSAL_TEMPLATE)
DECODER_ONLY_CAUSAL = _door("causal", TARGET, TARGET, DECODER_ONLY_TEMPLATE)

# Column-local x of the two sides of an encoder–decoder column, and of a single stack.
LEFT, RIGHT, SIDE_WIDTH = 4.0, 54.0, 42.0
MIDDLE, MIDDLE_WIDTH = 22.0, 56.0
TOKENS_Y, TOKENS_HEIGHT = 86.0, 8.0  # the input words, at the bottom
OUTPUT_Y = 12.0  # the output words, at the top (just below the title space)


def _rnn(x0: float) -> Diagram:
    d = "rnn"
    blocks = (
        Block(
            f"{d}.enc-tokens",
            "tokens",
            N_("Source"),
            x0 + LEFT,
            TOKENS_Y,
            SIDE_WIDTH,
            TOKENS_HEIGHT,
            tokens=SOURCE,
        ),
        Block(
            f"{d}.encoder",
            "rnn",
            N_("RNN encoder"),
            x0 + LEFT,
            62.0,
            SIDE_WIDTH,
            14.0,
            detail=N_("one word after another"),
        ),
        Block(
            f"{d}.dec-tokens",
            "tokens",
            N_("Decoder input"),
            x0 + RIGHT,
            TOKENS_Y,
            SIDE_WIDTH,
            TOKENS_HEIGHT,
            tokens=SHIFTED,
        ),
        Block(
            f"{d}.decoder",
            "rnn",
            N_("RNN decoder"),
            x0 + RIGHT,
            62.0,
            SIDE_WIDTH,
            14.0,
            detail=N_("one word after another"),
        ),
        Block(
            f"{d}.cross",
            "cross",
            N_("Cross-attention"),
            x0 + 30.0,
            36.0,
            66.0,
            16.0,
            detail=N_("Q: decoder state · K, V: encoder states"),
            door=RNN_CROSS,
            key="1",
        ),
        Block(
            f"{d}.output",
            "tokens",
            N_("Output"),
            x0 + RIGHT,
            OUTPUT_Y,
            SIDE_WIDTH,
            TOKENS_HEIGHT,
            tokens=TARGET,
        ),
    )
    arrows = (
        Arrow(f"{d}.enc-read", f"{d}.enc-tokens", f"{d}.encoder"),
        Arrow(f"{d}.enc-state", f"{d}.encoder", f"{d}.decoder", N_("last state")),
        Arrow(f"{d}.dec-read", f"{d}.dec-tokens", f"{d}.decoder"),
        Arrow(f"{d}.enc-kv", f"{d}.encoder", f"{d}.cross", "K, V"),
        Arrow(f"{d}.dec-q", f"{d}.decoder", f"{d}.cross", "Q"),
        Arrow(f"{d}.out", f"{d}.cross", f"{d}.output"),
    )
    return Diagram(
        d, N_("RNN encoder–decoder with attention"), N_("cross-attention only"), x0, 100.0, blocks, arrows
    )


def _encoder_decoder(x0: float) -> Diagram:
    d = "encoder-decoder"
    blocks = (
        Block(
            f"{d}.enc-tokens",
            "tokens",
            N_("Source"),
            x0 + LEFT,
            TOKENS_Y,
            SIDE_WIDTH,
            TOKENS_HEIGHT,
            tokens=SOURCE,
        ),
        Block(
            f"{d}.enc-self",
            "self",
            N_("Self-attention"),
            x0 + LEFT,
            64.0,
            SIDE_WIDTH,
            16.0,
            detail=N_("Q, K, V: the encoder's words"),
            door=ENCODER_SELF,
            key="2",
        ),
        Block(f"{d}.enc-ffn", "ffn", N_("Feed-forward"), x0 + LEFT, 46.0, SIDE_WIDTH, 10.0),
        Block(
            f"{d}.dec-tokens",
            "tokens",
            N_("Decoder input"),
            x0 + RIGHT,
            TOKENS_Y,
            SIDE_WIDTH,
            TOKENS_HEIGHT,
            tokens=SHIFTED,
        ),
        Block(
            f"{d}.dec-causal",
            "causal",
            N_("Causal self-attention"),
            x0 + RIGHT,
            64.0,
            SIDE_WIDTH,
            16.0,
            detail=N_("Q, K, V: the decoder's words, each sees only earlier ones"),
            door=DECODER_CAUSAL,
            key="3",
        ),
        Block(
            f"{d}.cross",
            "cross",
            N_("Cross-attention"),
            x0 + RIGHT,
            42.0,
            SIDE_WIDTH,
            16.0,
            detail=N_("Q: decoder · K, V: encoder output"),
            door=CROSS,
            key="4",
        ),
        Block(f"{d}.dec-ffn", "ffn", N_("Feed-forward"), x0 + RIGHT, 26.0, SIDE_WIDTH, 10.0),
        Block(
            f"{d}.output",
            "tokens",
            N_("Output"),
            x0 + RIGHT,
            OUTPUT_Y,
            SIDE_WIDTH,
            TOKENS_HEIGHT,
            tokens=TARGET,
        ),
    )
    arrows = (
        Arrow(f"{d}.enc-in", f"{d}.enc-tokens", f"{d}.enc-self"),
        Arrow(f"{d}.enc-self-ffn", f"{d}.enc-self", f"{d}.enc-ffn"),
        Arrow(f"{d}.enc-kv", f"{d}.enc-ffn", f"{d}.cross", "K, V"),
        Arrow(f"{d}.dec-in", f"{d}.dec-tokens", f"{d}.dec-causal"),
        Arrow(f"{d}.dec-q", f"{d}.dec-causal", f"{d}.cross", "Q"),
        Arrow(f"{d}.cross-ffn", f"{d}.cross", f"{d}.dec-ffn"),
        Arrow(f"{d}.out", f"{d}.dec-ffn", f"{d}.output"),
    )
    return Diagram(
        d,
        N_("Transformer encoder–decoder"),
        N_("self-, causal self- and cross-attention"),
        x0,
        100.0,
        blocks,
        arrows,
    )


def _decoder_only(x0: float) -> Diagram:
    d = "decoder-only"
    blocks = (
        Block(
            f"{d}.tokens",
            "tokens",
            N_("Input"),
            x0 + MIDDLE,
            TOKENS_Y,
            MIDDLE_WIDTH,
            TOKENS_HEIGHT,
            tokens=TARGET[:-1],
        ),
        Block(
            f"{d}.causal",
            "causal",
            N_("Causal self-attention"),
            x0 + MIDDLE,
            62.0,
            MIDDLE_WIDTH,
            16.0,
            detail=N_("Q, K, V: its own words, each sees only earlier ones"),
            door=DECODER_ONLY_CAUSAL,
            key="5",
        ),
        Block(f"{d}.ffn", "ffn", N_("Feed-forward"), x0 + MIDDLE, 42.0, MIDDLE_WIDTH, 10.0),
        Block(
            f"{d}.output",
            "output",
            N_("Next word"),
            x0 + MIDDLE,
            22.0,
            MIDDLE_WIDTH,
            TOKENS_HEIGHT,
            tokens=TARGET[-1:],
        ),
    )
    arrows = (
        Arrow(f"{d}.in", f"{d}.tokens", f"{d}.causal"),
        Arrow(f"{d}.causal-ffn", f"{d}.causal", f"{d}.ffn"),
        Arrow(f"{d}.out", f"{d}.ffn", f"{d}.output"),
    )
    return Diagram(
        d, N_("Decoder-only transformer"), N_("causal self-attention only"), x0, 100.0, blocks, arrows
    )


ARCHITECTURE_DIAGRAMS: tuple[Diagram, ...] = (_rnn(0.0), _encoder_decoder(100.0), _decoder_only(200.0))


def diagram_by_id(diagram_id: str) -> Diagram:
    """The diagram called ``diagram_id`` ("rnn", "encoder-decoder", "decoder-only"); KeyError if none."""
    for diagram in ARCHITECTURE_DIAGRAMS:
        if diagram.id == diagram_id:
            return diagram
    raise KeyError(diagram_id)


def block_by_id(block_id: str) -> Block:
    """The block called ``block_id`` in any of the diagrams; KeyError if none."""
    for diagram in ARCHITECTURE_DIAGRAMS:
        for block in diagram.blocks:
            if block.id == block_id:
                return block
    raise KeyError(block_id)


def door_blocks() -> list[tuple[Block, Door]]:
    """Every block that opens an attention, with its door, in the order of their keys."""
    found = [(b, b.door) for d in ARCHITECTURE_DIAGRAMS for b in d.blocks if b.door is not None]
    return sorted(found, key=lambda pair: pair[0].key)
