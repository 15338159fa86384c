"""Read the numbers a caption prints, the way a student would: lists, sums, products, gap markers.

Written independently of explainer.animation.captions: the tests redo the
caption's arithmetic from what it prints. Every parser fails loudly (an
AssertionError naming the text) on a shape it does not know, so a caption
that changes shape cannot pass unread.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

NUM = r"−?\d+\.\d+"
GAP = r"… (\d+) more, (?:(?:each )?(≤|α ≤|within ±) ?(" + NUM + r")|together (" + NUM + r")) …"
ITEM = re.compile(rf"({NUM})|{GAP}")
SLACK = Decimal("1e-12")  # for values computed in floating point (e^x)


class CaptionError(AssertionError):
    pass


def fail(message: str, text: str) -> CaptionError:
    return CaptionError(f"{message}: {text!r}")


def dec(text: str) -> Decimal:
    return Decimal(text.replace("−", "-"))


def digits(text: str) -> int:
    return len(text.split(".", 1)[1])


def half(text: str) -> Decimal:
    return Decimal(5).scaleb(-digits(text) - 1)


def agrees(exact: Decimal | float, printed: str, slack: Decimal = SLACK) -> bool:
    """``exact`` rounds to ``printed`` (a tie either way)."""
    return abs(Decimal(exact) - dec(printed)) <= half(printed) + slack


def check_digits(printed: str, context: str) -> None:
    """Two decimals, or three where two would not add up: never more."""
    if digits(printed) not in (2, 3):
        raise fail(f"{printed} has {digits(printed)} decimals", context)


@dataclass
class Gap:
    """A marker for left-out entries: their indices and what the marker promises about them."""

    indices: list[int]
    relation: str  # "≤", "α ≤", "within ±" or "together"
    bound: str


@dataclass
class Listing:
    """A printed list or sum: the written entries by index, and the gaps."""

    shown: dict[int, str]
    gaps: list[Gap]
    n: int

    def check_against(self, true: list[float], context: str) -> None:
        """Every written entry rounds from the true value; every gap's promise holds."""
        if self.n != len(true):
            raise fail(f"{self.n} entries for {len(true)} values", context)
        for i, printed in self.shown.items():
            check_digits(printed, context)
            if not agrees(true[i], printed):
                raise fail(f"entry {i} is {printed}, the true value is {true[i]!r}", context)
        for gap in self.gaps:
            left_out = [true[i] for i in gap.indices]
            bound = float(dec(gap.bound))
            if gap.relation in ("≤", "α ≤") and max(left_out) > bound + 1e-12:
                raise fail(f"a left-out entry is above {gap.bound}", context)
            if gap.relation == "within ±" and max(abs(x) for x in left_out) > bound + 1e-12:
                raise fail(f"a left-out entry is beyond ±{gap.bound}", context)

    def check_largest_shown(self, ranking: list[float], context: str, keep: int | None = None) -> None:
        """No '…' hides the largest entry (ties: one of them), nor the step's own entry ``keep``."""
        if not ranking:
            return
        top = max(ranking)
        if not any(ranking[i] == top for i in self.shown):
            raise fail("'…' hides the largest entry", context)
        if keep is not None and keep not in self.shown:
            raise fail(f"'…' hides the step's own entry {keep}", context)
        if self.n <= 8 and self.gaps:
            raise fail("entries left out of a list of at most 8", context)


def parse_items(body: str, separator: str, context: str) -> Listing:
    """Entries separated by ``separator``: numbers and gap markers, consumed exactly."""
    shown: dict[int, str] = {}
    gaps: list[Gap] = []
    index = 0
    parts = split_items(body, separator, context)
    for part in parts:
        match = ITEM.fullmatch(part)
        if not match:
            raise fail(f"not a number or a gap marker: {part!r}", context)
        number, count, relation, bound, together = match.groups()
        if number is not None:
            shown[index] = number
            index += 1
        else:
            indices = list(range(index, index + int(count)))
            gaps.append(Gap(indices, relation or "together", bound or together))
            index += int(count)
    return Listing(shown, gaps, index)


def split_items(body: str, separator: str, context: str) -> list[str]:
    """Split on ``separator`` outside gap markers (a marker may contain ', ')."""
    parts: list[str] = []
    rest = body
    while rest:
        if rest.startswith("…"):
            end = rest.find(" …", 1)
            if end < 0:
                raise fail("an unclosed gap marker", context)
            parts.append(rest[: end + 2])
            rest = rest[end + 2 :]
        else:
            cut = rest.find(separator)
            parts.append(rest if cut < 0 else rest[:cut])
            rest = "" if cut < 0 else rest[cut:]
        if rest:
            if not rest.startswith(separator):
                raise fail(f"expected {separator!r} at {rest[:20]!r}", context)
            rest = rest[len(separator) :]
            if not rest:
                raise fail("a list ends with a separator", context)
    return parts


def parse_list(text: str, context: str) -> Listing:
    """'[0.08, … 3 more, each ≤ 0.01 …, 0.77]'."""
    if not (text.startswith("[") and text.endswith("]")):
        raise fail(f"not a list: {text!r}", context)
    return parse_items(text[1:-1], ", ", context)


def parse_sum(text: str, context: str) -> Listing:
    """'0.79 + 0.76 + … 5 more, together 1.55 … + 7.77' (all terms positive)."""
    return parse_items(text, " + ", context)


def exact_sum(listing: Listing) -> Decimal:
    """What a student gets adding the printed terms (a gap counts with its printed total)."""
    total = sum((dec(x) for x in listing.shown.values()), Decimal(0))
    for gap in listing.gaps:
        if gap.relation != "together":
            raise fail("a sum needs the total of what it leaves out", str(gap))
        total += dec(gap.bound)
    return total


PRODUCT = re.compile(r"(−?)(\d+\.\d+)×(\(−\d+\.\d+\)|\d+\.\d+)")


def parse_products(text: str, context: str) -> tuple[list[tuple[int, str, str]], list[Gap], int]:
    """'−0.16×1.26 + 0.59×(−0.61) − … ': (index, a, b) per product, the gaps, and the count."""
    terms: list[tuple[int, str, str]] = []
    gaps: list[Gap] = []
    index = 0
    rest = text
    first = True
    while rest:
        sign = ""
        if not first:
            if rest.startswith(" + "):
                rest = rest[3:]
            elif rest.startswith(" − "):
                sign, rest = "−", rest[3:]
            else:
                raise fail(f"expected ' + ' or ' − ' at {rest[:20]!r}", context)
        first = False
        gap = re.match(GAP, rest)
        if gap and not sign:
            count, _relation, _bound, together = gap.groups()
            if together is None:
                raise fail("a left-out run of products must say its total", context)
            gaps.append(Gap(list(range(index, index + int(count))), "together", together))
            index += int(count)
            rest = rest[gap.end() :]
            continue
        match = PRODUCT.match(rest)
        if not match:
            raise fail(f"not a product at {rest[:20]!r}", context)
        lead, a, b = match.groups()
        if lead and sign:
            raise fail("a double minus", context)
        terms.append((index, ("−" if lead or sign else "") + a, b.strip("()")))
        index += 1
        rest = rest[match.end() :]
    return terms, gaps, index


def e_power(power: str, shift: str | None) -> float:
    """e^(printed power − printed shift), as a calculator gives it."""
    return math.exp(float(dec(power) - (dec(shift) if shift else Decimal(0))))
