"""Read a session file's bytes and parse them as strict JSON, refusing anything unusable."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..atomic import shown
from ..i18n import N_, _
from ..model.jsonfile import NotAFile, TooLarge, read_regular, size_text, too_large_text
from .errors import SessionError, clip

__all__ = ["NotANumber", "parse_json", "read_bytes", "size_text"]


class NotANumber:
    """What the parser makes of NaN, Infinity and 1e400: never accepted where a number belongs.

    Keeping a marker (rather than failing in the parser) lets the field check
    name the field that holds it.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class _DuplicateKey(Exception):
    pass


# The number hooks below cost a Python call per number (4.3 million in the largest
# session: 0.9 s instead of 0.5 s to parse it). A float overflows only with an exponent
# of 309 or more (or 309 digits before its point, which the model refuses as ±∞ all the
# same), and an int past the digit limit makes json.loads fail: the hooks run only then.
_RISKY_EXPONENT = re.compile(r"[eE]\+?[0-9]{3}")


def _decode(text: str) -> object:
    try:
        return _loads(text, careful=_RISKY_EXPONENT.search(text) is not None)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an int past Python's digit limit: the hooks name it, field by field
        return _loads(text, careful=True)


def _loads(text: str, careful: bool) -> object:
    return json.loads(
        text,
        parse_constant=NotANumber,
        parse_float=_parse_float if careful else None,
        parse_int=_parse_int if careful else None,
        object_pairs_hook=_unique_keys,
    )


def _parse_int(text: str) -> int | NotANumber:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts: the field check names where it is
        return NotANumber(f"a {len(text.lstrip('-'))}-digit number")


def _parse_float(text: str) -> float | NotANumber:
    number = float(text)
    return number if abs(number) != float("inf") else NotANumber(f"{text[:20]} (beyond the float range)")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes; a folder, a special file or a file over ``limit`` bytes is refused unread.

    The file is opened first, without waiting, and checked through what was
    opened (see :func:`~explainer.model.jsonfile.read_regular`): a named pipe
    renamed onto ``path`` after any earlier look cannot hang the load.
    """
    name = shown(path.name or str(path))
    try:
        return read_regular(path, limit)
    except FileNotFoundError:
        raise SessionError(_("{name}: cannot open: no such file").format(name=name)) from None
    except NotAFile as error:
        if error.what == "a folder":
            raise SessionError(_("{name}: is a folder, not a session file").format(name=name)) from None
        raise SessionError(_("{name}: not a regular file, so not a session file").format(name=name)) from None
    except TooLarge as error:
        raise SessionError(f"{name}: {too_large_text(error, N_('a session file'))}") from None
    except (OSError, ValueError) as error:  # ValueError: a zero byte in the path
        raise SessionError(
            clip(_("{name}: cannot open: {reason}").format(name=name, reason=_reason(error)))
        ) from None


def parse_json(data: bytes, name: str) -> object:
    """Strict JSON from UTF-8 bytes: no NaN/Infinity as numbers, no repeated keys."""
    if not data.strip():
        raise SessionError(_("{name}: not a session file: the file is empty").format(name=name))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SessionError(
            _("{name}: not a session file: the text is UTF-16; a session file is UTF-8").format(name=name)
        )
    if b"\x00" in data:
        raise SessionError(
            _("{name}: not a session file: it holds binary data (a zero byte at offset {offset})").format(
                name=name, offset=data.index(0)
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SessionError(
            _("{name}: not a session file: not UTF-8 text (byte {byte} at offset {offset})").format(
                name=name, byte=f"0x{data[error.start]:02x}", offset=error.start
            )
        ) from None
    try:
        return _decode(text)
    except json.JSONDecodeError as error:
        # A string runs to the end of the text only when its closing quote is cut off.
        cut = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        if cut:
            text = _(
                "{name}: not a session file: invalid JSON at line {line}, column {column}: {reason} "
                "(the file ends too early: truncated?)"
            )
        else:
            text = _("{name}: not a session file: invalid JSON at line {line}, column {column}: {reason}")
        fields = {"name": name, "line": error.lineno, "column": error.colno, "reason": error.msg}
        raise SessionError(clip(text.format(**fields))) from None
    except _DuplicateKey as error:
        raise SessionError(
            clip(
                _("{name}: not a session file: the key {key} appears twice in one object").format(
                    name=name, key=repr(error.args[0])
                )
            )
        ) from None
    except RecursionError:
        raise SessionError(
            _("{name}: not a session file: lists or objects are nested too deeply").format(name=name)
        ) from None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        raise SessionError(
            clip(_("{name}: not a session file: {reason}").format(name=name, reason=error))
        ) from None


def _reason(error: BaseException) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error) or type(error).__name__
