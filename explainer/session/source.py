"""Where a session's numbers came from, as JSON: a preset, a checkpoint's layer, or null.

Version 2 sessions write ``"source"``; version 1 wrote only ``"preset"`` (a name or null).
"""

from __future__ import annotations

from typing import Any

from ..i18n import N_, _
from ..model import PresetSource, PretrainedSource, Source
from .errors import FieldProblem, check_fields, missing

# Version 1 wrote preset names of at most 200 characters. Version 2 sets no length:
# a preset's name, a checkpoint's folder and a model's text are whatever the app
# accepted, and a session file's size is capped as a whole (MAX_SESSION_BYTES).
MAX_V1_PRESET_NAME = 200
PRESET_FIELDS = ("kind", "name")
PRETRAINED_FIELDS = ("kind", "checkpoint", "folder", "is_default", "layer", "n_layers", "text")


def encode_source(source: Source) -> dict[str, Any] | None:
    """The JSON object of ``source``; checked as :func:`decode_source` would check it."""
    if source is None:
        return None
    if isinstance(source, PresetSource):
        encoded: dict[str, Any] = {"kind": "preset", "name": source.name}
    else:
        encoded = {
            "kind": "pretrained",
            "checkpoint": source.checkpoint,
            "folder": source.folder,
            "is_default": source.is_default,
            "layer": source.layer,
            "n_layers": source.n_layers,
            "text": source.text,
        }
    decode_source(encoded)  # what load would refuse, save refuses
    return encoded


def decode_source(value: object) -> Source:
    """``"source"`` of a version 2 session; FieldProblem names the field that is wrong."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FieldProblem("source", _("null or a JSON object"), value)
    if "kind" not in value:
        raise missing("source.kind")
    kind = value["kind"]
    if kind == "preset":
        check_fields("source.", value, PRESET_FIELDS)
        return PresetSource(_text("source.name", value["name"]))
    if kind == "pretrained":
        check_fields("source.", value, PRETRAINED_FIELDS)
        n_layers = _whole("source.n_layers", value["n_layers"], 1)
        layer = _whole("source.layer", value["layer"], 0)
        if layer >= n_layers:
            expected = _("0 to {last} (n_layers is {count})").format(last=n_layers - 1, count=n_layers)
            raise FieldProblem("source.layer", expected, layer)
        if not isinstance(value["is_default"], bool):
            raise FieldProblem("source.is_default", _("true or false"), value["is_default"])
        return PretrainedSource(
            _text("source.checkpoint", value["checkpoint"]),
            _text("source.folder", value["folder"]),
            value["is_default"],
            layer,
            n_layers,
            _text("source.text", value["text"]),
        )
    raise FieldProblem("source.kind", _("'preset' or 'pretrained'"), kind)


def decode_preset_name(value: object) -> Source:
    """``"preset"`` of a version 1 session: a name or null."""
    if value is None:
        return None
    return PresetSource(_text("preset", value, MAX_V1_PRESET_NAME, N_("null or a preset name")))


def _text(field: str, value: object, limit: int | None = None, what: str = "") -> str:
    expected = _(what or N_("text"))
    if not isinstance(value, str) or not value or (limit is not None and len(value) > limit):
        if limit is not None:
            text = _("{expected} of 1 to {limit} characters").format(expected=expected, limit=limit)
        else:
            text = _("{expected} (not empty)").format(expected=expected)
        raise FieldProblem(field, text, value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        text = _("{expected} (a lone surrogate escape is not text)").format(expected=expected)
        raise FieldProblem(field, text, value) from None
    return value


def _whole(field: str, value: object, low: int) -> int:
    if type(value) is not int or value < low:
        raise FieldProblem(field, _("a whole number >= {low}").format(low=low), value)
    return value
