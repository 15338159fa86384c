"""Redo every caption's arithmetic from its printed numbers (see caption_parser for the reading).

``check_timeline(timeline)`` reads each step's caption with the parser for its
kind and granularity, fails loudly on a shape it does not know, and checks:
the printed result follows from the printed numbers (or ≈ is written and the
printed intermediates are consistent), every printed number rounds from the
trace's true value, and no "…" hides the largest entry or the step's own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal

import numpy as np
from caption_parser import NUM, agrees, check_digits, dec, fail, half, parse_list

from explainer.animation import Timeline
from explainer.model import Trace, masked_softmax

UNROUNDED = " (from the unrounded numbers)"
Check = Callable[["Checker", "int | None", "int | None", "int | None", str], None]
REGISTRY: dict[tuple[str, str], Check] = {}


def checks(kind: str, *scopes: str) -> Callable[[Check], Check]:
    """Register the check of ``kind`` steps of the given granularities."""

    def register(function: Check) -> Check:
        for scope in scopes:
            REGISTRY[kind, scope] = function
        return function

    return register


ROLES = {"q": "query, what it looks for", "k": "key, what it offers", "v": "value, what it passes on"}
LIST = r"(\[[^\[\]]*\])"
RESULT = rf"= ({NUM})(?: ≈ ({NUM}))?"


def full(pattern: str, text: str) -> re.Match[str]:
    match = re.fullmatch(pattern, text)
    if not match:
        raise fail(f"caption shape not understood (expected /{pattern}/)", text)
    return match


def close(a: Decimal, b: Decimal, tolerance: Decimal, text: str) -> None:
    if abs(a - b) > tolerance:
        raise fail(f"{a} and {b} differ by more than {tolerance}", text)


def check_result(
    gives: Decimal | float, first: str, second: str | None, true: float, text: str, bound: float
) -> None:
    """'= R' must follow from the printed numbers; '= P ≈ R': P follows, R is the true value near P."""
    final = second if second is not None else first
    check_digits(final, text)
    if not agrees(true, final):
        raise fail(f"{final} is not the true value {true!r}", text)
    if not agrees(gives, first):
        raise fail(f"the printed numbers give {gives}, not {first}", text)
    if second is not None:
        if "unrounded" not in text:
            raise fail("≈ without saying why", text)
        if agrees(gives, second):
            raise fail("≈ where = holds", text)
        close(dec(first), dec(second), Decimal(str(bound)) + half(first) + half(second), text)


def check_vector(text: str, true: np.ndarray, context: str) -> None:
    listing = parse_list(text, context)
    listing.check_against([float(x) for x in true], context)
    listing.check_largest_shown([abs(float(x)) for x in true], context)


class Checker:
    """Checks every caption of one trace; :meth:`finish` checks what spans several steps."""

    def __init__(self, trace: Trace):
        self.t = trace
        self.shares: dict[tuple[int, int, int], list[str]] = {}
        self.finished: list[tuple[int, int, str, str | None, str]] = []
        self.cell_rows: set[tuple[int, int]] = set()  # (head, query) rows walked key by key
        self.scale_example: dict[int, tuple[int, int]] = {}  # head → the cell the scale step quotes

    # ----------------------------------------------------------------- helpers
    def qn(self, i: int) -> str:
        return self.name(self.t.query_tokens, i)

    def kn(self, j: int) -> str:
        return self.name(self.t.key_tokens, j)

    @staticmethod
    def name(tokens: tuple[str, ...], i: int) -> str:
        sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
        return tokens[i] + str(i + 1).translate(sub) if tokens.count(tokens[i]) > 1 else tokens[i]

    def visible(self, i: int) -> list[int]:
        return [int(j) for j in np.flatnonzero(~self.t.mask[i])]

    def prefix(self, head: int | None, text: str) -> str:
        want = f"Head {head + 1}: " if head is not None and self.t.n_heads > 1 else ""
        if not text.startswith(want) or (not want and text.startswith("Head ") and text[5].isdigit()):
            raise fail(f"expected the prefix {want!r}", text)
        return text[len(want) :]

    def masked_words(self, i: int) -> str:
        """The words a caption uses for row i's masked keys ('' when none)."""
        keys = [int(j) for j in np.flatnonzero(self.t.mask[i])]
        if not keys:
            return ""
        if len(keys) > 3:
            return f"the {len(keys)} later keys are masked"
        quoted = [f"“{self.kn(j)}”" for j in keys]
        words = quoted[0] if len(keys) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        return f"{words} {'comes later and is' if len(keys) == 1 else 'come later and are'} masked"

    def one_of(
        self, cells: list[tuple[int, int]], make: Callable[[int, int], str], text: str
    ) -> tuple[int, int]:
        """The cell among ``cells`` (ties) whose wording ``make(i, j)`` the caption contains."""
        for i, j in cells:
            if make(i, j) in text:
                return i, j
        raise fail(f"none of {[make(i, j) for i, j in cells]} is named", text)

    def without_scaling(self, head: int, cell: tuple[int, int], printed: str | None, text: str) -> None:
        """The scale step's example cell says its weight without scaling (true value); no other does."""
        example = self.scale_example.get(head)
        sees_several = (~self.t.mask[cell[0]]).sum() >= 2
        if (printed is not None) != (self.t.scale and cell == example and sees_several):
            raise fail(f"'without the 1/√d_k scaling' belongs to the scale step's example {example}", text)
        if printed is not None:
            row = np.where(self.t.mask[cell[0]], -np.inf, self.t.scores[head, cell[0]])
            if not agrees(float(masked_softmax(row)[cell[1]]), printed):
                raise fail(f"{printed} is not the weight without scaling", text)

    def telling(self) -> np.ndarray:
        seen = ~self.t.mask
        several = seen & (seen.sum(axis=1, keepdims=True) >= 2)
        return several if several.any() else seen

    # ------------------------------------------------------------------ checks
    def check(self, kind: str, head: int | None, query: int | None, key: int | None, caption: str) -> None:
        if re.search(r"-\d|nan|inf(?!o)", caption) or "+ −" in caption:
            raise fail("ASCII minus, nan, inf or '+ −'", caption)
        text = self.prefix(head, caption)
        scope = "matrix" if query is None else "row" if key is None else "cell"
        import caption_cells  # noqa: F401  (registers the dot and softmax checks)
        import caption_weighted  # noqa: F401  (registers the weighted-sum checks)

        if (kind, scope) not in REGISTRY:
            raise fail(f"no check for a {scope} step of kind {kind}", caption)
        REGISTRY[kind, scope](self, head, query, key, text)

    def finish(self) -> None:
        """A finished head output stated after the last key: the printed shares add up to it."""
        unfinished = self.cell_rows - {(head, i) for head, i, *_ in self.finished}
        if unfinished:
            raise fail("rows walked key by key without their finished head output", str(sorted(unfinished)))
        for head, i, first, second, text in self.finished:
            check_vector(second or first, self.t.context[head, i], text)
            keys = self.visible(i)
            if self.t.d_v > 8 or not keys:
                continue  # a share's small components were left out of its caption
            missing = [j for j in keys if (head, i, j) not in self.shares]
            if missing:
                raise fail(f"shares of keys {missing} were never printed", text)
            added = [
                sum((dec(self.shares[head, i, j][d]) for j in keys), Decimal(0)) for d in range(self.t.d_v)
            ]
            total = parse_list(first, text)
            if second is None and not all(agrees(added[d], x) for d, x in total.shown.items()):
                raise fail(f"the printed shares add up to {added}, not {first}", text)
            if second is not None:
                if any(dec(x) != added[d] for d, x in total.shown.items()):
                    raise fail(f"the printed shares add up to {added}, not {first}", text)
                if all(agrees(added[d], x) for d, x in parse_list(second, text).shown.items()):
                    raise fail("≈ where = holds", text)
                for d, x in parse_list(second, text).shown.items():
                    close(added[d], dec(x), half(x) * (len(keys) + 1), text)


# ---------------------------------------------------------------------- stages


@checks("embed", "matrix")
def embed(c: Checker, head: int | None, query: int | None, key: int | None, text: str) -> None:
    quoted = r"“.+”(?: \(\d+ words\))?"
    words = {
        "cross": rf"Cross-attention: the decoder's words {quoted} ask \(queries\),"
        rf" the encoder's words {quoted} answer \(keys and values\)\.",
        "causal": rf"Causal self-attention, as in a decoder-only model: each word of {quoted}"
        r" looks at itself and the words before it\.",
        "self": rf"Self-attention: the words of {quoted} are queries, keys and values at once\.",
    }[c.t.mode]
    match = full(
        words + r" A query is what a word looks for, a key what a word offers, a value what it passes on\."
        rf" Each word is a row of X \(d_model = {c.t.d_model}\): x_{re.escape(c.qn(0))} = {LIST}\.",
        text,
    )
    check_vector(match.group(1), c.t.x_q[0], text)


@checks("project_q", "matrix")
@checks("project_k", "matrix")
@checks("project_v", "matrix")
def project(c: Checker, head: int | None, query: int | None, key: int | None, text: str) -> None:
    assert head is not None
    which = text[0].lower()
    source = "X" if c.t.self_attention else ("X_q" if which == "q" else "X_kv")
    side = "" if c.t.self_attention else ("decoder " if which == "q" else "encoder ")
    name = c.qn(0) if which == "q" else c.kn(0)
    letter = which.upper()
    match = full(
        rf"{letter} = {source} · W_{letter}(?: \+ b_{letter})?: each {side}word's row of {source}"
        rf" times W_{letter} gives its {ROLES[which]}: {which}_{re.escape(name)} = {LIST}\."
        r"(?: \(Texts with column vectors write q = W_Q · x: the same, transposed\.\))?",
        text,
    )
    check_vector(match.group(1), getattr(c.t, which)[head, 0], text)


@checks("scale", "matrix")
def scale(c: Checker, head: int | None, query: int | None, key: int | None, text: str) -> None:
    assert head is not None
    t = c.t
    match = full(
        rf"Scale: divide every score by √d_k = √{t.d_k} = ({NUM})\."
        r" Dot products grow with d_k, and large scores push softmax towards one-hot"
        r" \(all the weight on one key\):"
        rf" score\((.+)\) = ({NUM}) → ({NUM}) / ({NUM}) {RESULT}(?:{re.escape(UNROUNDED)})?"
        r"; every gap between two scores shrinks by the same factor\.",
        text,
    )
    root, _cell, score, again, root_again, first, second = match.groups()
    if (again, root_again) != (score, root):
        raise fail("the division does not repeat the score and √d_k", text)
    check_digits(root, text)
    if not agrees(math.sqrt(t.d_k), root):
        raise fail(f"√{t.d_k} is not {root}", text)
    scores = np.where(c.telling(), t.scores[head], -np.inf)
    top = [(int(i), int(j)) for i, j in np.argwhere(scores == scores.max())]
    i, j = c.one_of(top, lambda i, j: f"score({c.qn(i)}, {c.kn(j)}) = {score} →", text)
    check_digits(score, text)
    if not agrees(float(t.scores[head, i, j]), score):
        raise fail("the score is not the true score", text)
    bound = float(half(score) / dec(root) + abs(dec(score)) * half(root) / dec(root) ** 2)
    check_result(dec(score) / dec(root), first, second, float(t.scaled[head, i, j]), text, bound)
    c.scale_example[head] = (i, j)  # its softmax says what the scaling changed


@checks("mask", "matrix")
def mask(c: Checker, head: int | None, query: int | None, key: int | None, text: str) -> None:
    full(
        r"Causal mask: when a decoder generates text, the later words do not exist yet,"
        r" so a word may look only at itself and the words before it:"
        rf" the {int(c.t.mask.sum())} cells where the key comes after the query become −∞,"
        r" and softmax gives them weight 0\.",
        text,
    )
    if not c.t.causal:
        raise fail("a mask step without a causal mask", text)


@checks("concat_heads", "matrix")
def concat(c: Checker, head: int | None, query: int | None, key: int | None, text: str) -> None:
    t = c.t
    match = full(
        rf"Concatenate the {t.n_heads} heads' head outputs side by side:"
        rf" {len(t.query_tokens)} × {t.n_heads * t.d_v}"
        rf" \({t.n_heads} × d_v = {t.d_v} numbers per word\); “{re.escape(c.qn(0))}” → {LIST}\.",
        text,
    )
    check_vector(match.group(1), t.concat[0], text)


@checks("output_projection", "matrix")
def output(c: Checker, head: int | None, query: int | None, key: int | None, text: str) -> None:
    t = c.t
    match = full(
        r"Output = concat · W_O(?: \+ b_O)?: W_O mixes the heads and brings each word back to"
        rf" d_model = {t.d_model}; output of “{re.escape(c.qn(0))}” = {LIST}\.",
        text,
    )
    check_vector(match.group(1), t.output[0], text)


def check_timeline(timeline: Timeline) -> int:
    """Check every caption of ``timeline``; return how many were checked."""
    checker = Checker(timeline.trace)
    for step in timeline.steps:
        checker.check(str(step.kind), step.head, step.query, step.key, step.caption)
    checker.finish()
    return len(timeline.steps)
