"""How captions print numbers, and whether printed numbers give a printed result.

A caption's arithmetic must come out right when a student redoes it from the
numbers as printed. :func:`agrees` is that test: the exact value computed from
the printed (rounded) inputs, rounded to the printed result's digits, must be
the printed result. When two decimals are not enough, captions print three;
when three are not enough either, they write ≈ and say why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_CEILING, Decimal

import numpy as np

from explainer.i18n import N_, _

MINUS = "−"
LIMIT = 8  # a list or sum of up to LIMIT entries is written out in full
TOP = 4  # beyond LIMIT: the TOP largest entries (and the step's own) are written
DIGITS = (2, 3)  # two decimals, three only where two would not add up
# (decimals of the inputs, decimals of the result), tried in turn until the printed
# inputs give the printed result; after the last, the caption writes ≈.
TRIES = ((2, 2), (3, 2), (3, 3))
UNROUNDED = N_("(from the unrounded numbers)")  # looked up where it is written


def num(x: float | Decimal, digits: int = 2) -> str:
    """``digits`` decimals with a real minus sign; −∞ for masked scores; no negative zero."""
    if isinstance(x, float) and math.isinf(x):
        return f"{MINUS}∞" if x < 0 else "∞"
    text = f"{x:.{digits}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text.replace("-", MINUS)


def value(text: str) -> Decimal:
    """The exact number a printed string stands for (``"−0.16"`` → Decimal("-0.16"))."""
    return Decimal(text.strip("()").replace(MINUS, "-"))


def half_unit(text: str) -> Decimal:
    """Half a unit in the last printed digit: how far a rounded number may be from its value."""
    digits = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(5).scaleb(-digits - 1)


def agrees(exact: Decimal | float, printed: str) -> bool:
    """True when ``exact`` rounds to ``printed`` (a tie may round either way)."""
    return abs(Decimal(exact) - value(printed)) <= half_unit(printed)


def ceil_text(x: float, digits: int = 2) -> str:
    """``x`` rounded up to ``digits`` decimals: a bound that is never below ``x``."""
    return num(Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_CEILING), digits)


def factor(text: str) -> str:
    """A printed number as the right-hand factor of a product: negatives in parentheses."""
    return f"({text})" if text.startswith(MINUS) else text


def pick(ranking: Sequence[float] | np.ndarray, keep: Iterable[int] = ()) -> list[int]:
    """The entries a caption writes, in order: all up to LIMIT, else the TOP largest and ``keep``.

    A single entry between written ones is written too: its marker would be no shorter.
    """
    n = len(ranking)
    if n <= LIMIT:
        return list(range(n))
    top = np.argsort(-np.asarray(ranking, dtype=float), kind="stable")[:TOP]
    shown = {int(i) for i in top} | set(keep)
    shown |= {left_out[0] for _place, left_out in gaps(sorted(shown), n) if len(left_out) == 1}
    return sorted(shown)


def gaps(shown: Sequence[int], n: int) -> list[tuple[int, list[int]]]:
    """Where entries were left out: (position in ``shown`` before which, the indices left out)."""
    result = []
    previous = -1
    for place, index in enumerate([*shown, n]):
        if index > previous + 1:
            result.append((place, list(range(previous + 1, index))))
        previous = index
    return result


Gap = Callable[[list[int]], str]


def with_gaps(texts: dict[int, str], shown: Sequence[int], n: int, gap: Gap) -> list[str]:
    """The written entries in order, with ``gap(left_out)`` wherever some were left out."""
    parts = [texts[i] for i in shown]
    for place, left_out in reversed(gaps(shown, n)):
        parts.insert(place, gap(left_out))
    return parts


def more(count: int, total: str) -> str:
    """The marker for left-out terms of a sum: '… 58 more, together −0.12 …'."""
    return _("… {count} more, together {total} …").format(count=count, total=total)


def bounded_gap(values: Sequence[float] | np.ndarray, digits: int = 2) -> Gap:
    """Gap markers for entries left out because they are smaller: '… 3 more, each ≤ 0.01 …'."""

    def gap(left_out: list[int]) -> str:
        bound = ceil_text(float(np.asarray(values, dtype=float)[left_out].max()), digits)
        text = (
            _("… {count} more, each ≤ {bound} …") if len(left_out) > 1 else _("… {count} more, ≤ {bound} …")
        )
        return text.format(count=len(left_out), bound=bound)

    return gap


def vec(values: Sequence[float] | np.ndarray, digits: int = 2, shown: Sequence[int] | None = None) -> str:
    """A vector written out: every entry up to LIMIT, else the largest (by size) and gap markers.

    ``shown`` chooses the entries instead (to write two vectors at the same places).
    """
    array = np.asarray(values, dtype=float)
    shown = pick(np.abs(array)) if shown is None else shown

    def gap(left_out: list[int]) -> str:
        bound = ceil_text(float(np.abs(array[left_out]).max()), digits)  # 1,000 left out: one pass
        if len(left_out) > 1:
            return _("… {count} more, each within ±{bound} …").format(count=len(left_out), bound=bound)
        return _("… {count} more, within ±{bound} …").format(count=len(left_out), bound=bound)

    texts = {i: num(float(array[i]), digits) for i in shown}
    return "[" + ", ".join(with_gaps(texts, shown, len(array), gap)) + "]"


def ranked(
    values: Sequence[float] | np.ndarray,
    keep: Iterable[int] = (),
    digits: int = 2,
    shown: Sequence[int] | None = None,
) -> str:
    """A row of scores or weights: every entry up to LIMIT, else the largest and ``keep``.

    ``shown`` chooses the entries instead (to write two rows at the same places).
    """
    array = np.asarray(values, dtype=float)
    shown = pick(array, keep) if shown is None else shown
    texts = {i: num(float(array[i]), digits) for i in shown}
    return "[" + ", ".join(with_gaps(texts, shown, len(array), bounded_gap(array, digits))) + "]"


def total(terms: Sequence[str]) -> Decimal:
    """The exact sum of printed numbers."""
    return sum((value(t) for t in terms), Decimal(0))


def fitting(exact: Decimal | float, true: float) -> str | None:
    """The true value to two decimals, or three, whichever the exact value rounds to first; else None."""
    for places in DIGITS:
        if agrees(exact, printed := num(true, places)):
            return printed
    return None


def result(printed_gives: str, true: str, ok: bool, why: str = UNROUNDED) -> str:
    """'= 0.77', or '= 0.76 ≈ 0.77 (from the unrounded numbers)' when the printed numbers give 0.76.

    ``why`` is an English text marked for the catalogue (looked up here), or ''.
    """
    return f"= {true}" if ok else f"= {printed_gives} ≈ {true}{' ' + _(why) if why else ''}"
