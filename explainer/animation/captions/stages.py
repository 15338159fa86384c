"""Captions of the whole-matrix stages: embeddings, projections, scale, mask, concat, W_O."""

from __future__ import annotations

import math

import numpy as np

from explainer.model import Trace

from .printed import DIGITS, TRIES, agrees, num, result, value, vec
from .words import head_prefix, kind, kname, qname, quoted, scale_example, sentence

ROLES = {"q": "query, what it looks for", "k": "key, what it offers", "v": "value, what it passes on"}


def embed(trace: Trace) -> str:
    """The first caption: which kind of attention this is, and what queries, keys and values are for."""
    queries = sentence(trace.query_tokens)
    if trace.mode == "cross":
        who = (
            f"Cross-attention: the decoder's words {queries} ask (queries),"
            f" the encoder's words {sentence(trace.key_tokens)} answer (keys and values)."
        )
    elif trace.mode == "causal":
        who = (
            f"Causal self-attention, as in a decoder-only model: each word of {queries}"
            " looks at itself and the words before it."
        )
    else:
        who = f"Self-attention: the words of {queries} are queries, keys and values at once."
    assert kind(trace).capitalize() in who
    return (
        f"{who} A query is what a word looks for, a key what a word offers, a value what it passes on."
        f" Each word is a row of X (d_model = {trace.d_model}): x_{qname(trace, 0)} = {vec(trace.x_q[0])}."
    )


def project(trace: Trace, which: str, head: int) -> str:
    """Q = X · W_Q: each word's row times W_Q gives its query, what it looks for."""
    letter = which.upper()
    source = "X" if trace.self_attention else ("X_q" if which == "q" else "X_kv")
    side = "" if trace.self_attention else ("decoder " if which == "q" else "encoder ")
    name = qname(trace, 0) if which == "q" else kname(trace, 0)
    bias = f" + b_{letter}" if np.any(getattr(trace, f"b_{which}")[head] != 0) else ""
    text = (
        f"{head_prefix(trace, head)}{letter} = {source} · W_{letter}{bias}: each {side}word's row of {source}"
        f" times W_{letter} gives its {ROLES[which]}: {which}_{name} = {vec(getattr(trace, which)[head, 0])}."
    )
    if which == "q" and head == 0:
        text += " (Texts with column vectors write q = W_Q · x: the same, transposed.)"
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
    text = (
        f"{head_prefix(trace, head)}Scale: divide every score by √d_k = √{trace.d_k} = {root}."
        " Dot products grow with d_k, and large scores push softmax towards one-hot"
        " (all the weight on one key):"
        f" score({qname(trace, i)}, {kname(trace, j)}) = {score} → {score} / {root}"
        f" {result(num(value(score) / value(root), places), scaled_score, ok)}"
    )
    return f"{text}; every gap between two scores shrinks by the same factor."


def mask(trace: Trace, head: int) -> str:
    """The causal mask, and why a decoder needs it."""
    return (
        f"{head_prefix(trace, head)}Causal mask: when a decoder generates text,"
        " the later words do not exist yet, so a word may look only at itself and the words before it:"
        f" the {int(trace.mask.sum())} cells where the key comes after the query become −∞,"
        " and softmax gives them weight 0."
    )


def concat_heads(trace: Trace) -> str:
    first = qname(trace, 0)
    return (
        f"Concatenate the {trace.n_heads} heads' head outputs side by side:"
        f" {len(trace.query_tokens)} × {trace.n_heads * trace.d_v} ({trace.n_heads} × d_v = {trace.d_v}"
        f" numbers per word); {quoted(first)} → {vec(trace.concat[0])}."
    )


def output_projection(trace: Trace) -> str:
    bias = " + b_O" if np.any(trace.b_o != 0) else ""
    return (
        f"Output = concat · W_O{bias}: W_O mixes the heads and brings each word back"
        f" to d_model = {trace.d_model};"
        f" output of {quoted(qname(trace, 0))} = {vec(trace.output[0])}."
    )
