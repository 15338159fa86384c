"""Text → word pieces, ids and token types, with the limits the explainer can show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..i18n import _
from ..model.limits import MAX_TOKEN_CHARS
from .config import BertConfig
from .errors import PretrainedError


@dataclass(frozen=True, eq=False)
class Encoded:
    """A tokenized text.

    Attributes
    ----------
    text : str
        What was typed.
    tokens : tuple of str
        Word pieces as the tokenizer writes them (``[CLS]``, ``un``, ``##bel``, …, ``[SEP]``),
        a piece longer than the explainer's token limit shortened with ``…``.
    ids, type_ids : numpy.ndarray
        Vocabulary ids and token-type (segment) ids, int64, one per token.
    """

    text: str
    tokens: tuple[str, ...]
    ids: np.ndarray
    type_ids: np.ndarray


def encode_text(tokenizer: Any, text: object, config: BertConfig, max_tokens: int) -> Encoded:
    """Tokenize ``text`` (special tokens added); refuse what the model or the explainer cannot take."""
    if not isinstance(text, str):
        raise PretrainedError(_("text: expected a string, got {text}").format(text=repr(text)))
    if not text.strip():
        raise PretrainedError(_("text: type a sentence (the text is empty)"))
    encoding = tokenizer.encode(text)
    specials = sum(encoding.special_tokens_mask)
    if specials == len(encoding.ids):
        raise PretrainedError(
            _("text: no word left to attend to after tokenizing {text}").format(text=repr(text[:40]))
        )
    if len(encoding.ids) > max_tokens:
        kinds = ", ".join(
            sorted({t for t, s in zip(encoding.tokens, encoding.special_tokens_mask, strict=True) if s})
        )
        if kinds:
            message = _("text: {count} tokens (counting {kinds}); at most {most} fit: shorten the text")
        else:
            message = _("text: {count} tokens; at most {most} fit: shorten the text")
        raise PretrainedError(message.format(count=len(encoding.ids), kinds=kinds, most=max_tokens))
    ids = np.array(encoding.ids, dtype=np.int64)
    type_ids = np.array(encoding.type_ids, dtype=np.int64)
    _check_in_table(ids, config.vocab_size, encoding.tokens, "word embeddings (vocab_size)")
    _check_in_table(type_ids, config.type_vocab_size, encoding.tokens, "token types (type_vocab_size)")
    tokens = tuple(_shown(token) for token in encoding.tokens)
    for array in (ids, type_ids):
        array.flags.writeable = False
    return Encoded(text, tokens, ids, type_ids)


def _check_in_table(ids: np.ndarray, rows: int, tokens: list[str], what: str) -> None:
    too_big = np.flatnonzero(ids >= rows)
    if too_big.size:
        at = int(too_big[0])
        raise PretrainedError(
            f"tokenizer.json gives id {int(ids[at])} to {tokens[at]!r} but the model has {rows} {what}: "
            "the tokenizer does not belong to this model"
        )


def _shown(token: str) -> str:
    token = token.strip() or "␣"
    return token if len(token) <= MAX_TOKEN_CHARS else token[: MAX_TOKEN_CHARS - 1] + "…"
