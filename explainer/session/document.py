"""The session file (format version 2): a model, where it came from, and its view as JSON, and back.

Version 2 adds ``"source"`` (a preset, a checkpoint's layer and text, or null)
in place of version 1's ``"preset"`` name; version 1 files still open.

Every float is written with Python's shortest round-trip repr, so a saved
session reads back bit for bit (-0.0 and subnormals included). Reading checks
the structure here and leaves every limit (tokens, sizes, values, seed) to the
model itself, so its messages are the same in the app, the CLI and the API.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import Any

import numpy as np

from ..i18n import _
from ..model import AttentionModel, Document, ModelState, limits
from ..model.limits import PARAM_NAMES
from ..model.presets import PRESET_FORMAT
from .errors import MISSING, SIZE_NAMES, FieldProblem, check_fields
from .numbers import NumberText
from .source import decode_preset_name, decode_source, encode_source
from .view import ViewSettings, check_view

FORMAT = "attention-explainer-session"
VERSION = 2
SUPPORTED_VERSIONS = (1, 2)
FIELDS = (
    "format",
    "version",
    "source",
    "query_tokens",
    "key_tokens",
    "causal",
    "scale",
    "sizes",
    "seed",
    "view",
    "params",
)
FIELDS_BY_VERSION = {2: FIELDS, 1: tuple("preset" if field == "source" else field for field in FIELDS)}
LEGENDS = {
    "x_q": "(query tokens, d_model)",
    "x_kv": "(key tokens, d_model)",
    "w_q": "(n_heads, d_model, d_k)",
    "w_k": "(n_heads, d_model, d_k)",
    "w_v": "(n_heads, d_model, d_v)",
    "b_q": "(n_heads, d_k)",
    "b_k": "(n_heads, d_k)",
    "b_v": "(n_heads, d_v)",
    "w_o": "(n_heads × d_v, d_model)",
    "b_o": "(d_model,)",
}


# ---------------------------------------------------------------------------- writing
def encode_session(document: Document, view: ViewSettings) -> bytes:
    """The UTF-8 JSON text of a session.

    Reads ``document.model.state`` once (an immutable snapshot), so it may run in a worker thread.

    Raises
    ------
    FieldProblem
        If ``view`` does not fit the model (``view.head`` beyond its heads, …),
        or the source is not one :func:`decode_session` would accept.
    UnicodeEncodeError
        If a token holds a lone surrogate, which UTF-8 cannot write.
    """
    state = document.model.state
    p = state.params
    n_heads, d_model, d_k = p["w_q"].shape
    view = check_view(asdict(view), n_heads, len(p["x_q"]), len(p["x_kv"]))
    encoded = {
        "format": FORMAT,
        "version": VERSION,
        "source": encode_source(document.source),
        "query_tokens": list(state.query_tokens),
        "key_tokens": None if state.key_tokens is None else list(state.key_tokens),
        "causal": state.causal,
        "scale": state.scale,
        "sizes": {"d_model": d_model, "d_k": d_k, "d_v": p["w_v"].shape[2], "n_heads": n_heads},
        "seed": state.seed,
        "view": {**asdict(view), "layout": list(view.layout)},
        "params": {name: p[name].tolist() for name in PARAM_NAMES},
    }
    return (_encode(encoded, "") + "\n").encode("utf-8")


def _encode(value: object, indent: str) -> str:
    """Readable JSON: one field per line, each innermost row of numbers (or flat object) on one line."""
    inner = indent + "  "
    if isinstance(value, dict) and any(isinstance(item, (dict, list)) for item in value.values()):
        items = (f"{inner}{json.dumps(key)}: {_encode(item, inner)}" for key, item in value.items())
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and all(isinstance(item, list) for item in value):
        return "[\n" + ",\n".join(inner + _encode(item, inner) for item in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


# ---------------------------------------------------------------------------- counting
def _most_lists_and_numbers() -> tuple[int, int]:
    """Lists and numbers in ``params`` of the largest session the model allows."""
    shapes = limits.param_shapes(
        limits.MAX_TOKENS,
        limits.MAX_TOKENS,
        limits.MAX_D_MODEL,
        limits.MAX_D_K,
        limits.MAX_D_K,
        limits.MAX_HEADS,
    )
    lists = sum(sum(math.prod(shape[:k]) for k in range(len(shape))) for shape in shapes.values())
    return lists, sum(math.prod(shape) for shape in shapes.values())


_PARAM_LISTS, _PARAM_NUMBERS = _most_lists_and_numbers()
# A few more for the other fields: the objects, the token lists, the view's layout.
MAX_CONTAINERS = _PARAM_LISTS + 100
MAX_STRINGS = 2 * limits.MAX_TOKENS + 1000  # the tokens, the field names and a few values
MAX_VALUES = _PARAM_NUMBERS + MAX_CONTAINERS + MAX_STRINGS
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
# 64 lists or objects opened in a row (a session nests 4 deep), looked for near the start.
_DEEP = re.compile(rb'(?:[\[{]\s*(?:"[^"\\]*"\s*:\s*)?){64}')
_DEEP_WITHIN = 1 << 20
_NOT_COUNTED = bytes(sorted(set(range(256)) - set(b'"[{,')))


def count_problem(data: bytes) -> str | None:
    """What makes ``data`` too big a structure for any session, judged before it is parsed, or None.

    Parsing builds a Python object per list, string and number: 127 MB of
    ``[],[],…`` would take gigabytes before any field could be checked. So
    the lists and objects, strings and values are counted first (at C speed,
    on the bytes) against the most the largest session holds.
    """
    escaped = data.count(b'\\"') if b"\\" in data else 0  # escaped quotes belong inside strings
    marks = data.translate(None, _NOT_COUNTED)  # one pass over the data, then short counts
    strings = (marks.count(b'"') - escaped) // 2
    containers, values = marks.count(b"[") + marks.count(b"{"), marks.count(b",") + 1
    if strings <= MAX_STRINGS and containers <= MAX_CONTAINERS and values <= MAX_VALUES:
        return None
    if _DEEP.search(data, 0, _DEEP_WITHIN):
        return _("lists or objects are nested too deeply")
    if strings > MAX_STRINGS:
        return _("it holds {count} strings; a session holds at most {most}").format(
            count=f"{strings:,}", most=f"{MAX_STRINGS:,}"
        )
    outside = _STRING.sub(b'""', data)  # few strings (counted above): quick; brackets in them don't count
    containers, values = outside.count(b"[") + outside.count(b"{"), outside.count(b",") + 1
    if containers > MAX_CONTAINERS:
        return _("it holds {count} lists and objects; a session holds at most {most}").format(
            count=f"{containers:,}", most=f"{MAX_CONTAINERS:,}"
        )
    if values > MAX_VALUES:
        return _("it holds {count} values; a session holds at most {most}").format(
            count=f"{values:,}", most=f"{MAX_VALUES:,}"
        )
    return None


# ---------------------------------------------------------------------------- reading
def decode_session(document: object) -> tuple[Document, ViewSettings]:
    """Build the document (model and source) and view settings from a decoded JSON document.

    Raises
    ------
    FieldProblem
        For a structural problem, naming the field.
    ValueError
        The model's own message for anything beyond its limits.
    """
    doc = _check_header(document)
    source = decode_source(doc["source"]) if "source" in doc else decode_preset_name(doc["preset"])
    queries = _tokens("query_tokens", doc["query_tokens"])
    keys = None if doc["key_tokens"] is None else _tokens("key_tokens", doc["key_tokens"])
    for name in ("causal", "scale"):
        if not isinstance(doc[name], bool):
            raise FieldProblem(name, _("true or false"), doc[name])
    sizes = _object("sizes", doc["sizes"], SIZE_NAMES, doc["version"])
    for name in (*SIZE_NAMES, "seed"):
        # Types here; ranges are the model's (check_size, and the seed check in AttentionModel).
        where, value = (name, doc[name]) if name == "seed" else (f"sizes.{name}", sizes[name])
        if type(value) is not int:
            raise FieldProblem(where, _("a whole number"), value)
    d_model = limits.check_size("d_model", sizes["d_model"], limits.MAX_D_MODEL)
    d_k = limits.check_size("d_k", sizes["d_k"], limits.MAX_D_K)
    d_v = limits.check_size("d_v", sizes["d_v"], limits.MAX_D_K)
    n_heads = limits.check_size("n_heads", sizes["n_heads"], limits.MAX_HEADS)
    shapes = limits.param_shapes(
        len(queries), len(queries if keys is None else keys), d_model, d_k, d_v, n_heads
    )
    raw = _object("params", doc["params"], PARAM_NAMES, doc["version"])
    params = {name: _array(name, raw[name], shape) for name, shape in shapes.items()}
    # The model checks tokens, the seed, the causal option and every value, with its own messages.
    state = ModelState(queries, keys, doc["causal"], doc["scale"], params, doc["seed"])
    model = AttentionModel.from_state(state)
    view_fields = _object("view", doc["view"], ())
    view = check_view(view_fields, n_heads, len(queries), shapes["x_kv"][0])
    return Document(model, source), view


def _check_header(document: object) -> Mapping[str, Any]:
    if not isinstance(document, dict):
        raise FieldProblem("", _("a JSON object at the top level"), document)
    found = document.get("format", MISSING)
    if found == PRESET_FORMAT:
        raise FieldProblem("format", "", text=_("this is a preset file, not a session; open it as a preset"))
    if found != FORMAT:
        raise FieldProblem("format", repr(FORMAT), found)
    version = document.get("version", MISSING)
    supported = ", ".join(map(str, SUPPORTED_VERSIONS))
    if type(version) is int and version > max(SUPPORTED_VERSIONS):
        text = _("{version} is newer than this app reads (supported versions: {supported})").format(
            version=version, supported=supported
        )
        raise FieldProblem("version", "", text=text)
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        raise FieldProblem(
            "version", _("a supported version ({supported})").format(supported=supported), version
        )
    return _object("", document, FIELDS_BY_VERSION[version], version)


def _object(field: str, value: object, names: tuple[str, ...], version: int = VERSION) -> Mapping[str, Any]:
    """``value`` as a JSON object with exactly ``names`` (any fields when ``names`` is empty)."""
    if not isinstance(value, dict):
        raise FieldProblem(field, _("a JSON object"), value)
    if names:
        check_fields(f"{field}." if field else "", value, names, version)
    return value


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _tokens(field: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        expected = _("a list of tokens or null") if field == "key_tokens" else _("a list of tokens")
        raise FieldProblem(field, expected, value)
    for index, token in enumerate(value):
        # Type first, so the model never has to repr a nested structure in its message.
        if not isinstance(token, str):
            raise FieldProblem(f"{field}[{index}]", _("a string"), token)
        if not _utf8(token):
            raise FieldProblem(f"{field}[{index}]", _("text (a lone surrogate escape is not)"), token)
    return limits.check_tokens(value, field)


_NUMBERS = (float, int)
_ONLY_FLOATS = {float}


def _array(name: str, value: object, shape: tuple[int, ...]) -> np.ndarray:
    """A nested list of numbers of exactly ``shape`` as float64; errors name the cell.

    A :class:`~.numbers.NumberText` (an array read in bulk) is checked by its reader,
    which raises :class:`~.numbers.Unread` for anything this function would refuse.
    """
    if isinstance(value, NumberText):
        return value.array(shape)
    field = f"params.{name}"
    found = _nominal_shape(value, len(shape))
    if found is None:
        expected = _("a nested list of numbers of shape {shape} {legend}").format(
            shape=shape, legend=LEGENDS[name]
        )
        raise FieldProblem(field, expected, value)
    if found != shape:
        text = _("expected shape {shape} {legend}, got shape {found}").format(
            shape=shape, legend=LEGENDS[name], found=found
        )
        raise FieldProblem(field, "", text=text)
    width = shape[-1]
    for index, row in _rows(field, value, shape, ()):
        if not isinstance(row, list) or len(row) != width:
            raise FieldProblem(
                f"{field}{list(index)}", _("a list of {count} numbers").format(count=width), row
            )
        if set(map(type, row)) == _ONLY_FLOATS:  # the common row, checked in C (4.3 M numbers at most)
            continue
        for column, number in enumerate(row):
            if type(number) not in _NUMBERS:
                raise FieldProblem(f"{field}{[*index, column]}", _("a number"), number)
            if type(number) is int and abs(number) > limits.MAX_ABS_VALUE:
                limits.check_value(name, number, str([*index, column]))
    return np.array(value, dtype=np.float64)


def _nominal_shape(value: object, ndim: int) -> tuple[int, ...] | None:
    """The shape the first elements suggest (one level deeper than ``ndim`` at most)."""
    dims: list[int] = []
    while isinstance(value, list) and len(dims) <= ndim:
        dims.append(len(value))
        if not value:
            break
        value = value[0]
    return tuple(dims) if dims else None


def _rows(
    field: str, value: object, shape: tuple[int, ...], index: tuple[int, ...]
) -> Iterator[tuple[tuple[int, ...], object]]:
    """Every innermost row of a nested list, with its index; outer levels must match ``shape``."""
    level = len(index)
    if level == len(shape) - 1:
        yield index, value
        return
    if not isinstance(value, list) or len(value) != shape[level]:
        raise FieldProblem(
            f"{field}{list(index)}", _("a list of {count} lists").format(count=shape[level]), value
        )
    for position, item in enumerate(value):
        yield from _rows(field, item, shape, (*index, position))
