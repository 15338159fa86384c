"""What attention should learn: target rows of α per head, from arrays or from word pairs.

:mod:`explainer.model.learn` fits W_Q and W_K to an :class:`AttentionTarget`; this
module builds and checks targets, and holds each preset's intended pattern.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..i18n import N_, _
from .attention import AttentionModel
from .state import ModelState
from .trace import Trace, causal_mask

__all__ = [
    "PRESET_PATTERNS",
    "AttentionTarget",
    "Pairs",
    "make_target",
    "merge_targets",
    "preset_target",
    "target_from_pairs",
]

# A model, its state or its trace: everything a target is checked against.
ModelLike = AttentionModel | ModelState | Trace
TokenRef = str | int
# Query → key(s) it should attend to; each by its text or by its position (from 0).
Pairs = Mapping[TokenRef, TokenRef | Sequence[TokenRef]]

# Each shipped preset's intended pattern, head → pairs, taken from the preset's own
# "description" in explainer/resources/presets/<name>.json (and DESIGN.md's list of
# classic examples for the first two). Queries the description leaves out (I, an,
# example, the first "the") have no target. Positions stand for the repeated "the".
PRESET_PATTERNS: Mapping[str, Mapping[int, Pairs]] = MappingProxyType(
    {
        # "Each English word takes most from the Japanese word it translates"
        "seed-translate": {0: {"hate": "kirai", "this": "kono", "movie": "eiga"}},
        "seed-translate-ja": {0: {"hate": "嫌い", "this": "この", "movie": "映画"}},
        "seed-translate-ko": {0: {"I": "나는", "hate": "싫어", "this": "이", "movie": "영화가"}},
        # "Aligned pairs attend most: this→kore, is→desu, example→rei"
        "seed-cross": {0: {"this": "kore", "is": "desu", "example": "rei"}},
        # "this→example, is→this, an→example"
        "seed-self": {0: {"this": "example", "is": "this", "an": "example"}},
        # "head 1 looks one word back; head 2 finds the subject, cat" (heads count from 1
        # there): the cat sat on the(4) mat.
        "seed-causal": {
            0: {"cat": 0, "sat": "cat", "on": "sat", 4: "on", "mat": 4},
            1: {"cat": "cat", "sat": "cat", "on": "cat", 4: "cat", "mat": "cat"},
        },
    }
)


@dataclass(frozen=True, eq=False)
class AttentionTarget:
    """The attention weights α that gradient descent should reach, head by head.

    Build one with :func:`make_target`, :func:`target_from_pairs` or
    :func:`preset_target`: they check it against the model.

    Attributes
    ----------
    rows : Mapping[int, numpy.ndarray]
        Head (from 0) → read-only (n_q, n_k) float64 array. A targeted row is a
        distribution over the keys (it sums to 1); an all-zero row has no target
        and is left out of the loss. Heads not in the mapping are not learned.
    """

    rows: Mapping[int, np.ndarray]

    @property
    def heads(self) -> tuple[int, ...]:
        """The heads to learn, in order."""
        return tuple(sorted(self.rows))

    def targeted(self, head: int) -> np.ndarray:
        """Which queries of ``head`` have a target: a bool per query."""
        result: np.ndarray = self.rows[head].sum(axis=1) > 0
        return result

    def is_met(self, weights: np.ndarray) -> bool:
        """Whether every targeted row's largest α (of ``weights``, shaped like
        :attr:`Trace.weights`) falls on one of its targeted keys."""
        for head, rows in self.rows.items():
            for i in np.flatnonzero(self.targeted(head)):
                if rows[i, int(np.argmax(weights[head, i]))] <= 0:
                    return False
        return True


def _tokens(source: ModelLike) -> tuple[tuple[str, ...], tuple[str, ...], bool, int]:
    """Query tokens, key tokens, causal, number of heads."""
    if isinstance(source, AttentionModel):
        source = source.state
    if isinstance(source, Trace):
        return source.query_tokens, source.key_tokens, source.causal, source.n_heads
    keys = source.query_tokens if source.key_tokens is None else source.key_tokens
    return source.query_tokens, keys, source.causal, int(source.params["w_q"].shape[0])


def make_target(source: ModelLike, rows: Mapping[int, object] | object) -> AttentionTarget:
    """Check target rows against ``source`` (a model, its state or its trace) and normalise them.

    Parameters
    ----------
    source : AttentionModel, ModelState or Trace
        The model whose attention should learn the target.
    rows : mapping of int to array-like, or array-like
        Head → (n_q, n_k) non-negative numbers, one row per query, one column per
        key. A row is divided by its sum; a row of zeros has no target. A single
        (n_q, n_k) array is for head 0; an (n_heads, n_q, n_k) array gives every
        head (a head whose rows are all zero is not learned).

    Raises
    ------
    ValueError
        A head out of range, a wrong shape, a value that is not a finite number
        ≥ 0, a masked cell (causal) given a target, or no target at all.
    """
    queries, keys, causal, n_heads = _tokens(source)
    shape = (len(queries), len(keys))
    per_head = _per_head(rows, shape, n_heads)
    hidden = causal_mask(*shape) if causal else np.zeros(shape, dtype=bool)
    checked: dict[int, np.ndarray] = {}
    for head, given in per_head.items():
        label = _("target for head {head}").format(head=head)
        if isinstance(head, bool) or not isinstance(head, (int, np.integer)) or not 0 <= head < n_heads:
            if n_heads > 1:
                text = _(
                    "target: head {head} is out of range; expected a head from 0 to {last} "
                    "(the model has {count} heads)"
                )
            else:
                text = _(
                    "target: head {head} is out of range; expected a head from 0 to {last} "
                    "(the model has {count} head)"
                )
            raise ValueError(text.format(head=repr(head), last=n_heads - 1, count=n_heads))
        array = _numbers(given, label)
        if array.shape != shape:
            raise ValueError(
                _("{label}: expected shape {shape} ({queries} queries × {keys} keys), got {given}").format(
                    label=label, shape=shape, queries=shape[0], keys=shape[1], given=array.shape
                )
            )
        if not np.all(np.isfinite(array)):
            i, j = np.argwhere(~np.isfinite(array))[0]
            raise ValueError(
                _("{label}: α({query}, {key}) = {value}: expected a finite number").format(
                    label=label, query=queries[i], key=keys[j], value=array[i, j]
                )
            )
        if np.any(array < 0):
            i, j = np.argwhere(array < 0)[0]
            raise ValueError(
                _("{label}: α({query}, {key}) = {value}: a target cannot be negative").format(
                    label=label, query=queries[i], key=keys[j], value=f"{array[i, j]:g}"
                )
            )
        if np.any(array[hidden] > 0):
            i, j = np.argwhere(hidden & (array > 0))[0]
            raise ValueError(
                _(
                    "α({query}, {key}) is masked: a query cannot attend to a later key "
                    "(head {head}, query {i}, key {j}, counted from 1 as the app shows them)"
                ).format(query=queries[i], key=keys[j], head=head + 1, i=i + 1, j=j + 1)
            )
        sums = array.sum(axis=1, keepdims=True)
        if not np.any(sums > 0):
            continue
        normalised = np.divide(array, sums, out=np.zeros_like(array), where=sums > 0)
        normalised.flags.writeable = False
        checked[int(head)] = normalised
    if not checked:
        raise ValueError(_("target: no query has a target; give at least one query a key to attend to"))
    return AttentionTarget(MappingProxyType(checked))


def _per_head(rows: Mapping[int, object] | object, shape: tuple[int, int], n_heads: int) -> dict[int, object]:
    if isinstance(rows, Mapping):
        return dict(rows)
    array = _numbers(rows, "target")
    if array.ndim == 2:
        return {0: array}
    if array.ndim == 3 and array.shape[0] == n_heads:
        return {head: array[head] for head in range(n_heads)}
    raise ValueError(
        _(
            "target: expected an array of shape {shape}, or {every} for every head, "
            "or a mapping of head to such arrays; got shape {given}"
        ).format(shape=shape, every=(n_heads, *shape), given=array.shape)
    )


def _numbers(value: object, label: str) -> np.ndarray:
    try:
        given = np.asarray(value)
        if given.dtype.kind in "iuf":
            return np.array(given, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        pass
    text = repr(value)
    raise ValueError(
        _("{label}: expected an array of numbers, got {value}").format(label=label, value=text[:60])
    )


def target_from_pairs(source: ModelLike, pairs: Pairs, *, head: int = 0) -> AttentionTarget:
    """A target for ``head`` from query → key pairs: ``{"hate": "kirai", "this": "kono"}``.

    A token is given by its text or, where a word repeats ("the cat sat on the mat"),
    by its position counted from 0. A query may list several keys: its target is then
    shared equally among them. Queries not named have no target.

    Raises
    ------
    ValueError
        A token that is not in the sentence (the message lists the sentence), a
        repeated word given by its text, a position out of range, or any error of
        :func:`make_target` (a masked pair, a head out of range).
    """
    queries, keys, _causal, _n_heads = _tokens(source)
    if not isinstance(pairs, Mapping):
        raise ValueError(
            _("pairs: expected a mapping of query token to key token(s), got {value}").format(
                value=f"{pairs!r:.60}"
            )
        )
    rows = np.zeros((len(queries), len(keys)))
    for query, wanted in pairs.items():
        i = _position(queries, query, "query")
        chosen: Sequence[object] = (
            wanted if isinstance(wanted, Sequence) and not isinstance(wanted, str) else [wanted]
        )
        for key in chosen:
            rows[i, _position(keys, key, "key")] = 1.0
    return make_target(source, {head: rows})


# One whole sentence per side and problem (the word order differs between languages).
_SENTENCES = {
    "query": {
        "range": N_("query position {position} is out of range: expected 0 to {last} ({sentence})"),
        "type": N_("query {token}: expected a token (text) or its position (a whole number)"),
        "repeated": N_(
            "query token {token} occurs {count} times (positions {positions}): give its position instead"
        ),
    },
    "key": {
        "range": N_("key position {position} is out of range: expected 0 to {last} ({sentence})"),
        "type": N_("key {token}: expected a token (text) or its position (a whole number)"),
        "repeated": N_(
            "key token {token} occurs {count} times (positions {positions}): give its position instead"
        ),
    },
}


def _position(tokens: tuple[str, ...], token: object, side: str) -> int:
    """Where ``token`` (its text, or a position) is among ``tokens``."""
    sentence = ", ".join(tokens)
    if isinstance(token, (int, np.integer)) and not isinstance(token, bool):
        if not 0 <= token < len(tokens):
            raise ValueError(
                _(_SENTENCES[side]["range"]).format(position=token, last=len(tokens) - 1, sentence=sentence)
            )
        return int(token)
    if not isinstance(token, str):
        raise ValueError(_(_SENTENCES[side]["type"]).format(token=repr(token)))
    found = [i for i, t in enumerate(tokens) if t == token.strip()]
    if not found:
        close = difflib.get_close_matches(token, tokens, n=1)
        if side == "query":
            text = _("unknown query token {token}: the query tokens are {sentence}")
        else:
            text = _("unknown key token {token}: the key tokens are {sentence}")
        hint = _("; did you mean {word}?").format(word=repr(close[0])) if close else ""
        raise ValueError(text.format(token=repr(token), sentence=sentence) + hint)
    if len(found) > 1:
        where = functools.reduce(lambda a, b: _("{a} and {b}").format(a=a, b=b), (str(i) for i in found))
        raise ValueError(
            _(_SENTENCES[side]["repeated"]).format(token=repr(token), count=len(found), positions=where)
        )
    return found[0]


def merge_targets(*targets: AttentionTarget) -> AttentionTarget:
    """One target from targets for different heads (each head at most once)."""
    rows: dict[int, np.ndarray] = {}
    for target in targets:
        for head, array in target.rows.items():
            if head in rows:
                raise ValueError(
                    _("merge_targets: head {head} has two targets; give each head one").format(head=head)
                )
            rows[head] = array
    if not rows:
        raise ValueError(_("merge_targets: expected at least one target"))
    return AttentionTarget(MappingProxyType(rows))


def preset_target(source: ModelLike, preset: str) -> AttentionTarget:
    """The pattern shipped preset ``preset`` was built to show (:data:`PRESET_PATTERNS`).

    ``source`` is the model to learn it; its sentences must hold the preset's words.
    """
    if preset not in PRESET_PATTERNS:
        raise ValueError(
            _("no intended pattern for {preset}; expected one of {names}").format(
                preset=repr(preset), names=", ".join(sorted(PRESET_PATTERNS))
            )
        )
    return merge_targets(
        *(target_from_pairs(source, pairs, head=head) for head, pairs in PRESET_PATTERNS[preset].items())
    )
