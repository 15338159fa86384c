"""Rows for new tokens (:meth:`AttentionModel.set_tokens`): kept, known or drawn; ``known`` checked."""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Mapping, Sequence

import numpy as np

from ..i18n import _
from . import limits
from .state import token_embedding

__all__ = ["checked_known", "embed_rows", "rows_by_word"]


def rows_by_word(tokens: Sequence[str], rows: np.ndarray) -> dict[str, list[np.ndarray]]:
    """Each word's rows, in the order the word occurs."""
    result: dict[str, list[np.ndarray]] = {}
    for token, row in zip(tokens, rows, strict=True):
        result.setdefault(token, []).append(row)
    return result


def checked_known(known: Mapping[str, np.ndarray] | None, d_model: int) -> dict[str, np.ndarray]:
    """``known`` as (m, d_model) float64 stacks; ValueError naming the word for a bad value."""
    result: dict[str, np.ndarray] = {}
    for token, value in (known or {}).items():
        name = f"known[{token!r}]"
        try:
            given = np.asarray(value)
            stack = np.array(given, dtype=np.float64, ndmin=2) if given.dtype.kind in "iuf" else None
        except (TypeError, ValueError, OverflowError):
            stack = None
        if stack is None or stack.ndim != 2 or stack.shape[0] == 0 or stack.shape[1] != d_model:
            raise ValueError(
                _("{name}: expected a row of {count} numbers or a stack of such rows, got {value}").format(
                    name=name, count=d_model, value=reprlib.repr(value)
                )
            )
        limits.check_array(name, stack)
        result[token] = stack
    return result


def embed_rows(
    tokens: tuple[str, ...],
    same_side: tuple[tuple[str, ...], np.ndarray],
    other_side: tuple[tuple[str, ...], np.ndarray],
    known: Mapping[str, np.ndarray],
    d_model: int,
    seed: int,
) -> np.ndarray:
    """Rows for ``tokens``, in the order of :meth:`AttentionModel.set_tokens`'s docstring."""
    old_tokens, old_rows = same_side
    rows: list[np.ndarray | None] = [None] * len(tokens)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=tokens, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        rows[b : b + size] = list(old_rows[a : a + size])
    same, other = rows_by_word(old_tokens, old_rows), rows_by_word(*other_side)
    occurrence: dict[str, int] = {}
    for position, token in enumerate(tokens):
        k = occurrence[token] = occurrence.get(token, -1) + 1
        if rows[position] is not None:
            continue
        mine, designed, theirs = same.get(token, []), known.get(token), other.get(token, [])
        if k < len(mine):
            rows[position] = mine[k]
        elif designed is not None and k < len(designed):
            rows[position] = designed[k]
        elif mine or theirs:
            rows[position] = mine[-1] if mine else theirs[min(k, len(theirs) - 1)]
        elif designed is not None:
            rows[position] = designed[-1]
        else:
            rows[position] = token_embedding(token, d_model, seed)
    return np.array(rows)
