"""The words captions use: token names, the kind of attention, which keys a query may see."""

from __future__ import annotations

import numpy as np

from explainer.i18n import _
from explainer.model import Trace

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
NAMED = 3  # up to this many masked keys are named; more are counted
SENTENCE_WORDS = 8  # a longer sentence is quoted by its ends and its length
KINDS = {"cross": "cross-attention", "self": "self-attention", "causal": "causal self-attention"}


def _named(tokens: tuple[str, ...], index: int | np.integer) -> str:
    """A token's name; a repeated token gets its 1-based position (the₁, the₅)."""
    token = tokens[index]
    return token + str(int(index) + 1).translate(SUBSCRIPTS) if tokens.count(token) > 1 else token


def qname(trace: Trace, index: int | np.integer) -> str:
    return _named(trace.query_tokens, index)


def kname(trace: Trace, index: int | np.integer) -> str:
    return _named(trace.key_tokens, index)


def quoted(text: str) -> str:
    return f"“{text}”"


def head_prefix(trace: Trace, head: int | None) -> str:
    return _("Head {n}: ").format(n=head + 1) if head is not None and trace.n_heads > 1 else ""


def sentence(tokens: tuple[str, ...]) -> str:
    """The sentence in quotes; a long one by its first and last words and its length."""
    if len(tokens) <= SENTENCE_WORDS:
        return quoted(" ".join(tokens))
    return _("{sentence} ({n} words)").format(
        sentence=quoted(" ".join(tokens[:5]) + " … " + tokens[-1]), n=len(tokens)
    )


def kind(trace: Trace) -> str:
    """'cross-attention', 'self-attention' or 'causal self-attention'."""
    return KINDS[trace.mode]


def visible(trace: Trace, query: int) -> list[int]:
    """The keys ``query`` may look at (all of them unless a mask hides some)."""
    return [int(j) for j in np.flatnonzero(~trace.mask[query])]


def hidden(trace: Trace, query: int) -> list[int]:
    return [int(j) for j in np.flatnonzero(trace.mask[query])]


def telling(trace: Trace) -> np.ndarray:
    """Cells worth quoting as an example: visible, in a row that sees at least two keys if any row does.

    A row that sees one key only (the first word under a causal mask) gives it
    weight 1 whatever the scores: a true but uninformative example.
    """
    seen = ~trace.mask
    several = seen & (seen.sum(axis=1, keepdims=True) >= 2)
    return np.asarray(several if several.any() else seen)


def scale_example(trace: Trace, head: int) -> tuple[int, int]:
    """The cell the scale step quotes: the largest visible score (in a row that sees two keys or more).

    The softmax captions of the same cell say what the scaling changed.
    """
    scores = np.where(telling(trace), trace.scores[head], -np.inf)
    i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return int(i), int(j)


def unscaled(trace: Trace, head: int, query: int, key: int) -> str:
    """α(query, key) without the 1/√d_k scaling ('0.97'), for the scale step's example cell; else ''."""
    if not trace.scale or (query, key) != scale_example(trace, head) or (~trace.mask[query]).sum() < 2:
        return ""
    row = np.where(trace.mask[query], -np.inf, trace.scores[head, query])
    weights = np.exp(row - row.max())
    return f"{weights[key] / weights.sum():.2f}"


def names(words: list[str]) -> str:
    """'“a”', '“a” and “b”', '“a”, “b” and “c”'."""
    quoted_words = [quoted(w) for w in words]
    if len(quoted_words) == 1:
        return quoted_words[0]
    return _("{words} and {last}").format(words=", ".join(quoted_words[:-1]), last=quoted_words[-1])


def masked_keys(trace: Trace, query: int) -> str:
    """'“mat” comes later and is masked' / 'the 4 later keys are masked'; '' when none is.

    A clause on its own, so a caption can hold it in parentheses in any language.
    """
    keys = hidden(trace, query)
    if not keys:
        return ""
    later = trace.causal
    if len(keys) > NAMED:
        text = _("the {n} later keys are masked") if later else _("the {n} keys are masked")
        return text.format(n=len(keys))
    if len(keys) == 1:
        text = _("{words} comes later and is masked") if later else _("{words} is masked")
    else:
        text = _("{words} come later and are masked") if later else _("{words} are masked")
    return text.format(words=names([kname(trace, j) for j in keys]))
