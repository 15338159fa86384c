"""Reading a checkpoint's model.safetensors and tokenizer.json within bounds.

A small hostile file must not cost gigabytes: the safetensors header (names,
dtypes, shapes; the library caps its size) is checked against config.json
before anything is allocated, only the tensors the forward pass needs are read,
their total is capped, and a Rust panic (pyo3's ``PanicException``, which is a
``BaseException``, not an ``Exception``) becomes the usual one-line error.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from ..i18n import _
from .config import BertConfig
from .errors import PretrainedError, require

# The stored weights of the largest BERT the explainer shows (BERT-large, d_model 1024) take 1.34 GB.
MAX_WEIGHT_BYTES = 2_000_000_000
# Real tokenizer.json files take a few MB (a multilingual one about 20 MB).
MAX_TOKENIZER_BYTES = 100_000_000
MAX_MESSAGE = 300

EMBEDDING_NAMES = (
    "embeddings.word_embeddings.weight",
    "embeddings.position_embeddings.weight",
    "embeddings.token_type_embeddings.weight",
    "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
)
# The 16 tensors of each encoder layer, ``encoder.layer.<n>.`` + part, in the order they are checked.
LAYER_PARTS = (
    "attention.self.query.weight",
    "attention.self.query.bias",
    "attention.self.key.weight",
    "attention.self.key.bias",
    "attention.self.value.weight",
    "attention.self.value.bias",
    "attention.output.dense.weight",
    "attention.output.dense.bias",
    "intermediate.dense.weight",
    "intermediate.dense.bias",
    "output.dense.weight",
    "output.dense.bias",
    "attention.output.LayerNorm.weight",
    "attention.output.LayerNorm.bias",
    "output.LayerNorm.weight",
    "output.LayerNorm.bias",
)
_LAYER = re.compile(r"encoder\.layer\.(\d+)\.(.+)")
# safetensors' dtype names, as NumPy names them; those NumPy reads as floats.
DTYPES = {
    "F16": "float16", "F32": "float32", "F64": "float64", "BF16": "bfloat16", "BOOL": "bool",
    "U8": "uint8", "I8": "int8", "U16": "uint16", "I16": "int16", "U32": "uint32", "I32": "int32",
    "U64": "uint64", "I64": "int64",
}  # fmt: skip
FLOATS = {"F16": 2, "F32": 4, "F64": 8}


def clip(text: str) -> str:
    """One line of at most MAX_MESSAGE characters: a library's error may be long, or span lines."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def rust_failure(error: BaseException) -> bool:
    """Whether ``error`` is a failure to report (an Exception, or a Rust panic), not an interrupt."""
    return isinstance(error, Exception) or type(error).__name__ == "PanicException"


def tensor_shapes(config: BertConfig) -> dict[str, tuple[int, ...]]:
    """Every tensor the forward pass reads, with its shape (PyTorch Linear weights are (out, in)).

    Builds ``5 + 16 * num_hidden_layers`` entries: call it only once the layer
    count has been checked against the file (:func:`read_weights` does).
    """
    h, i = config.hidden_size, config.intermediate_size
    shapes: dict[str, tuple[int, ...]] = {
        "embeddings.word_embeddings.weight": (config.vocab_size, h),
        "embeddings.position_embeddings.weight": (config.max_position_embeddings, h),
        "embeddings.token_type_embeddings.weight": (config.type_vocab_size, h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    per_layer: dict[str, tuple[int, ...]] = {part: (h,) for part in LAYER_PARTS}  # biases and norms
    for name in ("self.query", "self.key", "self.value", "output.dense"):
        per_layer[f"attention.{name}.weight"] = (h, h)
    per_layer.update({"intermediate.dense.weight": (i, h), "intermediate.dense.bias": (i,)})
    per_layer["output.dense.weight"] = (h, i)
    for layer in range(config.num_hidden_layers):
        for part in LAYER_PARTS:
            shapes[f"encoder.layer.{layer}.{part}"] = per_layer[part]
    return shapes


def canonical_name(name: str) -> str:
    """``bert.encoder…`` → ``encoder…``; old ``LayerNorm.gamma``/``beta`` → ``weight``/``bias``."""
    stem, _dot, last = name.removeprefix("bert.").rpartition(".")
    if stem.endswith(".LayerNorm"):
        last = {"gamma": "weight", "beta": "bias"}.get(last, last)
    return f"{stem}.{last}"


def open_tensors(path: Path) -> Any:
    """safetensors' ``safe_open`` in NumPy mode: reads the header now, a tensor only when asked."""
    return require("safetensors").safe_open(str(path), framework="np")


def read_weights(folder: Path, config: BertConfig) -> Mapping[str, np.ndarray]:
    """The tensors the forward pass needs, read-only, checked against ``config`` before any is read.

    Raises
    ------
    PretrainedError
        Naming model.safetensors (or config.json, for a layer count the file does not have).
    """
    where = _("{name} in {folder}").format(name="model.safetensors", folder=folder)
    try:
        with open_tensors(folder / "model.safetensors") as tensors:
            stored = {canonical_name(key): key for key in tensors.keys()}  # noqa: SIM118 (not a dict)
            _check_names(stored, config, folder)
            expected = tensor_shapes(config)
            headers = {name: tensors.get_slice(stored[name]) for name in expected}
            total = 0
            for name, shape in expected.items():
                dtype = str(headers[name].get_dtype())
                if dtype == "BF16":
                    raise PretrainedError(
                        _("{where}: {name}: bfloat16, which NumPy cannot read: save it as float32").format(
                            where=where, name=name
                        )
                    )
                if dtype not in FLOATS:
                    raise PretrainedError(
                        _("{where}: {name}: expected floats, got {dtype}").format(
                            where=where, name=name, dtype=DTYPES.get(dtype, dtype.lower())
                        )
                    )
                got = tuple(int(n) for n in headers[name].get_shape())
                if got != shape:
                    raise PretrainedError(
                        _("{where}: {name}: expected shape {shape} (from config.json), got {got}").format(
                            where=where, name=name, shape=shape, got=got
                        )
                    )
                total += math.prod(shape) * FLOATS[dtype]
            if total > MAX_WEIGHT_BYTES:
                raise PretrainedError(
                    _(
                        "{where}: the tensors the model needs take {size} GB; "
                        "the explainer loads at most {most} GB (more than BERT-large)"
                    ).format(where=where, size=f"{total / 1e9:.1f}", most=f"{MAX_WEIGHT_BYTES / 1e9:.1f}")
                )
            weights = {name: tensors.get_tensor(stored[name]) for name in expected}
    except PretrainedError:
        raise
    except MemoryError:
        raise PretrainedError(_("{where}: too large to load into memory").format(where=where)) from None
    except BaseException as error:  # SafetensorError, OSError, a Rust panic: all mean unusable
        if not rust_failure(error):
            raise
        raise PretrainedError(
            clip(_("{where}: not a readable safetensors file ({error})").format(where=where, error=error))
        ) from None
    for array in weights.values():
        array.flags.writeable = False
    return MappingProxyType(weights)


def _check_names(stored: Mapping[str, str], config: BertConfig, folder: Path) -> None:
    """Every tensor config.json asks for is in the file: counted, not listed (a huge layer count is cheap)."""
    where = _("{name} in {folder}").format(name="model.safetensors", folder=folder)
    layers = {int(m[1]) for name in stored if (m := _LAYER.fullmatch(name)) and m[2] in LAYER_PARTS}
    absent = [name for name in EMBEDDING_NAMES if name not in stored]
    if not absent and config.num_hidden_layers > len(layers):
        raise PretrainedError(
            _("{where}: num_hidden_layers {count}, but model.safetensors has {found}").format(
                where=_("{name} in {folder}").format(name="config.json", folder=folder),
                count=config.num_hidden_layers,
                found=len(layers),
            )
        )
    first = list(islice((name for name in _expected_names(config) if name not in stored), 3))
    if first:
        present = sum(1 for name in stored if _expected(name, config))
        more = 5 + len(LAYER_PARTS) * config.num_hidden_layers - present - len(first)
        text = _("{where}: no tensor {names} and {more} more") if more else _("{where}: no tensor {names}")
        raise PretrainedError(text.format(where=where, names=", ".join(first), more=more))


def _expected_names(config: BertConfig) -> Iterator[str]:
    yield from EMBEDDING_NAMES
    for layer in range(config.num_hidden_layers):
        for part in LAYER_PARTS:
            yield f"encoder.layer.{layer}.{part}"


def _expected(name: str, config: BertConfig) -> bool:
    if name in EMBEDDING_NAMES:
        return True
    m = _LAYER.fullmatch(name)
    return m is not None and m[2] in LAYER_PARTS and int(m[1]) < config.num_hidden_layers


def tokenizer_from_str(text: str) -> Any:
    return require("tokenizers").Tokenizer.from_str(text)


def read_tokenizer(folder: Path) -> Any:
    """tokenizer.json, at most MAX_TOKENIZER_BYTES, with padding and truncation turned off.

    Raises
    ------
    PretrainedError
        Naming tokenizer.json: unreadable, too large, not a tokenizer (a Rust panic included).
    """
    where = _("{name} in {folder}").format(name="tokenizer.json", folder=folder)
    try:
        tokenizer = tokenizer_from_str(_read_capped(folder / "tokenizer.json", MAX_TOKENIZER_BYTES, where))
        tokenizer.no_padding()
        tokenizer.no_truncation()
    except PretrainedError:
        raise
    except MemoryError:
        raise PretrainedError(_("{where}: too large to load into memory").format(where=where)) from None
    except BaseException as error:  # the Rust side raises a bare Exception, or panics
        if not rust_failure(error):
            raise
        raise PretrainedError(
            clip(_("{where}: not a readable tokenizer ({error})").format(where=where, error=error))
        ) from None
    return tokenizer


def _read_capped(path: Path, most: int, where: str) -> str:
    """The file's text: only a regular file of at most ``most`` bytes (never blocking on a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise PretrainedError(_("{where}: not a regular file").format(where=where))
            data = file.read(most + 1)
    except OSError as error:
        raise PretrainedError(
            clip(
                _("{where}: cannot read the file ({reason})").format(
                    where=where, reason=error.strerror or error
                )
            )
        ) from None
    if len(data) > most:
        raise PretrainedError(
            _("{where}: more than {size} MB; a tokenizer file is smaller").format(
                where=where, size=f"{most / 1e6:.0f}"
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PretrainedError(
            clip(_("{where}: not a readable tokenizer ({error})").format(where=where, error=error))
        ) from None
