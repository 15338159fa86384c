"""Captions of the weighted sum: head output of i = Σ_j α(i, j)·v_j, one head's α-weighted sum of values."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from explainer.i18n import _
from explainer.model import Trace

from .printed import DIGITS, agrees, bounded_gap, num, pick, result, value, vec, with_gaps
from .words import head_prefix, kname, masked_keys, qname, telling, visible


def shares(alpha: float, v: np.ndarray) -> tuple[str, str, str, list[str]]:
    """α and v as printed for one key, '= α·v' (or '= … ≈ α·v' when the printed α × v differ),
    and every component of α·v as printed.

    The shares are printed to two decimals; α and v get a third where two would
    not multiply out to them.
    """
    shown = pick(np.abs(v))
    tries = [(da, dv, 2) for dv in DIGITS for da in DIGITS] + [(3, 3, 3)]
    for da, dv, places in tries:
        a = num(alpha, da)
        share = [num(float(alpha * x), places) for x in v]
        gives = [value(a) * value(num(float(x), dv)) for x in v]  # exact: a tie may round either way
        ok = all(agrees(gives[i], share[i]) for i in shown)
        if ok:
            break
    else:  # ≈: the true shares and what the printed numbers give, both to two decimals
        places, share = 2, [num(float(alpha * x)) for x in v]
    written = result(vec([float(g) for g in gives], places, shown), vec(alpha * v, places, shown), ok)
    return a, vec(v, dv, shown), written, share


def printed_shares(trace: Trace, head: int, query: int, key: int) -> list[str]:
    """Every component of α(i, j)·v_j as the cell captions print it."""
    return shares(float(trace.weights[head, query, key]), trace.v[head, key])[3]


def cell(trace: Trace, head: int, query: int, key: int) -> str:
    """head output of “I” += α(I, kono)·v_kono = 0.18 × […] = […]; the finished row after the last key.

    The last key the query sees finishes its head output (masked keys after it add nothing):
    the caption then says so in the same sentence, one whole sentence per way it can end.
    """
    prefix, qt, kt = head_prefix(trace, head), qname(trace, query), kname(trace, key)
    if trace.mask[query, key]:
        return prefix + _(
            "“{key}” is masked for “{query}” (it comes later):"
            " it adds nothing to the head output of “{query}”."
        ).format(key=kt, query=qt)
    keys = visible(trace, query)
    alpha, v, share, _shares = shares(float(trace.weights[head, query, key]), trace.v[head, key])
    fields = {"query": qt, "key": kt, "alpha": alpha, "value": v, "share": share}
    if key != keys[-1]:
        return prefix + _(
            "head output of “{query}” += α({query}, {key})·v_{key} = {alpha} × {value} {share}"
        ).format(**fields)
    head_output = trace.context[head, query]
    added = [Decimal(0)] * trace.d_v
    places = 2
    for j in keys:
        printed = printed_shares(trace, head, query, j)
        added = [a + value(s) for a, s in zip(added, printed, strict=True)]
        places = max(places, len(printed[0].split(".")[1]))
    if len(keys) == 1:
        text = _(
            "head output of “{query}” += α({query}, {key})·v_{key} = {alpha} × {value} {share};"
            " that is the only share, so head output of “{query}” = {output}."
        )
        return prefix + text.format(**fields, output=vec(head_output))
    if all(agrees(a, num(float(r))) for a, r in zip(added, head_output, strict=True)):
        text = _(
            "head output of “{query}” += α({query}, {key})·v_{key} = {alpha} × {value} {share};"
            " all {n} shares added: head output of “{query}” = {output}."
        )
        return prefix + text.format(**fields, n=len(keys), output=vec(head_output))
    shown = pick(np.abs(head_output))
    text = _(
        "head output of “{query}” += α({query}, {key})·v_{key} = {alpha} × {value} {share};"
        " the {n} shares add up to {added} ≈ head output of “{query}” = {output} (from the unrounded shares)."
    )
    return prefix + text.format(
        **fields,
        n=len(keys),
        added=vec([float(a) for a in added], places, shown),
        output=vec(head_output, 2, shown),
    )


def row(trace: Trace, head: int, query: int) -> str:
    """head output of “hate” = Σ_j α(hate, j)·v_j = 0.08·v_kono + … + 0.77·v_kirai = […]."""
    prefix, qt = head_prefix(trace, head), qname(trace, query)
    keys = visible(trace, query)
    if not keys:
        return prefix + _("Every key is masked for “{query}”: its head output is all 0.").format(query=qt)
    weights = trace.weights[head, query][keys]
    shown = pick(weights)
    texts = {p: f"{num(float(weights[p]))}·v_{kname(trace, keys[p])}" for p in shown}

    def gap(left_out: list[int]) -> str:
        return bounded_gap(weights)(left_out).replace("≤", "α ≤")

    terms = " + ".join(with_gaps(texts, shown, len(keys), gap))
    masked = masked_keys(trace, query)
    fields = {"query": qt, "terms": terms, "output": vec(trace.context[head, query]), "masked": masked}
    if masked:
        text = _("head output of “{query}” = Σ_j α({query}, j)·v_j = {terms} = {output} ({masked}: α = 0).")
    else:
        text = _("head output of “{query}” = Σ_j α({query}, j)·v_j = {terms} = {output}.")
    return prefix + text.format(**fields)


def matrix(trace: Trace, head: int) -> str:
    text = head_prefix(trace, head) + _(
        "Head outputs = α · V: the head output of each query i is"
        " Σ_j α(i, j)·v_j, a weighted average of the value vectors."
    )
    weights = np.where(telling(trace), trace.weights[head], 0.0)
    i, j = np.unravel_index(int(np.argmax(weights)), weights.shape)
    if weights[i, j] == 0:
        return text
    largest = _(
        "“{query}” gives its largest weight, α = {alpha}, to v_{key}: head output of “{query}” = {output}."
    ).format(
        query=qname(trace, i),
        alpha=num(float(weights[i, j])),
        key=kname(trace, j),
        output=vec(trace.context[head, i]),
    )
    return f"{text} {largest}"


def weighted_sum(trace: Trace, head: int, query: int | None, key: int | None) -> str:
    """The caption of a weighted-sum step: one key's share, one query's head output, or all of them."""
    if query is None:
        return matrix(trace, head)
    if key is None:
        return row(trace, head, query)
    return cell(trace, head, query, key)
