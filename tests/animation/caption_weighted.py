"""Checks of the weighted-sum captions: one key's share, a finished head output, a row, the matrix."""

from __future__ import annotations

import re

import numpy as np
from caption_cells import NAME, names
from caption_checks import LIST, UNROUNDED, Checker, check_vector, checks, close, full
from caption_parser import GAP, NUM, agrees, check_digits, dec, fail, half, parse_list, split_items

E = re.escape


FINISHED = {
    "equal": rf"all (\d+) shares added: head output of “{NAME}” = {LIST}",
    "only": rf"that is the only share, so head output of “{NAME}” = {LIST}",
    "approx": rf"the (\d+) shares add up to {LIST} ≈ head output of “{NAME}” = {LIST}"
    r" \(from the unrounded shares\)",
}


def finished(c: Checker, head: int, i: int, j: int, ending: str | None, text: str) -> None:
    """The last key's caption states the finished head output; the others do not."""
    keys = c.visible(i)
    if (ending is not None) != (bool(keys) and j == keys[-1]):
        raise fail("the finished head output belongs to the last visible key's caption, and only there", text)
    if ending is None:
        return
    n = len(c.visible(i))
    for form, pattern in FINISHED.items():
        match = re.fullmatch(pattern, ending)
        if match:
            shape = form
            break
    else:
        raise fail("finished head output not understood", text)
    count, first, name, second = {
        "equal": lambda a, b, x: (int(a), x, b, None),
        "only": lambda b, x: (1, x, b, None),
        "approx": lambda a, x, b, y: (int(a), x, b, y),
    }[shape](*match.groups())
    if name != c.qn(i):
        raise fail(f"the finished head output is not {c.qn(i)}'s", text)
    if count != n or (shape == "only") != (n == 1):
        raise fail(f"the count of shares is not {n}", text)
    c.finished.append((head, i, first, second, text))


@checks("weighted_sum", "cell")
def weighted_cell(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None and i is not None and j is not None
    t, q, k = c.t, c.qn(i), c.kn(j)
    if t.mask[i, j]:
        match = full(
            rf"“{NAME}” is masked for “{NAME}” \(it comes later\):"
            rf" it adds nothing to the head output of “{NAME}”\.",
            text,
        )
        names(match, (k, q, q), text)
        return
    match = full(
        rf"head output of “{NAME}” \+= α\({NAME}, {NAME}\)·v_{NAME} = ({NUM}) × {LIST} = {LIST}"
        rf"(?: ≈ {LIST}{E(UNROUNDED)})?(?:; (.+)\.)?",
        text,
    )
    names(match, (q, q, k, k), text)
    c.cell_rows.add((head, i))
    a, v_text, first, second, ending = match.groups()[4:]
    alpha, v = float(t.weights[head, i, j]), t.v[head, j]
    check_digits(a, text)
    if not agrees(alpha, a):
        raise fail(f"{a} is not α", text)
    check_vector(v_text, v, text)
    values, gives = parse_list(v_text, text), parse_list(first, text)
    final = parse_list(second or first, text)
    if not (set(values.shown) == set(gives.shown) == set(final.shown)):
        raise fail("v and α·v are not written at the same places", text)
    final.check_against([alpha * float(x) for x in v], text)
    for d, x in gives.shown.items():
        if not agrees(dec(a) * dec(values.shown[d]), x):
            raise fail(f"{a} × {values.shown[d]} is not {x}", text)
    if second is not None:
        if all(agrees(dec(a) * dec(values.shown[d]), x) for d, x in final.shown.items()):
            raise fail("≈ where = holds", text)
        for d, x in final.shown.items():
            close(dec(gives.shown[d]), dec(x), half(x) * 2 + (abs(dec(values.shown[d])) + 1) * half(a), text)
    if final.n == t.d_v and not final.gaps:
        c.shares[head, i, j] = [final.shown[d] for d in range(t.d_v)]
    finished(c, head, i, j, ending, text)


@checks("weighted_sum", "row")
def weighted_row(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None and i is not None
    t = c.t
    keys = c.visible(i)
    if not keys:
        match = full(rf"Every key is masked for “{NAME}”: its head output is all 0\.", text)
        names(match, (c.qn(i),), text)
        return
    masked = c.masked_words(i)
    match = full(
        rf"head output of “{NAME}” = Σ_j α\({NAME}, j\)·v_j = (.+) = {LIST}(?: \((.+): α = 0\))?\.", text
    )
    names(match, (c.qn(i), c.qn(i)), text)
    if (match.group(5) or "") != masked:
        raise fail(f"the masked keys should read {masked!r}", text)
    numbers = []
    for part in split_items(match.group(3), " + ", text):
        if re.fullmatch(GAP, part):
            numbers.append(part)
            continue
        term = re.fullmatch(rf"({NUM})·v_(.+)", part)
        if not term:
            raise fail(f"not a term α·v: {part!r}", text)
        position = sum(int(x.split()[1]) if x.startswith("…") else 1 for x in numbers)
        if position >= len(keys) or term.group(2) != c.kn(keys[position]):
            raise fail(f"the terms are not the visible keys in order at {part!r}", text)
        numbers.append(term.group(1))
    weights = parse_list("[" + ", ".join(numbers) + "]", text)
    row = [float(x) for x in t.weights[head, i][keys]]
    weights.check_against(row, text)
    weights.check_largest_shown(row, text)
    if any(g.relation != "α ≤" for g in weights.gaps):
        raise fail("a left-out run of terms must bound its α", text)
    check_vector(match.group(4), t.context[head, i], text)


@checks("weighted_sum", "matrix")
def weighted_matrix(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None
    t = c.t
    match = full(
        r"Head outputs = α · V: the head output of each query i is Σ_j α\(i, j\)·v_j,"
        r" a weighted average of the value vectors\."
        rf" “.+” gives its largest weight, α = ({NUM}), to v_.+: head output of “.+” = {LIST}\.",
        text,
    )
    weights = np.where(c.telling(), t.weights[head], -1.0)
    top = [(int(a), int(b)) for a, b in np.argwhere(weights == weights.max())]
    a, _ = c.one_of(
        top, lambda a, b: f"“{c.qn(a)}” gives its largest weight, α = {match.group(1)}, to v_{c.kn(b)}:", text
    )
    if not agrees(float(weights.max()), match.group(1)):
        raise fail("not the largest weight", text)
    check_vector(match.group(2), t.context[head, a], text)
