"""Captions that spell each step out with the trace's real numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from explainer.model import Trace

MAX_SHOWN = 4  # entries of a vector written out before "…"


def num(x: float) -> str:
    """Two decimals with a real minus sign; −∞ for masked scores."""
    if math.isinf(x):
        return "−∞" if x < 0 else "∞"
    text = f"{x:.2f}"
    if text in ("-0.00", "0.00"):
        return "0.00"
    return text.replace("-", "−")


def factor(x: float) -> str:
    """A number as the right-hand factor of a product: negatives in parentheses."""
    return f"({num(x)})" if num(x).startswith("−") else num(x)


def _sum_of_products(a: np.ndarray, b: np.ndarray) -> str:
    """'0.16×0.56 − 0.94×(−0.13) + …': a negative first factor becomes a minus sign."""
    text = ""
    for index, (x, y) in enumerate(zip(a, b, strict=True)):
        term = f"{num(abs(x))}×{factor(y)}"
        if index == 0:
            text = f"−{term}" if num(x).startswith("−") else term
        else:
            text += f" − {term}" if num(x).startswith("−") else f" + {term}"
    return text


def vec(values: Sequence[float] | np.ndarray) -> str:
    shown = ", ".join(num(float(x)) for x in list(values)[:MAX_SHOWN])
    return f"[{shown}{', …' if len(values) > MAX_SHOWN else ''}]"


SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _named(tokens: tuple[str, ...], index: int | np.integer) -> str:
    """A token's name; a repeated token gets its 1-based position (the₁, the₅)."""
    token = tokens[index]
    return token + str(index + 1).translate(SUBSCRIPTS) if tokens.count(token) > 1 else token


def qname(trace: Trace, index: int | np.integer) -> str:
    return _named(trace.query_tokens, index)


def kname(trace: Trace, index: int | np.integer) -> str:
    return _named(trace.key_tokens, index)


def _head(trace: Trace, head: int | None) -> str:
    return f"Head {head + 1}: " if head is not None and trace.n_heads > 1 else ""


def embed(trace: Trace) -> str:
    first = qname(trace, 0)
    text = f"Embeddings: each token is a row of X (d_model = {trace.d_model}); {first} = {vec(trace.x_q[0])}."
    if not trace.self_attention:
        text += (
            f" Queries come from “{' '.join(trace.query_tokens)}”, keys and values"
            f" from “{' '.join(trace.key_tokens)}”."
        )
    return text


def project(trace: Trace, which: str, head: int) -> str:
    letter = which.upper()
    source = "X" if trace.self_attention else ("X_q" if which == "q" else "X_kv")
    name = qname if which == "q" else kname
    row = getattr(trace, which)[head, 0]
    bias = np.any(getattr(trace, f"b_{which}")[head] != 0)
    role = {"q": "query: what it looks for", "k": "key: what it offers", "v": "value: what it passes on"}
    return (
        f"{_head(trace, head)}{letter} = {source} · W_{letter}{' + b_' + letter if bias else ''}:"
        f" each token's row times W_{letter} gives its {role[which]}."
        f" {which}_{name(trace, 0)} = {vec(row)}"
    )


def dot(trace: Trace, head: int, query: int | None, key: int | None) -> str:
    prefix = _head(trace, head)
    if query is None:
        i, j = np.unravel_index(int(np.argmax(trace.scores[head])), trace.scores[head].shape)
        return (
            f"{prefix}Scores S = Q · Kᵀ: {len(trace.query_tokens)} × {len(trace.key_tokens)} dot products,"
            f" one per (query, key) pair; the largest is score({qname(trace, i)},"
            f" {kname(trace, j)}) = {num(trace.scores[head, i, j])}."
        )
    qt = qname(trace, query)
    if key is None:
        return f"{prefix}Scores of “{qt}”: q_{qt} · k for every key = {vec(trace.scores[head, query])}."
    kt = kname(trace, key)
    q, k = trace.q[head, query], trace.k[head, key]
    terms = ""
    if trace.d_k <= 4:
        terms = _sum_of_products(q, k) + " = "
    return f"{prefix}score({qt}, {kt}) = q·k = {terms}{num(trace.scores[head, query, key])}"


def scale(trace: Trace, head: int) -> str:
    visible = np.where(trace.mask, 0.0, np.abs(trace.scores[head]))
    i, j = np.unravel_index(int(np.argmax(visible)), visible.shape)
    root = math.sqrt(trace.d_k)
    return (
        f"{_head(trace, head)}Scale: divide every score by √d_k = √{trace.d_k} = {num(root)}"
        f" so softmax does not saturate: score({qname(trace, i)}, {kname(trace, j)})"
        f" {num(trace.scores[head, i, j])} → {num(trace.scaled[head, i, j])}."
    )


def mask(trace: Trace, head: int) -> str:
    return (
        f"{_head(trace, head)}Causal mask: a token may not look at later tokens;"
        f" the {int(trace.mask.sum())} cells with key after query become −∞."
    )


def softmax(trace: Trace, head: int, query: int | None, key: int | None) -> str:
    prefix = _head(trace, head)
    if query is None:
        return (
            f"{prefix}Softmax along every row: e^s / Σ e^s turns scores into weights α; each row sums to 1."
        )
    qt = qname(trace, query)
    row = trace.masked[head, query]
    if not np.any(np.isfinite(row)):
        return f"{prefix}Every key is masked for “{qt}”: its weights are all 0."
    if key is None:
        total = float(trace.weights[head, query].sum())
        return (
            f"{prefix}Softmax of “{qt}”'s scores: α = {vec(trace.weights[head, query])}, sum = {num(total)}."
        )
    kt = kname(trace, key)
    alpha = trace.weights[head, query, key]
    if not np.isfinite(row[key]):
        return f"{prefix}α({qt}, {kt}) = 0: “{kt}” comes after “{qt}”, so it is masked."
    finite = row[np.isfinite(row)]
    shift = float(finite.max()) if np.max(np.abs(finite)) >= 30 else 0.0
    total = float(np.exp(finite - shift).sum())
    exponent = num(row[key]) if shift == 0 else f"({num(row[key])} − {num(shift)})"
    return f"{prefix}α({qt}, {kt}) = e^{exponent} / {num(total)} = {num(alpha)}"


def weighted_sum(trace: Trace, head: int, query: int | None, key: int | None) -> str:
    prefix = _head(trace, head)
    if query is None:
        return f"{prefix}Outputs = α · V: every query takes a weighted sum of the value vectors."
    qt = qname(trace, query)
    if key is None:
        weights = trace.weights[head, query]
        largest = sorted(np.argsort(-weights, kind="stable")[:3])  # the terms that matter, in key order
        terms = " + ".join(f"{num(weights[j])}·v_{kname(trace, j)}" for j in largest)
        more = " + …" if len(trace.key_tokens) > 3 else ""
        return f"{prefix}out_{qt} = Σ α·v = {terms}{more} = {vec(trace.context[head, query])}"
    kt = kname(trace, key)
    alpha = trace.weights[head, query, key]
    share = alpha * trace.v[head, key]
    v = vec(trace.v[head, key])
    return f"{prefix}out_{qt} += α({qt}, {kt}) · v_{kt} = {num(alpha)} × {v} = {vec(share)}"


def concat_heads(trace: Trace) -> str:
    return (
        f"Concatenate the {trace.n_heads} heads' outputs side by side:"
        f" {len(trace.query_tokens)} × {trace.n_heads * trace.d_v}."
    )


def output_projection(trace: Trace) -> str:
    bias = " + b_O" if np.any(trace.b_o != 0) else ""
    return (
        f"Output = concat · W_O{bias}: back to d_model = {trace.d_model};"
        f" {qname(trace, 0)} → {vec(trace.output[0])}."
    )
