"""Captions of the softmax step: α(i, j) = e^s(i, j) / Σ_j' e^s(i, j') over the keys i may see."""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache

import numpy as np

from explainer.i18n import _
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
    scale_example,
    telling,
    unscaled,
    visible,
)

# Outside this range of the row's largest score, e^s is written as e^(s − max):
# a huge e^s is unreadable and a row of tiny ones rounds to 0.00.
PLAIN_RANGE = (-1.0, 6.0)


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
        return prefix + _("α({query}, {key}) = 0: “{key}” comes after “{query}”, so it is masked.").format(
            query=qt, key=kt
        )
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
        parts[keys[left_out[0]]] = more(len(hidden), num(total(hidden), digits))
    added = " + ".join(parts[j] for j in sorted(parts))
    sigma = num(denominator, digits)
    spelled = f"{exps[key]} / {sigma}"
    if len(keys) > 1:
        spelled = f"{exps[key]} / ({added}) = {spelled}"
    gives = num(value(exps[key]) / denominator, places)
    unscaled_alpha = unscaled(trace, head, query, key)
    formula = _("α({query}, {key}) = e^{power} / Σ_j e^{powers} = {spelled} {result}").format(
        query=qt,
        key=kt,
        power=exponent(scores[key], m),
        powers=exponent(f"s({qt}, j)", m),
        spelled=spelled,
        result=result(gives, alpha, ok, why=""),
    )
    return (
        prefix
        + formula
        + notes(
            "" if ok else _(UNROUNDED).strip("()"),
            _("{masked}: not in the sum").format(masked=masked) if masked else "",
            _("subtracting the row's largest score, {m}, keeps e^s readable and does not change α").format(
                m=m
            )
            if m is not None
            else "",
            _("without the 1/√d_k scaling it would be {alpha}").format(alpha=unscaled_alpha)
            if unscaled_alpha
            else "",
        )
    )


def _sum_sentence(printed: list[str], n: int) -> tuple[bool, str]:
    """Whether the printed weights add up to exactly 1, and the sentence that says what they add up to."""
    if n > LIMIT:
        return True, _("all {n} weights add up to 1").format(n=n)
    added = total(printed)
    digits = len(printed[0].split(".")[1])
    if added == 1:
        return True, _("the weights add up to {total}").format(total=num(added, digits))
    return False, _("unrounded, the weights add up to 1 (as printed, to {total})").format(
        total=num(added, digits)
    )


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
        return prefix + _("Every key is masked for “{query}”: it has no weights, so its α are all 0.").format(
            query=qt
        )
    s = trace.masked[head, query][keys]
    a = trace.weights[head, query][keys]
    largest = shift(trace, head, query)
    shown = pick(s)
    ds, da, ok = _row_digits(s, a, largest, shown)
    m = None if largest is None else num(largest, ds)
    exps = [e_to(num(float(x), ds), m) for x in s]
    sigma = num(math.fsum(exps), ds)
    gives = ranked([x / float(value(sigma)) for x in exps], digits=da, shown=shown)
    _exact, added = _sum_sentence([num(float(x), da) for x in a], len(keys))
    masked = masked_keys(trace, query)
    seen = ""
    if masked:
        if len(keys) == 1:
            which = _("only “{key}”").format(key=kname(trace, keys[0]))
        elif len(keys) <= 3:
            which = names([kname(trace, j) for j in keys])
        else:
            which = _("its {n} visible keys").format(n=len(keys))
        seen = f" ({which}; {masked})"
    power = exponent("s", m)
    if trace.scale:
        text = _(
            "Softmax of “{query}”'s scaled scores s = {scores}{seen}:"
            " Σ_j e^{power} = {sigma}, so α = e^{power} / {sigma} {result}; {added}."
        )
    else:
        text = _(
            "Softmax of “{query}”'s scores s = {scores}{seen}:"
            " Σ_j e^{power} = {sigma}, so α = e^{power} / {sigma} {result}; {added}."
        )
    text = prefix + text.format(
        query=qt,
        scores=ranked(s, digits=ds, shown=shown),
        seen=seen,
        power=power,
        sigma=sigma,
        result=result(gives, ranked(a, digits=da, shown=shown), ok),
        added=added,
    )
    if m is not None:
        shifted = _("(Subtracting the row's largest score, {m}, keeps e^s readable and does not change α.)")
        text += " " + shifted.format(m=m)
    return text + _without_scaling(trace, head, query)


def _without_scaling(trace: Trace, head: int, query: int | None) -> str:
    """' Without the 1/√d_k scaling, α(hate, kirai) would be 0.97 instead of 0.77.' for the scale
    step's example cell, said where softmax computes it (in its row, or the whole matrix)."""
    i, j = scale_example(trace, head)
    alpha = unscaled(trace, head, i, j)
    if not alpha or query not in (None, i):
        return ""
    return " " + _(
        "Without the 1/√d_k scaling, α({query}, {key}) would be {unscaled} instead of {alpha}."
    ).format(
        query=qname(trace, i),
        key=kname(trace, j),
        unscaled=alpha,
        alpha=num(float(trace.weights[head, i, j])),
    )


def matrix(trace: Trace, head: int) -> str:
    if trace.mask.any():
        text = _(
            "Softmax along every row: α(i, j) = e^s(i, j) / Σ_j' e^s(i, j'),"
            " so each query's weights are positive and add up to 1; masked cells get weight 0."
        )
    else:
        text = _(
            "Softmax along every row: α(i, j) = e^s(i, j) / Σ_j' e^s(i, j'),"
            " so each query's weights are positive and add up to 1."
        )
    text = head_prefix(trace, head) + text
    weights = np.where(telling(trace), trace.weights[head], 0.0)
    i, j = np.unravel_index(int(np.argmax(weights)), weights.shape)
    if weights[i, j] == 0:
        return text
    alone = [int(r) for r in np.flatnonzero((~trace.mask).sum(axis=1) == 1)]
    largest = {"query": qname(trace, i), "key": kname(trace, j), "alpha": num(float(weights[i, j]))}
    if alone and not telling(trace)[alone[0]].any():
        if len(alone) > 3:
            sentence = _(
                "Apart from {n} queries, which see one key only (α = 1),"
                " the largest is α({query}, {key}) = {alpha}."
            ).format(n=len(alone), **largest)
        else:
            if len(alone) == 1:
                sentence = _(
                    "Apart from {who}, which sees one key only (α = 1),"
                    " the largest is α({query}, {key}) = {alpha}."
                )
            else:
                sentence = _(
                    "Apart from {who}, which see one key only (α = 1),"
                    " the largest is α({query}, {key}) = {alpha}."
                )
            sentence = sentence.format(who=names([qname(trace, r) for r in alone]), **largest)
    else:
        sentence = _("The largest is α({query}, {key}) = {alpha}.").format(**largest)
    return f"{text} {sentence}{_without_scaling(trace, head, None)}"


def softmax(trace: Trace, head: int, query: int | None, key: int | None) -> str:
    """The caption of a softmax step: one cell, one query's row, or the whole matrix."""
    if query is None:
        return matrix(trace, head)
    if key is None:
        return row(trace, head, query)
    return cell(trace, head, query, key)
