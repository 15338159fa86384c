"""Checks of the dot-product and softmax captions: one cell, one row, the whole matrix."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
from caption_checks import LIST, RESULT, UNROUNDED, Checker, check_result, checks, close, full
from caption_parser import (
    NUM,
    agrees,
    check_digits,
    dec,
    e_power,
    exact_sum,
    fail,
    half,
    parse_list,
    parse_products,
    parse_sum,
)

E = re.escape
NAME = r"(.+?)"  # a token's name, compared with the expected one after the match


def names(match: re.Match[str], expected: tuple[str, ...], text: str, first: int = 1) -> None:
    """The name groups from ``first`` on are the expected names (the patterns stay constant: fast)."""
    found = match.groups()[first - 1 : first - 1 + len(expected)]
    if found != expected:
        raise fail(f"names {found} should be {expected}", text)


SHIFT_NOTE = "subtracting the row's largest score, {m}, keeps e^s readable and does not change α"


# ------------------------------------------------------------------------ dot
@checks("dot", "cell")
def dot_cell(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None and i is not None and j is not None
    match = full(rf"score\((.+?), (.+?)\) = q·k = (.+) {RESULT}(?:{E(UNROUNDED)})?", text)
    names(match, (c.qn(i), c.kn(j)), text)
    terms, gaps, n = parse_products(match.group(3), text)
    q, k = c.t.q[head, i], c.t.k[head, j]
    if n != c.t.d_k:
        raise fail(f"{n} products for d_k = {c.t.d_k}", text)
    exact, bound = Decimal(0), Decimal(0)
    for d, a, b in terms:
        check_digits(a, text), check_digits(b, text)
        if not (agrees(float(q[d]), a) and agrees(float(k[d]), b)):
            raise fail(f"q or k in dimension {d} is not {a} × {b}", text)
        exact += dec(a) * dec(b)
        bound += (abs(dec(a)) + abs(dec(b))) * half(a) + half(a) ** 2
    for gap in gaps:
        check_digits(gap.bound, text)
        if not agrees(float(np.sum(q[gap.indices] * k[gap.indices])), gap.bound):
            raise fail(f"the left-out products do not add up to {gap.bound}", text)
        exact += dec(gap.bound)
        bound += half(gap.bound)
    products = np.abs(q * k)
    if not any(products[d] == products.max() for d, _, _ in terms):
        raise fail("'…' hides the largest product", text)
    first, second = match.group(4), match.group(5)
    check_result(exact, first, second, float(c.t.scores[head, i, j]), text, float(bound))


@checks("dot", "row")
def dot_row(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None and i is not None
    match = full(rf"Scores of “{NAME}”: score\({NAME}, j\) = q_{NAME} · k_j for each key j = {LIST}\.", text)
    names(match, (c.qn(i),) * 3, text)
    listing = parse_list(match.group(4), text)
    row = [float(x) for x in c.t.scores[head, i]]
    listing.check_against(row, text)
    listing.check_largest_shown(row, text)


@checks("dot", "matrix")
def dot_matrix(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None
    t = c.t
    n_q, n_k = t.scores.shape[1:]
    match = full(
        rf"Scores S = Q · Kᵀ: {n_q} × {n_k} dot products, one per \(query, key\) pair,"
        r" each measuring how well what the query looks for matches what the key offers\."
        rf"(?: The largest (of the scores the mask will leave visible )?is score\(.+\) = ({NUM})\.)?",
        text,
    )
    if bool(match.group(1)) != bool(t.mask.any()):
        raise fail("the largest score must be a visible one, and say so under a mask", text)
    scores = np.where(t.mask, -np.inf, t.scores[head])
    top = [(int(a), int(b)) for a, b in np.argwhere(scores == scores.max())]
    c.one_of(top, lambda a, b: f"score({c.qn(a)}, {c.kn(b)}) = {match.group(2)}.", text)
    if not agrees(float(scores.max()), match.group(2)):
        raise fail("not the largest visible score", text)


# -------------------------------------------------------------------- softmax
def seen_words(c: Checker, i: int) -> str:
    keys, masked = c.visible(i), c.masked_words(i)
    if not masked:
        return ""
    if len(keys) == 1:
        which = f"only “{c.kn(keys[0])}”"
    elif len(keys) <= 3:
        quoted = [f"“{c.kn(j)}”" for j in keys]
        which = ", ".join(quoted[:-1]) + " and " + quoted[-1]
    else:
        which = f"its {len(keys)} visible keys"
    return f" ({which}; {masked})"


def e_error(e_true: float, power: str, e_printed: str) -> Decimal:
    """How far a printed e^s may be from e^(true s) (rounding of s, then of e^s)."""
    return half(e_printed) + Decimal(e_true) * half(power) * Decimal("1.01") + Decimal("1e-9")


WITHOUT = rf"(?: Without the 1/√d_k scaling, α\({NAME}, {NAME}\) would be ({NUM}) instead of ({NUM})\.)?"


def without_sentence(
    c: Checker, head: int, query: int | None, groups: tuple[str | None, ...], text: str
) -> None:
    """'Without the 1/√d_k scaling, α(hate, kirai) would be 0.97 instead of 0.77.': said by the row
    (or the matrix) that holds the scale step's example cell, and true."""
    q, k, without, with_scale = groups
    example = c.scale_example.get(head)
    if q is None:
        if example is not None and query in (None, example[0]):
            c.without_scaling(head, example, None, text)  # fails if the sentence was due
        return
    if example is None or (q, k) != (c.qn(example[0]), c.kn(example[1])) or query not in (None, example[0]):
        raise fail("'Without the 1/√d_k scaling' names a cell that is not the scale step's example", text)
    c.without_scaling(head, example, without, text)
    if not agrees(float(c.t.weights[head, example[0], example[1]]), with_scale or ""):
        raise fail("the weight with scaling is not the true one", text)


# An exponent: a score, or a score minus (or plus, for a negative one) the row's largest score.
SHIFTED = rf"(?:({NUM})|\(({NUM}) ([−+]) (\d+\.\d+)\))"


def minus(m: str) -> str:
    """How '− m' is written: '− 2.00', or '+ 2.00' for m = −2.00."""
    return f"+ {m[1:]}" if m.startswith("−") else f"− {m}"


@checks("softmax", "cell")
def softmax_cell(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None and i is not None and j is not None
    t, q, k = c.t, c.qn(i), c.kn(j)
    if t.mask[i, j]:
        match = full(rf"α\({NAME}, {NAME}\) = 0: “{NAME}” comes after “{NAME}”, so it is masked\.", text)
        names(match, (q, k, k, q), text)
        return
    match = full(
        rf"α\({NAME}, {NAME}\) = e\^{SHIFTED}"
        rf" / Σ_j e\^(?:s\({NAME}, j\)|\(s\({NAME}, j\) ([−+]) (\d+\.\d+)\))"
        rf" = ({NUM}) / (?:\((.+)\) = ({NUM}) / )?({NUM}) {RESULT}(?: \((.+)\))?",
        text,
    )
    names(match, (q, k), text)
    plain, moved, sign, size, q1, q2, sign2, size2, e_key, added, e_again, sigma = match.groups()[2:14]
    first, second, notes = match.groups()[14:]
    if (q1 or q2) != q:
        raise fail(f"the row of Σ is not {q}'s", text)
    power = plain or moved
    m = None if size is None else ("" if sign == "−" else "−") + size
    m_again = None if size2 is None else ("" if sign2 == "−" else "−") + size2
    if m != m_again or (added is None) != (e_again is None) or (e_again not in (None, e_key)):
        raise fail("the shift or e^s is not repeated consistently", text)
    keys = c.visible(i)
    row = t.masked[head, i]
    for printed in (power, e_key, sigma):
        check_digits(printed, text)
    if not agrees(float(row[j]), power):
        raise fail(f"the exponent {power} is not the scaled score", text)
    if m is not None and not agrees(float(row[keys].max()), m):
        raise fail(f"{m} is not the row's largest score", text)
    if not agrees(e_power(power, m), e_key):
        raise fail(f"e^{power} is not {e_key}", text)
    listing = parse_sum(added, text) if added is not None else parse_sum(e_key, text)
    if listing.n != len(keys):
        raise fail(f"{listing.n} terms in Σ for {len(keys)} visible keys", text)
    if listing.shown.get(keys.index(j)) != e_key:
        raise fail("the step's own e^s is not in the sum", text)
    listing.check_largest_shown([float(row[x]) for x in keys], text, keep=keys.index(j))
    errors = Decimal(0)
    true_e = np.exp(row[keys] - (float(dec(m)) if m else 0.0))
    for p, printed in listing.shown.items():
        error = e_error(float(true_e[p]), power, printed)
        close(dec(printed), Decimal(float(true_e[p])), error, text)
        errors += error
    for gap in listing.gaps:
        hidden = true_e[gap.indices]
        error = sum((e_error(float(x), power, gap.bound) for x in hidden), Decimal(0))
        close(dec(gap.bound), Decimal(float(hidden.sum())), error, text)
        errors += error
    if not agrees(exact_sum(listing), sigma):
        raise fail(f"the terms of Σ add up to {exact_sum(listing)}, not {sigma}", text)
    bound = (errors / dec(sigma)) * 2 + half(e_key)
    check_result(dec(e_key) / dec(sigma), first, second, float(t.weights[head, i, j]), text, float(bound))
    without = re.search(rf"without the 1/√d_k scaling it would be ({NUM})$", notes or "")
    c.without_scaling(head, (i, j), without.group(1) if without else None, text)
    expected = [
        "from the unrounded numbers" if second else "",
        f"{c.masked_words(i)}: not in the sum" if c.masked_words(i) else "",
        SHIFT_NOTE.format(m=m) if m else "",
        without.group(0) if without else "",
    ]
    if (notes or "") != "; ".join(x for x in expected if x):
        raise fail(f"notes {notes!r} should be {expected}", text)


@checks("softmax", "row")
def softmax_row(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None and i is not None
    t = c.t
    keys = c.visible(i)
    if not keys:
        match = full(rf"Every key is masked for “{NAME}”: it has no weights, so its α are all 0\.", text)
        names(match, (c.qn(i),), text)
        return
    power = r"(s|\(s [−+] \d+\.\d+\))"
    if not text.startswith(f"Softmax of “{c.qn(i)}”'s {'scaled ' if t.scale else ''}scores s = "):
        raise fail("not the softmax of this query's row", text)
    text = text.split(" scores s = ", 1)[1]
    match = full(
        rf"{LIST}{E(seen_words(c, i))}:"
        rf" Σ_j e\^{power} = ({NUM}), so α = e\^{power} / ({NUM}) = {LIST}(?: ≈ {LIST}{E(UNROUNDED)})?;"
        rf" (.+?)\.(?: \(Subtracting the row's largest score, ({NUM}),"
        rf" keeps e\^s readable and does not change α\.\))?{WITHOUT}",
        text,
    )
    s_text, p1, sigma, p2, sigma2, first, second, sentence, m = match.groups()[:9]
    without_sentence(c, head, i, match.groups()[9:], text)
    if (p1, sigma) != (p2, sigma2) or (p1 != "s") != (m is not None) or (m and p1 != f"(s {minus(m)})"):
        raise fail("Σ, its power and the shift are not repeated consistently", text)
    s_row, a_row = t.masked[head, i][keys], t.weights[head, i][keys]
    if m is not None and not agrees(float(s_row.max()), m):
        raise fail(f"{m} is not the row's largest score", text)
    scores = parse_list(s_text, text)
    scores.check_against([float(x) for x in s_row], text)
    scores.check_largest_shown([float(x) for x in s_row], text)
    gives, final = parse_list(first, text), parse_list(second or first, text)
    if not (set(gives.shown) == set(final.shown) == set(scores.shown)):
        raise fail("the scores and the weights are not written at the same places", text)
    final.check_against([float(x) for x in a_row], text)
    check_digits(sigma, text)
    exps = {p: e_power(x, m) for p, x in scores.shown.items()}
    if len(keys) <= 8:
        if not agrees(sum(exps.values()), sigma):
            raise fail(f"Σ e^s of the printed scores is {sum(exps.values())}, not {sigma}", text)
    elif dec(sigma) + half(sigma) < Decimal(sum(exps.values())) * Decimal("0.99"):
        raise fail("Σ is smaller than its written terms", text)
    for p, x in gives.shown.items():
        if not agrees(exps[p] / float(dec(sigma)), x):
            raise fail(f"e^{scores.shown[p]} / {sigma} is not {x}", text)
    if second is not None and all(agrees(exps[p] / float(dec(sigma)), x) for p, x in final.shown.items()):
        raise fail("≈ where = holds", text)
    added = sum((dec(x) for x in final.shown.values()), Decimal(0))
    places = len(next(iter(final.shown.values())).split(".")[1])
    if len(keys) > 8:
        want = f"all {len(keys)} weights add up to 1"
    elif added == 1:
        want = f"the weights add up to {1:.{places}f}"
    else:
        want = f"unrounded, the weights add up to 1 (as printed, to {added:.{places}f})"
    if sentence != want:
        raise fail(f"the sum sentence should be {want!r}", text)


@checks("softmax", "matrix")
def softmax_matrix(c: Checker, head: int | None, i: int | None, j: int | None, text: str) -> None:
    assert head is not None
    t = c.t
    match = full(
        r"Softmax along every row: α\(i, j\) = e\^s\(i, j\) / Σ_j' e\^s\(i, j'\), so each query's weights are"
        r" positive and add up to 1(; masked cells get weight 0)?\."
        rf"(?: (?:Apart from .+, which sees? one key only \(α = 1\), t|T)he largest is α\(.+?\) = ({NUM})\.)"
        + WITHOUT,
        text,
    )
    without_sentence(c, head, None, match.groups()[2:], text)
    if bool(match.group(1)) != bool(t.mask.any()):
        raise fail("masked cells must be mentioned exactly when there are some", text)
    weights = np.where(c.telling(), t.weights[head], -1.0)
    top = [(int(a), int(b)) for a, b in np.argwhere(weights == weights.max())]
    c.one_of(top, lambda a, b: f"he largest is α({c.qn(a)}, {c.kn(b)}) = {match.group(2)}.", text)
    if not agrees(float(weights.max()), match.group(2)):
        raise fail("not the largest weight", text)
    alone = ((~t.mask).sum(axis=1) == 1) & ~c.telling().any(axis=1)
    if ("Apart from" in text) != bool(alone.any()):
        raise fail("'Apart from' must name exactly the rows that see one key", text)
