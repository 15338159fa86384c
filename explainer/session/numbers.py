"""A session's large number arrays read in bulk: the same JSON and the same checks, parsed faster.

``json.loads`` makes a Python float and a list slot for every number: 4.3 million
in the largest session (0.7 s), and ``_array`` then walks them and copies them
into NumPy. Here each large array that is the value of an object's member is cut
out of the text before parsing, and a placeholder string is put in its place.
The rest, a few kilobytes, is parsed as before; each cut array is read straight
into float64 once :func:`~.document.decode_session` asks for it with its shape.

An array is read in bulk only when its text is strict JSON, nested lists of
exactly that shape holding numbers that ``json.loads`` and ``np.array`` would
make the same float64 of, bit for bit (both convert with CPython's
``PyOS_string_to_double``), all within the model's limit. For anything else
(another shape, a character JSON refuses, an integer ``-0``, which JSON reads
as 0 and not -0.0, a value the model refuses) :class:`Unread` is raised and the
caller reads the whole file as before, which finds the problem and words it as
it always has. Bulk reading only ever speeds up a file that reads as a session.
"""

from __future__ import annotations

import math

import numpy as np

from ..model.limits import MAX_ABS_VALUE

__all__ = ["NumberText", "Unread", "cut_arrays", "put_back"]

# Smaller arrays parse quickly enough as they are (a few NumPy calls cost ~0.1 ms each).
SMALLEST = 4096
CHUNK = 1 << 20
JSON_SPACE = b" \t\n\r"
NUMBER_CHARACTERS = b"0123456789+-.eE"
# JSON reads "\u0000" as a zero character; no other text makes one (a zero byte is refused),
# so with no "\u0000" in the file, a string starting with one is a placeholder.
PLACEHOLDER_ESCAPE = b"\\u0000"
PLACEHOLDER = "\x00"


class Unread(Exception):
    """Not read in bulk: the caller reads the whole file the careful way."""


class NumberText:
    """The text of one JSON array of numbers cut out of a session: ``[`` to its ``]``."""

    def __init__(self, text: bytes) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"NumberText({len(self.text)} bytes)"

    def array(self, shape: tuple[int, ...]) -> np.ndarray:
        """The float64 array of ``shape`` the text holds, as ``np.array(json.loads(text))`` would be.

        Raises :class:`Unread` for a text that is not strict JSON of that
        shape, or holds a number the careful reading would treat otherwise.
        """
        packed = self.text.translate(None, JSON_SPACE)
        if packed.translate(None, NUMBER_CHARACTERS) != _brackets_and_commas(shape):
            raise Unread
        if not _strict_numbers(packed):
            raise Unread
        try:
            values = _converted(self.text)
        except ValueError:  # "1.2.3", "1e5e5", "1 2": converted only in part
            raise Unread from None
        # NaN fails the comparison too; an overflow ("1e400") is infinite.
        if values.size != math.prod(shape) or not np.abs(values).max() <= MAX_ABS_VALUE:
            raise Unread
        return values.reshape(shape)


def _converted(text: bytes) -> np.ndarray:
    """The numbers of ``text`` in order, as float64; ValueError if one does not convert in full.

    Brackets and spaces become spaces: lines of comma-separated numbers. The
    spaces stay, so "1 2" is one field that fails to convert, not a 12. Each
    line is about :data:`CHUNK` long (``loadtxt`` holds ~8 bytes per character
    of a line), cut after a ``]``, which no number spans; the separators the
    cut leaves at a line's start are stripped (no slot is empty: checked before).
    """
    parts, start = [], 0
    while start < len(text):
        end = text.find(b"]", start + CHUNK) + 1 or len(text)
        line = text[start:end].translate(_ONE_LINE).decode("ascii").lstrip(" ,")
        if line.strip():
            parts.append(np.loadtxt([line], dtype=np.float64, delimiter=",", comments=None, ndmin=1))
        start = end
    return np.concatenate(parts)


def cut_arrays(data: bytes) -> tuple[bytes, list[NumberText]] | None:
    """``data`` with each array of numbers of :data:`SMALLEST` bytes or more put aside, or None if none is.

    Only a member's value is cut: after a string and a colon, from its ``[``
    to the last ``]`` before the next string, when only spaces, commas and
    ``}`` follow it. In its place goes the placeholder string ``"\\u0000<k>"``
    for the ``k``-th array, so the rest still parses as JSON.
    """
    if PLACEHOLDER_ESCAPE in data:
        return None
    parts: list[bytes] = []
    arrays: list[NumberText] = []
    inside, start = False, 0
    while start <= len(data):
        quote = data.find(b'"', start)
        end = len(data) if quote < 0 else quote
        if inside:
            piece = data[start:end]
            # A quote after an odd number of backslashes is escaped: the string goes on.
            if (len(piece) - len(piece.rstrip(b"\\"))) % 2 == 0:
                inside = False
        else:
            inside = True
            piece = _cut(data, start, end, arrays) if end - start >= SMALLEST else data[start:end]
        parts.append(piece)
        if quote < 0:
            break
        parts.append(b'"')
        start = quote + 1
    return (b"".join(parts), arrays) if arrays else None


def put_back(document: object, arrays: list[NumberText]) -> None:
    """Put the arrays :func:`cut_arrays` set aside back in ``document["params"]``.

    Raises :class:`Unread` unless every placeholder is a member of ``params``
    (anywhere else, the careful reading's message would name the field).
    """
    params = document.get("params") if isinstance(document, dict) else None
    if not isinstance(params, dict):
        raise Unread
    found = 0
    for name, value in params.items():
        if isinstance(value, str) and value.startswith(PLACEHOLDER):
            params[name] = arrays[int(value[1:])]
            found += 1
    if found != len(arrays):
        raise Unread


def _cut(data: bytes, start: int, end: int, arrays: list[NumberText]) -> bytes:
    """``data[start:end]`` (text between two strings), its array replaced by a placeholder if it has one."""
    first, last = data.find(b"[", start, end), data.rfind(b"]", start, end) + 1
    if first < 0 or last <= first:
        return data[start:end]
    head, tail = data[start:first], data[last:end]
    if head.strip(JSON_SPACE) != b":" or tail.translate(None, JSON_SPACE + b",}"):
        return data[start:end]
    arrays.append(NumberText(data[first:last]))
    return head + f'"\\u0000{len(arrays) - 1}"'.encode("ascii") + tail


def _brackets_and_commas(shape: tuple[int, ...]) -> bytes:
    """What nested lists of ``shape`` leave once their numbers and spaces are gone: ``[[,],[,]]`` …"""
    text = b"[" + b"," * (shape[-1] - 1) + b"]"
    for size in reversed(shape[:-1]):
        text = b"[" + b",".join([text] * size) + b"]"
    return text


# Character classes of the packed text (no spaces), for the rules below.
OPEN, CLOSE, COMMA, MINUS, PLUS, ZERO, DIGIT, DOT, EXP, OTHER = range(10)
_CLASS_OF = {ord("["): OPEN, ord("]"): CLOSE, ord(","): COMMA, ord("-"): MINUS, ord("+"): PLUS}
_CLASS_OF |= {ord("0"): ZERO, ord("."): DOT, ord("e"): EXP, ord("E"): EXP}
_CLASS_OF |= {code: DIGIT for code in b"123456789"}
_CLASSES = bytes(_CLASS_OF.get(code, OTHER) for code in range(256))
_ONE_LINE = bytes.maketrans(b"[]\t\n\r", b"     ")
# What may follow what in nested lists of JSON numbers, spaces left out.
_FOLLOWS = {
    OPEN: {OPEN, MINUS, ZERO, DIGIT},
    CLOSE: {CLOSE, COMMA},
    COMMA: {OPEN, MINUS, ZERO, DIGIT},
    MINUS: {ZERO, DIGIT},
    PLUS: {ZERO, DIGIT},
    ZERO: {CLOSE, COMMA, ZERO, DIGIT, DOT, EXP},
    DIGIT: {CLOSE, COMMA, ZERO, DIGIT, DOT, EXP},
    DOT: {ZERO, DIGIT},
    EXP: {MINUS, PLUS, ZERO, DIGIT},
    OTHER: set(),
}


def _refused_runs() -> np.ndarray:
    """For every run of 4 classes (4 bits each, the first highest): True when it breaks a rule.

    A pair that may not follow; a number starting with 0 and another digit (JSON
    has no leading zeros); the integer -0 (JSON reads it as 0, not as -0.0).
    """
    follows = np.zeros((16, 16), dtype=bool)
    for first, nexts in _FOLLOWS.items():
        follows[first, list(nexts)] = True
    code = np.arange(1 << 16)
    a, b, c, d = code >> 12, (code >> 8) & 15, (code >> 4) & 15, code & 15
    refused: np.ndarray = ~(follows[a, b] & follows[b, c] & follows[c, d])
    starts, digit = np.isin(a, (OPEN, COMMA)), np.isin(c, (ZERO, DIGIT))
    refused |= starts & (b == ZERO) & digit
    refused |= starts & (b == MINUS) & (c == ZERO) & np.isin(d, (ZERO, DIGIT, CLOSE, COMMA))
    return refused


_REFUSED = _refused_runs()


def _strict_numbers(packed: bytes) -> bool:
    """No run of 4 characters of ``packed`` is one :func:`_refused_runs` refuses.

    ``packed`` starts with ``[`` and ends with ``]`` (so a number never starts or
    ends it); more ``[`` in front make a shorter one 4 long. Two points or
    exponents in one number pass here: the conversion refuses them.
    """
    padded = packed if len(packed) >= 4 else b"[[[" + packed
    classes = np.frombuffer(padded.translate(_CLASSES), dtype=np.uint8)
    runs = classes[:-3].astype(np.uint16)
    for shift in (1, 2, 3):
        runs <<= 4
        runs += classes[shift : len(classes) - 3 + shift]
    return not _REFUSED[runs].any()
