"""Captions of the whole-matrix stages: embeddings, projections, scale, mask, concat, W_O."""

from __future__ import annotations

import math

import numpy as np

from explainer.i18n import N_, _
from explainer.model import Trace

from .printed import DIGITS, TRIES, agrees, num, result, value, vec
from .words import head_prefix, kname, qname, scale_example, sentence

# One whole sentence per projection, in self-attention and in cross-attention (decoder / encoder side).
PROJECTIONS = {
    ("q", True): N_(
        "Q = X · W_Q{bias}: each word's row of X times W_Q gives its query, what it looks for:"
        " q_{name} = {vector}."
    ),
    ("k", True): N_(
        "K = X · W_K{bias}: each word's row of X times W_K gives its key, what it offers:"
        " k_{name} = {vector}."
    ),
    ("v", True): N_(
        "V = X · W_V{bias}: each word's row of X times W_V gives its value, what it passes on:"
        " v_{name} = {vector}."
    ),
    ("q", False): N_(
        "Q = X_q · W_Q{bias}: each decoder word's row of X_q times W_Q gives its query, what it looks for:"
        " q_{name} = {vector}."
    ),
    ("k", False): N_(
        "K = X_kv · W_K{bias}: each encoder word's row of X_kv times W_K gives its key, what it offers:"
        " k_{name} = {vector}."
    ),
    ("v", False): N_(
        "V = X_kv · W_V{bias}: each encoder word's row of X_kv times W_V gives its value, what it passes on:"
        " v_{name} = {vector}."
    ),
}


def embed(trace: Trace) -> str:
    """The first caption: which kind of attention this is, and what queries, keys and values are for."""
    queries = sentence(trace.query_tokens)
    if trace.mode == "cross":
        who = _(
            "Cross-attention: the decoder's words {queries} ask (queries),"
            " the encoder's words {keys} answer (keys and values)."
        ).format(queries=queries, keys=sentence(trace.key_tokens))
    elif trace.mode == "causal":
        who = _(
            "Causal self-attention, as in a decoder-only model: each word of {queries}"
            " looks at itself and the words before it."
        ).format(queries=queries)
    else:
        who = _("Self-attention: the words of {queries} are queries, keys and values at once.").format(
            queries=queries
        )
    roles = _("A query is what a word looks for, a key what a word offers, a value what it passes on.")
    row = _("Each word is a row of X (d_model = {d_model}): x_{name} = {vector}.").format(
        d_model=trace.d_model, name=qname(trace, 0), vector=vec(trace.x_q[0])
    )
    return f"{who} {roles} {row}"


def project(trace: Trace, which: str, head: int) -> str:
    """Q = X · W_Q: each word's row times W_Q gives its query, what it looks for."""
    name = qname(trace, 0) if which == "q" else kname(trace, 0)
    bias = f" + b_{which.upper()}" if np.any(getattr(trace, f"b_{which}")[head] != 0) else ""
    text = head_prefix(trace, head) + _(PROJECTIONS[which, trace.self_attention]).format(
        bias=bias, name=name, vector=vec(getattr(trace, which)[head, 0])
    )
    if which == "q" and head == 0:
        text += " " + _("(Texts with column vectors write q = W_Q · x: the same, transposed.)")
    return text


def scale(trace: Trace, head: int) -> str:
    """Divide by √d_k, and why, with the largest visible score before and after.

    Its weight with and without the scaling is said at the softmax step, which computes it.
    """
    i, j = scale_example(trace, head)
    for digits, places in TRIES:
        scaled_score = num(float(trace.scaled[head, i, j]), places)
        for root_digits in DIGITS:
            root, score = num(math.sqrt(trace.d_k), root_digits), num(float(trace.scores[head, i, j]), digits)
            ok = agrees(value(score) / value(root), scaled_score)
            if ok:
                break
        if ok:
            break
    else:  # ≈: the true scaled score and what the printed numbers give, both to two decimals
        places, scaled_score = 2, num(float(trace.scaled[head, i, j]))
    text = _(
        "Scale: divide every score by √d_k = √{d_k} = {root}."
        " Dot products grow with d_k, and large scores push softmax towards one-hot"
        " (all the weight on one key):"
        " score({query}, {key}) = {score} → {score} / {root} {result};"
        " every gap between two scores shrinks by the same factor."
    )
    return head_prefix(trace, head) + text.format(
        d_k=trace.d_k,
        root=root,
        query=qname(trace, i),
        key=kname(trace, j),
        score=score,
        result=result(num(value(score) / value(root), places), scaled_score, ok),
    )


def mask(trace: Trace, head: int) -> str:
    """The causal mask, and why a decoder needs it."""
    return head_prefix(trace, head) + _(
        "Causal mask: when a decoder generates text,"
        " the later words do not exist yet, so a word may look only at itself and the words before it:"
        " the {count} cells where the key comes after the query become −∞,"
        " and softmax gives them weight 0."
    ).format(count=int(trace.mask.sum()))


def concat_heads(trace: Trace) -> str:
    return _(
        "Concatenate the {n_heads} heads' head outputs side by side:"
        " {n_q} × {width} ({n_heads} × d_v = {d_v} numbers per word); “{word}” → {vector}."
    ).format(
        n_heads=trace.n_heads,
        n_q=len(trace.query_tokens),
        width=trace.n_heads * trace.d_v,
        d_v=trace.d_v,
        word=qname(trace, 0),
        vector=vec(trace.concat[0]),
    )


def output_projection(trace: Trace) -> str:
    bias = " + b_O" if np.any(trace.b_o != 0) else ""
    return _(
        "Output = concat · W_O{bias}: W_O mixes the heads and brings each word back"
        " to d_model = {d_model}; output of “{word}” = {vector}."
    ).format(bias=bias, d_model=trace.d_model, word=qname(trace, 0), vector=vec(trace.output[0]))
