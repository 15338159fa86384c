"""Captions of the softmax step: α(i, j) = e^s(i, j) / Σ_j' e^s(i, j') over the keys i may see."""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache

import numpy as np

from explainer.model import Trace

from .printed import (
    DIGITS,
    LIMIT,
    MINUS,
    TRIES,
    UNROUNDED,
    agrees,
    fitting,
    gaps,
    more,
    num,
    pick,
    ranked,
    result,
    total,
    value,
)
from .words import (
    head_prefix,
    kname,
    masked_keys,
    names,
    qname,
    quoted,
    scale_example,
    telling,
    unscaled,
    visible,
)

# Outside this range of the row's largest score, e^s is written as e^(s − max):
# a huge e^s is unreadable and a row of tiny ones rounds to 0.00.
PLAIN_RANGE = (-1.0, 6.0)
SHIFTED = "subtracting the row's largest score, {m}, keeps e^s readable and does not change α"


def shift(trace: Trace, head: int, query: int) -> float | None:
    """The row max to subtract before e^s, or None when plain e^s reads well."""
    row = trace.masked[head, query]
    largest = float(np.max(row[np.isfinite(row)]))
    low, high = PLAIN_RANGE
    return None if low <= largest <= high else largest


def exponent(score: str, shift_text: str | None) -> str:
    """'2.05', '(8.12 − 9.30)', or '(−7.10 + 9.30)' for a negative shift (never '− −')."""
    if shift_text is None:
        return score
    if shift_text.startswith(MINUS):
        return f"({score} + {shift_text.removeprefix(MINUS)})"
    return f"({score} − {shift_text})"


def e_to(score: str, shift_text: str | None) -> float:
    """e^(printed score − printed shift): what a calculator gives from the printed numbers."""
    power = value(score) - (value(shift_text) if shift_text is not None else Decimal(0))
    return math.exp(float(power))


def notes(*parts: str) -> str:
    kept = [p for p in parts if p]
    return f" ({'; '.join(kept)})" if kept else ""


def _printed_row(
    trace: Trace, head: int, query: int, digits: int
) -> tuple[str | None, dict[int, str], dict[int, str]]:
    """The shift, the scores and the e^s of a row's visible keys, printed to ``digits`` decimals."""
    largest = shift(trace, head, query)
    m = None if largest is None else num(largest, digits)
    row = trace.masked[head, query]
    scores = {j: num(float(row[j]), digits) for j in visible(trace, query)}
    return m, scores, {j: num(e_to(s, m), digits) for j, s in scores.items()}


@lru_cache(maxsize=64)
def row_digits(trace: Trace, head: int, query: int) -> int | None:
    """Decimals for the scores and e^s of a whole row, so that every cell of it shows the same Σ:
    the fewest with which each α comes out (to two decimals, or three on a rounding boundary)."""
    weights = trace.weights[head, query]
    for digits in DIGITS:
        _m, _scores, exps = _printed_row(trace, head, query, digits)
        denominator = total(list(exps.values()))
        if all(fitting(value(e) / denominator, float(weights[j])) for j, e in exps.items()):
            return digits
    return None


def printed_row(
    trace: Trace, head: int, query: int
) -> tuple[str | None, dict[int, str], dict[int, str], str]:
    """The shift, scores, e^s and their sum for a row, printed as the cell captions print them."""
    digits = row_digits(trace, head, query) or DIGITS[0]
    m, scores, exps = _printed_row(trace, head, query, digits)
    return m, scores, exps, num(total(list(exps.values())), digits)


def cell(trace: Trace, head: int, query: int, key: int) -> str:
    """α(hate, kirai) = e^2.05 / Σ_j e^s(hate, j) = 7.77 / (0.79 + …) = 7.77 / 10.14 = 0.77."""
    prefix, qt, kt = head_prefix(trace, head), qname(trace, query), kname(trace, key)
    if trace.mask[query, key]:
        return f"{prefix}α({qt}, {kt}) = 0: {quoted(kt)} comes after {quoted(qt)}, so it is masked."
    keys = visible(trace, query)
    row = trace.masked[head, query]
    masked = masked_keys(trace, query)
    shared = row_digits(trace, head, query)
    for digits, places in TRIES if shared is None else ((shared, 2), (shared, 3)):
        alpha = num(float(trace.weights[head, query, key]), places)
        m, scores, exps = _printed_row(trace, head, query, digits)
        denominator = total(list(exps.values()))
        ok = agrees(value(exps[key]) / denominator, alpha)
        if ok:
            break
    else:  # ≈: the true α and what the printed numbers give, both to two decimals
        places, alpha = 2, num(float(trace.weights[head, query, key]))
    shown = [keys[p] for p in pick([row[j] for j in keys], [keys.index(key)])]
    parts = {j: exps[j] for j in shown}
    for _place, left_out in gaps([keys.index(j) for j in shown], len(keys)):
        hidden = [exps[keys[p]] for p in left_out]
        parts[keys[left_out[0]]] = more(len(hidden), f"together {num(total(hidden), digits)}")
    added = " + ".join(parts[j] for j in sorted(parts))
    sigma = num(denominator, digits)
    spelled = f"{exps[key]} / {sigma}"
    if len(keys) > 1:
        spelled = f"{exps[key]} / ({added}) = {spelled}"
    gives = num(value(exps[key]) / denominator, places)
    unscaled_alpha = unscaled(trace, head, query, key)
    return (
        f"{prefix}α({qt}, {kt}) = e^{exponent(scores[key], m)} / Σ_j e^{exponent(f's({qt}, j)', m)}"
        f" = {spelled} {result(gives, alpha, ok, why='')}"
        + notes(
            "" if ok else UNROUNDED.strip("()"),
            f"{masked}: not in the sum" if masked else "",
            SHIFTED.format(m=m) if m is not None else "",
            f"without the 1/√d_k scaling it would be {unscaled_alpha}" if unscaled_alpha else "",
        )
    )


def _sum_sentence(printed: list[str], n: int) -> tuple[bool, str]:
    """Whether the printed weights add up to exactly 1, and the sentence that says what they add up to."""
    if n > LIMIT:
        return True, f"all {n} weights add up to 1"
    added = total(printed)
    if added == 1:
        return True, f"the weights add up to {num(added, len(printed[0].split('.')[1]))}"
    digits = len(printed[0].split(".")[1])
    return False, f"unrounded, the weights add up to 1 (as printed, to {num(added, digits)})"


def _row_digits(
    s: np.ndarray, a: np.ndarray, largest: float | None, shown: list[int]
) -> tuple[int, int, bool]:
    """Decimals for the scores and the weights of a row, and whether the printed numbers give the weights.

    Two decimals each if they reproduce every written weight and the weights add
    up to 1 as printed; else more digits where that helps.
    """
    best: tuple[int, int, bool] | None = None
    for da in DIGITS:
        for ds in DIGITS:
            m = None if largest is None else num(largest, ds)
            exps = [e_to(num(float(x), ds), m) for x in s]
            sigma = float(value(num(math.fsum(exps), ds)))
            weights = [num(float(x), da) for x in a]
            ok = all(agrees(exps[p] / sigma, weights[p]) for p in shown)
            if ok and _sum_sentence(weights, len(a))[0]:
                return ds, da, ok
            if best is None or (ok and not best[2]):
                best = (ds, da, ok)
    assert best is not None
    return best


def row(trace: Trace, head: int, query: int) -> str:
    """Softmax of “hate”'s scaled scores s = […]: Σ_j e^s = 10.15, so α = e^s / 10.15 = […]."""
    prefix, qt = head_prefix(trace, head), qname(trace, query)
    keys = visible(trace, query)
    if not keys:
        return f"{prefix}Every key is masked for {quoted(qt)}: it has no weights, so its α are all 0."
    s = trace.masked[head, query][keys]
    a = trace.weights[head, query][keys]
    largest = shift(trace, head, query)
    shown = pick(s)
    ds, da, ok = _row_digits(s, a, largest, shown)
    m = None if largest is None else num(largest, ds)
    exps = [e_to(num(float(x), ds), m) for x in s]
    sigma = num(math.fsum(exps), ds)
    gives = ranked([x / float(value(sigma)) for x in exps], digits=da, shown=shown)
    _, added = _sum_sentence([num(float(x), da) for x in a], len(keys))
    kind = "scaled scores" if trace.scale else "scores"
    masked = masked_keys(trace, query)
    seen = ""
    if masked:
        if len(keys) == 1:
            which = f"only {quoted(kname(trace, keys[0]))}"
        elif len(keys) <= 3:
            which = names([kname(trace, j) for j in keys])
        else:
            which = f"its {len(keys)} visible keys"
        seen = f" ({which}; {masked})"
    power = exponent("s", m)
    return (
        f"{prefix}Softmax of {quoted(qt)}'s {kind} s = {ranked(s, digits=ds, shown=shown)}{seen}:"
        f" Σ_j e^{power} = {sigma}, so α = e^{power} / {sigma}"
        f" {result(gives, ranked(a, digits=da, shown=shown), ok)}; {added}."
        + (f" ({SHIFTED[0].upper()}{SHIFTED[1:].format(m=m)}.)" if m is not None else "")
        + _without_scaling(trace, head, query)
    )


def _without_scaling(trace: Trace, head: int, query: int | None) -> str:
    """' Without the 1/√d_k scaling, α(hate, kirai) would be 0.97 instead of 0.77.' for the scale
    step's example cell, said where softmax computes it (in its row, or the whole matrix)."""
    i, j = scale_example(trace, head)
    alpha = unscaled(trace, head, i, j)
    if not alpha or query not in (None, i):
        return ""
    return (
        f" Without the 1/√d_k scaling, α({qname(trace, i)}, {kname(trace, j)}) would be {alpha}"
        f" instead of {num(float(trace.weights[head, i, j]))}."
    )


def matrix(trace: Trace, head: int) -> str:
    text = (
        f"{head_prefix(trace, head)}Softmax along every row: α(i, j) = e^s(i, j) / Σ_j' e^s(i, j'),"
        " so each query's weights are positive and add up to 1"
    )
    if trace.mask.any():
        text += "; masked cells get weight 0"
    weights = np.where(telling(trace), trace.weights[head], 0.0)
    i, j = np.unravel_index(int(np.argmax(weights)), weights.shape)
    if weights[i, j] == 0:
        return text + "."
    alone = [int(r) for r in np.flatnonzero((~trace.mask).sum(axis=1) == 1)]
    apart = ""
    if alone and not telling(trace)[alone[0]].any():
        who = names([qname(trace, r) for r in alone]) if len(alone) <= 3 else f"{len(alone)} queries"
        apart = f"Apart from {who}, which {'sees' if len(alone) == 1 else 'see'} one key only (α = 1), t"
    largest = f"α({qname(trace, i)}, {kname(trace, j)}) = {num(float(weights[i, j]))}"
    return f"{text}. {apart or 'T'}he largest is {largest}.{_without_scaling(trace, head, None)}"


def softmax(trace: Trace, head: int, query: int | None, key: int | None) -> str:
    """The caption of a softmax step: one cell, one query's row, or the whole matrix."""
    if query is None:
        return matrix(trace, head)
    if key is None:
        return row(trace, head, query)
    return cell(trace, head, query, key)
