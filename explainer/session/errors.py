"""SessionError and the wording of its messages: which file, which field, what was expected."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..i18n import _
from ..model.limits import PARAM_NAMES

MAX_MESSAGE = 300
MAX_GOT = 60

SIZE_NAMES = ("d_model", "d_k", "d_v", "n_heads")


class SessionError(Exception):
    """A session file that cannot be read or written; the message names the file and the field.

    ``load_session`` raises this, and only this, for any file it cannot use;
    ``save_session`` raises it when the file cannot be written (the existing
    file, if any, is then left as it was).
    """


class _Missing:
    def __repr__(self) -> str:
        return "nothing"


MISSING = _Missing()
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,40}")


class FieldProblem(Exception):
    """Internal: one field of a document is wrong; :meth:`message` adds the file name."""

    def __init__(self, field: str, expected: str, got: object = MISSING, *, text: str = "") -> None:
        super().__init__(field, expected, got)
        self.field, self.expected, self.got, self.text = field, expected, got, text

    def message(self, source: str) -> str:
        detail = self.text or _("expected {expected}, got {got}").format(
            expected=self.expected, got=describe(self.got)
        )
        if self.field:
            return clip(
                _("{source}: field {field}: {detail}").format(source=source, field=self.field, detail=detail)
            )
        return clip(f"{source}: {detail}")


def missing(field: str, version: int = 2) -> FieldProblem:
    """A required field that is not there."""
    return FieldProblem(
        field, "", text=_("missing; a version {version} session has this field").format(version=version)
    )


def unexpected(prefix: str, name: str, allowed: tuple[str, ...]) -> FieldProblem:
    """A field the format does not have; an odd name is quoted, so the message stays one clean line."""
    shown = name if _PLAIN_NAME.fullmatch(name) else clip(repr(name), MAX_GOT)
    return FieldProblem(
        prefix + shown, "", text=_("unexpected; allowed here: {names}").format(names=", ".join(allowed))
    )


def check_fields(prefix: str, value: Mapping[str, object], names: tuple[str, ...], version: int = 2) -> None:
    """``value`` has exactly the fields ``names``: the first missing or unexpected one is named."""
    for name in names:
        if name not in value:
            raise missing(prefix + name, version)
    for name in value:
        if name not in names:
            raise unexpected(prefix, name, names)


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(value: object) -> str:
    """A short description of a decoded JSON value in JSON's own words (null, true, a list of 3)."""
    if value is MISSING:
        return _("nothing")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _("the string {text}").format(text=clip(repr(value[: MAX_GOT + 1]), MAX_GOT))
    if isinstance(value, list):
        return _("a list of {count}").format(count=len(value))
    if isinstance(value, dict):
        if len(value) == 1:
            return _("an object with {count} field").format(count=1)
        return _("an object with {count} fields").format(count=len(value))
    if isinstance(value, int) and abs(value) > 10**15:
        return _("a {digits}-digit number").format(digits=len(str(abs(value))))
    return clip(repr(value), MAX_GOT)


_LEADING_NAME = re.compile(r"[A-Za-z_]+")


def model_message(source: str, error: ValueError) -> str:
    """The model's own message for ``error``, prefixed with the file and the JSON field.

    The model names what it refuses first (``w_q[0, 1, 2]: …``, ``d_model: …``),
    so the field is that name placed where it lives in the document.
    """
    text = str(error)
    match = _LEADING_NAME.match(text)
    name = match[0] if match else ""
    if name in PARAM_NAMES:
        return clip(f"{source}: field params.{text}")
    if name in SIZE_NAMES:
        return clip(f"{source}: field sizes.{text}")
    if name in ("query_tokens", "key_tokens", "seed"):
        return clip(f"{source}: field {text}")
    if text.startswith("causal attention"):
        return clip(f"{source}: field causal: {text}")
    return clip(f"{source}: {text}")
