"""The classic presets: hand-built JSON files, package data in ``explainer/resources/presets``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import shown
from ..i18n import N_, _
from .jsonfile import read_json
from .limits import PARAM_NAMES
from .state import ModelState, checked_state, make_params

PRESET_FORMAT = "attention-explainer-preset"
PRESET_VERSION = 1
# Read through importlib.resources, so an installed wheel (or a zip) finds them too.
PRESET_DIR: Traversable = files("explainer.resources") / "presets"
DEFAULT_PRESET = "seed-translate"


class PresetError(ValueError):
    """A preset file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Lesson:
    """What a preset teaches, as the app shows it on the first step and in exports.

    ``worked_query`` is the query token the walkthrough works through key by key
    (the lecture's "hate"); None lets the walkthrough choose.
    """

    title: str
    description: str
    worked_query: str | None = None

    @property
    def shown_title(self) -> str:
        """The title in the language in use (the shipped presets' are in explainer.model.lesson_texts)."""
        return _(self.title)

    @property
    def shown_description(self) -> str:
        """The description in the language in use."""
        return _(self.description)


def preset_names() -> list[str]:
    """Names of the shipped presets, default first."""
    names = sorted(
        entry.name.removesuffix(".json") for entry in PRESET_DIR.iterdir() if entry.name.endswith(".json")
    )
    return sorted(names, key=lambda name: name != DEFAULT_PRESET)


def preset_path(name_or_path: str | Path) -> Path | Traversable:
    """Resolve a shipped preset's name, or a file path (a ``Path``, or text ending in .json).

    A shipped name always means the shipped preset: a file or folder of that name
    in the working folder does not hide it. Unknown names list the known ones.
    """
    if isinstance(name_or_path, str) and name_or_path in preset_names():
        return PRESET_DIR / f"{name_or_path}.json"
    if isinstance(name_or_path, Path) or name_or_path.endswith(".json"):
        return Path(name_or_path)
    raise PresetError(
        _("unknown preset {name}; expected one of {names}").format(
            name=repr(name_or_path), names=", ".join(preset_names())
        )
    )


def load_preset(name_or_path: str | Path) -> tuple[ModelState, str]:
    """Read a preset file into a :class:`ModelState` and its name."""
    path = preset_path(name_or_path)
    document = read_json(path, PresetError, path.name, expected=N_("a JSON preset"))
    return parse_preset(document, shown(path.name))


@cache
def preset_lesson(name: str) -> Lesson | None:
    """The title, description and worked query of a shipped preset (None for other names)."""
    if name not in preset_names():
        return None
    document = read_json(
        PRESET_DIR / f"{name}.json", PresetError, f"{name}.json", expected=N_("a JSON preset")
    )
    state, _name = parse_preset(document, f"{name}.json")
    title, description = document.get("title"), document.get("description")
    worked = document.get("worked_query")
    if not isinstance(title, str) or not isinstance(description, str):
        raise PresetError(
            _("{file}: fields 'title' and 'description': expected text").format(file=f"{name}.json")
        )
    if worked is not None and worked not in state.query_tokens:
        raise PresetError(
            _("{file}: field 'worked_query': expected one of the query tokens, got {worked}").format(
                file=f"{name}.json", worked=repr(worked)
            )
        )
    return Lesson(title, description, worked)


def parse_preset(document: Any, source: str) -> tuple[ModelState, str]:
    """Validate a decoded preset document; errors say file, field and expectation."""

    def fail(field: str, expected: str, got: object) -> PresetError:
        """``expected``: a phrase marked with ``N_`` (looked up here), or a literal value."""
        message = _("{file}: field {field}: expected {expected}, got {got}").format(
            file=source, field=repr(field), expected=_(expected), got=repr(got)
        )
        return PresetError(message[:400])

    if not isinstance(document, dict):
        raise fail("(top level)", N_("a JSON object"), type(document).__name__)
    if document.get("format") != PRESET_FORMAT:
        raise fail("format", repr(PRESET_FORMAT), document.get("format"))
    if document.get("version") != PRESET_VERSION:
        raise fail("version", str(PRESET_VERSION), document.get("version"))
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise fail("name", N_("a non-empty string"), name)
    queries, keys = document.get("query_tokens"), document.get("key_tokens")
    if not isinstance(queries, list):
        raise fail("query_tokens", N_("a list of strings"), queries)
    if keys is not None and not isinstance(keys, list):
        raise fail("key_tokens", N_("a list of strings or null"), keys)
    for field in ("causal", "scale"):
        if not isinstance(document.get(field), bool):
            raise fail(field, N_("true or false"), document.get(field))
    raw = document.get("params")
    if not isinstance(raw, dict):
        raise fail("params", N_("an object of arrays"), raw)
    if keys is None and "x_kv" not in raw and "x_q" in raw:
        raw = {**raw, "x_kv": raw["x_q"]}
    values = {}
    for param in PARAM_NAMES:
        if param not in raw:
            raise fail(f"params.{param}", N_("an array"), "nothing")
        try:
            given = np.asarray(raw[param])
            if given.dtype.kind not in "iuf":
                raise TypeError(f"{given.dtype} values")
            values[param] = np.array(given, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise fail(f"params.{param}", N_("a rectangular array of numbers"), raw[param]) from None
    state = ModelState(
        # As given: the model's token check refuses a non-string by its position.
        tuple(queries),
        None if keys is None else tuple(keys),
        document["causal"],
        document["scale"],
        make_params(values, keys is None),
    )
    # Validate shapes and values the same way the model validates any snapshot.
    try:
        return checked_state(state), name
    except ValueError as error:
        raise PresetError(f"{source}: {error}") from None
