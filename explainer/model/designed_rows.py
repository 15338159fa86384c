"""The embedding rows a shipped preset designed, by word: what a retyped word gets back.

:meth:`Document.set_tokens` passes them to :meth:`AttentionModel.set_tokens` as
``known`` rows, so that typing another sentence and then the preset's own sentence
again brings back the preset's pattern (hate → kirai), not rows from the word table.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import numpy as np

from .presets import load_preset, preset_names
from .state import frozen_copy

__all__ = ["preset_rows"]


def preset_rows(preset_name: str | None, d_model: int) -> Mapping[str, np.ndarray] | None:
    """The designed rows of shipped preset ``preset_name``, or None when there are none to give.

    None when ``preset_name`` is None or not a shipped preset, or when ``d_model``
    is not the preset's (its rows have another length). Otherwise each word of the
    preset (query sentence first, then the key sentence in cross-attention) maps to
    a read-only (m, d_model) stack: the rows of its m occurrences in order, so the
    two "the" of "the cat sat on the mat" each get their own row back.
    """
    if preset_name is None or preset_name not in preset_names():
        return None
    rows_d_model, rows = _designed(preset_name)
    return rows if rows_d_model == d_model else None


@cache
def _designed(preset_name: str) -> tuple[int, Mapping[str, np.ndarray]]:
    """Read a shipped preset once (package data does not change while the app runs)."""
    state, _name = load_preset(preset_name)
    sides = [(state.query_tokens, state.params["x_q"])]
    if state.key_tokens is not None:
        sides.append((state.key_tokens, state.params["x_kv"]))
    stacks: dict[str, list[np.ndarray]] = {}
    for tokens, x in sides:
        for token, row in zip(tokens, x, strict=True):
            stacks.setdefault(token, []).append(row)
    d_model = int(state.params["x_q"].shape[1])
    return d_model, MappingProxyType({token: frozen_copy(np.array(rows)) for token, rows in stacks.items()})
