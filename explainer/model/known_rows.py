"""Rows for known words: :meth:`AttentionModel.set_tokens`'s ``known`` checked, old rows grouped by word."""

from __future__ import annotations

import reprlib
from collections.abc import Mapping, Sequence

import numpy as np

from ..i18n import _
from . import limits

__all__ = ["checked_known", "rows_by_word"]


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
