"""Captions of the score step: s(i, j) = q_i · k_j, one dot product per (query, key) pair."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import numpy as np

from explainer.i18n import _
from explainer.model import Trace

from .printed import (
    DIGITS,
    MINUS,
    TRIES,
    agrees,
    factor,
    fitting,
    gaps,
    more,
    num,
    pick,
    ranked,
    result,
    value,
)
from .words import head_prefix, kname, qname


def products(q: np.ndarray, k: np.ndarray, digits: int) -> tuple[str, Decimal]:
    """'−0.16×1.26 + 0.59×0.61 − …' and the exact sum of what it prints.

    Up to LIMIT products are written; beyond, the largest ones, and each run
    of left-out products as one printed number: '… 58 more, together −0.12 …'.
    """
    shown = pick(np.abs(q * k))
    parts: dict[int, tuple[bool, str]] = {}  # place → (negative, text without its sign)
    exact = Decimal(0)
    for i in shown:
        a, b = num(float(q[i]), digits), num(float(k[i]), digits)
        exact += value(a) * value(b)
        parts[i] = (a.startswith(MINUS), f"{a.removeprefix(MINUS)}×{factor(b)}")
    for _place, left_out in gaps(shown, len(q)):
        together = num(float(np.sum(q[left_out] * k[left_out])), digits)
        exact += value(together)
        parts[left_out[0]] = (False, more(len(left_out), together))
    text = ""
    for index, (negative, body) in enumerate(parts[i] for i in sorted(parts)):
        if index == 0:
            text = f"{MINUS}{body}" if negative else body
        else:
            text += f" − {body}" if negative else f" + {body}"
    return text, exact


@lru_cache(maxsize=64)
def row_digits(trace: Trace, head: int, query: int) -> int | None:
    """Decimals for q and k in a whole row, so that q is written the same way in each of its cells:
    the fewest with which every score adds up (to two decimals, or three on a rounding boundary)."""
    q = trace.q[head, query]
    for digits in DIGITS:
        sums = [products(q, trace.k[head, j], digits)[1] for j in range(trace.k.shape[1])]
        if all(fitting(s, float(x)) for s, x in zip(sums, trace.scores[head, query], strict=True)):
            return digits
    return None


def cell(trace: Trace, head: int, query: int, key: int) -> str:
    """score(I, eiga) = q·k = … = −0.35, every product written out and adding up."""
    q, k = trace.q[head, query], trace.k[head, key]
    shared = row_digits(trace, head, query)
    for digits, places in TRIES if shared is None else ((shared, 2), (shared, 3)):
        terms, exact = products(q, k, digits)
        score = num(float(trace.scores[head, query, key]), places)
        ok = agrees(exact, score)
        if ok:
            break
    else:  # ≈: the true score and what the printed products give, both to two decimals
        places, score = 2, num(float(trace.scores[head, query, key]))
    sentence = _("score({query}, {key}) = q·k = {terms} {result}").format(
        query=qname(trace, query),
        key=kname(trace, key),
        terms=terms,
        result=result(num(exact, places), score, ok),
    )
    return head_prefix(trace, head) + sentence


def row(trace: Trace, head: int, query: int) -> str:
    sentence = _("Scores of “{query}”: score({query}, j) = q_{query} · k_j for each key j = {scores}.")
    return head_prefix(trace, head) + sentence.format(
        query=qname(trace, query), scores=ranked(trace.scores[head, query])
    )


def matrix(trace: Trace, head: int) -> str:
    n_q, n_k = trace.scores.shape[1:]
    text = head_prefix(trace, head) + _(
        "Scores S = Q · Kᵀ: {n_q} × {n_k} dot products, one per (query, key) pair,"
        " each measuring how well what the query looks for matches what the key offers."
    ).format(n_q=n_q, n_k=n_k)
    scores = np.where(trace.mask, -np.inf, trace.scores[head])
    if not np.any(np.isfinite(scores)):
        return text
    i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
    if trace.mask.any():
        largest = _(
            "The largest of the scores the mask will leave visible is score({query}, {key}) = {score}."
        )
    else:
        largest = _("The largest is score({query}, {key}) = {score}.")
    score = num(float(trace.scores[head, i, j]))
    return f"{text} {largest.format(query=qname(trace, i), key=kname(trace, j), score=score)}"


def dot(trace: Trace, head: int, query: int | None, key: int | None) -> str:
    """The caption of a score step: one cell, one query's row, or the whole matrix."""
    if query is None:
        return matrix(trace, head)
    if key is None:
        return row(trace, head, query)
    return cell(trace, head, query, key)
