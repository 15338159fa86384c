"""Where attention lives: the walk through the three models, step by step, with captions.

The pictures are :mod:`explainer.scenes.architecture_diagrams`; each step lights the
blocks its caption talks about, moves tokens along the arrows of the data it
describes and points the camera at the diagram it is about (None: all three).
"""

from __future__ import annotations

from explainer.i18n import N_, _

from .architecture_diagrams import (
    ARCHITECTURE_DIAGRAMS,
    SOURCE,
    TARGET,
    block_by_id,
    diagram_by_id,
    door_blocks,
    quoted,
)
from .timeline import SceneStep, SceneTimeline

__all__ = ["ARCHITECTURE_DIAGRAMS", "architecture_timeline", "block_by_id", "diagram_by_id", "door_blocks"]


def _attention_blocks() -> frozenset[str]:
    return frozenset(block.id for block, _door in door_blocks())


def _step(
    name: str,
    caption: str,
    lit: set[str] | frozenset[str],
    flows: tuple[str, ...] = (),
    camera: str | None = None,
) -> SceneStep:
    """A step whose ``caption`` (marked English, with {source} and {target} for the two sentences)
    is shown in the language in use when the timeline is built."""
    sentences = {"source": quoted(SOURCE), "target": quoted(TARGET)}
    english = caption.format(**sentences)
    # Longer captions stay longer on screen: 3 s for a short line, at most 6 s. Measured on the
    # English, so that the scene lasts as long (and exports as many frames) in every language.
    duration = round(min(6.0, max(3.0, 1.5 + len(english) / 45)), 1)
    return SceneStep(name, _(caption).format(**sentences), duration, frozenset(lit), flows, camera)


def architecture_timeline() -> SceneTimeline:
    """The walk through the three models: RNN with attention, encoder–decoder, decoder-only."""
    r, e, o = "rnn", "encoder-decoder", "decoder-only"
    steps = [
        _step(
            "overview",
            N_(
                "Three models from the lecture, side by side: an RNN encoder–decoder with attention, "
                "a transformer encoder–decoder and a decoder-only transformer. The lit boxes are attention."
            ),
            _attention_blocks(),
        ),
        _step(
            "rnn-encoder",
            N_(
                "The RNN encoder reads {source} one word after another: each new state "
                "needs the state before it, so the words cannot be read at the same time."
            ),
            {f"{r}.enc-tokens", f"{r}.encoder"},
            (f"{r}.enc-read",),
            r,
        ),
        _step(
            "rnn-decoder",
            N_(
                "The RNN decoder writes the English one word at a time, starting from <s> and "
                "from the encoder's last state."
            ),
            {f"{r}.dec-tokens", f"{r}.decoder", f"{r}.encoder"},
            (f"{r}.enc-state", f"{r}.dec-read"),
            r,
        ),
        _step(
            "rnn-cross",
            N_(
                "Before each word, the decoder's state is the query; all the encoder's states are the "
                "keys and values. This cross-attention is the RNN's only attention. Press 1 to open it "
                "step by step."
            ),
            {f"{r}.encoder", f"{r}.decoder", f"{r}.cross"},
            (f"{r}.enc-kv", f"{r}.dec-q"),
            r,
        ),
        _step(
            "rnn-output",
            N_(
                "What the attention returns helps the decoder choose the next word: {target}, "
                "one word per step, each step waiting for the one before."
            ),
            {f"{r}.cross", f"{r}.output"},
            (f"{r}.out",),
            r,
        ),
        _step(
            "transformer",
            N_(
                "“Attention Is All You Need” keeps cross-attention and replaces the RNN's job with "
                "self-attention: no chain of states, every word is computed at once."
            ),
            {f"{e}.enc-self", f"{e}.dec-causal", f"{e}.cross"},
            (),
            e,
        ),
        _step(
            "encoder-self",
            N_(
                "Encoder self-attention: each word of {source} is a query, and all four words give "
                "the keys and values. Press 2 to open it step by step."
            ),
            {f"{e}.enc-tokens", f"{e}.enc-self"},
            (f"{e}.enc-in",),
            e,
        ),
        _step(
            "encoder-ffn",
            N_(
                "A feed-forward layer then works on each word's vector by itself; the encoder's output "
                "is one vector per Japanese word."
            ),
            {f"{e}.enc-self", f"{e}.enc-ffn"},
            (f"{e}.enc-self-ffn",),
            e,
        ),
        _step(
            "decoder-causal",
            N_(
                "Decoder causal self-attention: each English word attends to itself and the words before it "
                "only, since later words are not written yet. Press 3 to open it step by step."
            ),
            {f"{e}.dec-tokens", f"{e}.dec-causal"},
            (f"{e}.dec-in",),
            e,
        ),
        _step(
            "decoder-cross",
            N_(
                "Cross-attention: the decoder's words are the queries; the encoder's output gives the "
                "keys and values, so “hate” can look at “kirai”. Press 4 to open it step by step."
            ),
            {f"{e}.enc-ffn", f"{e}.dec-causal", f"{e}.cross"},
            (f"{e}.enc-kv", f"{e}.dec-q"),
            e,
        ),
        _step(
            "decoder-output",
            N_("After a feed-forward layer the decoder predicts each next word: {target}."),
            {f"{e}.cross", f"{e}.dec-ffn", f"{e}.output"},
            (f"{e}.cross-ffn", f"{e}.out"),
            e,
        ),
        _step(
            "decoder-only",
            N_(
                "A decoder-only model has no encoder and no cross-attention: only causal self-attention over "
                "its own words. Press 5 to open it step by step."
            ),
            {f"{o}.tokens", f"{o}.causal"},
            (f"{o}.in",),
            o,
        ),
        _step(
            "decoder-only-output",
            N_(
                "After the feed-forward layer it predicts the next word: “I hate this” → “movie”. "
                "Then “movie” joins the input and the next word follows."
            ),
            {f"{o}.causal", f"{o}.ffn", f"{o}.output"},
            (f"{o}.causal-ffn", f"{o}.out"),
            o,
        ),
        _step(
            "summary",
            N_(
                "Encoder–decoder models use both kinds: self-attention (causal in the decoder) and "
                "cross-attention. Decoder-only models use causal self-attention only. Next: why transformers "
                "are fast."
            ),
            _attention_blocks(),
        ),
    ]
    return SceneTimeline("architecture", _("Where attention lives"), steps)
