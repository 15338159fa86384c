"""The cells of α the lecturer asked for, head by head: what the Learn dock learns and α flags.

Qt-free on purpose (NumPy and psygnal): the model layer's :func:`make_target`
checks every cell, so a masked cell is refused with the model's own message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Protocol

import numpy as np
from psygnal import Signal

from explainer.i18n import _
from explainer.model import AttentionModel, AttentionTarget, make_target

Layout = tuple[int, tuple[str, ...], tuple[str, ...]]  # heads, query tokens, key tokens


class TargetCells:
    """Which (query, key) cells of each head's α should carry the weight.

    ``changed`` emits whenever the cells change. A query with several targeted
    keys shares its target equally among them (as :func:`make_target` does).
    """

    changed = Signal()

    def __init__(self, model: AttentionModel) -> None:
        self.model = model
        self._layout = _layout_of(model)
        self._cells: dict[int, np.ndarray] = {}

    # ------------------------------------------------------------ reading
    @property
    def cells(self) -> Mapping[int, np.ndarray]:
        """Head → read-only (n_q, n_k) bool array; heads without a target are absent."""
        return MappingProxyType(self._cells)

    def heads(self) -> tuple[int, ...]:
        return tuple(sorted(self._cells))

    def count(self, heads: Iterable[int] | None = None) -> int:
        """How many cells are targeted (on ``heads``, or on all)."""
        chosen = self._cells if heads is None else {h: self._cells[h] for h in heads if h in self._cells}
        return sum(int(cells.sum()) for cells in chosen.values())

    def target(self, heads: Iterable[int] | None = None) -> AttentionTarget | None:
        """The target to learn: the cells of ``heads`` (all heads when None); None when there are none."""
        chosen = self.heads() if heads is None else tuple(h for h in heads if h in self._cells)
        if not chosen:
            return None
        return make_target(self.model, {h: self._cells[h].astype(float) for h in chosen})

    # ------------------------------------------------------------ editing
    def toggle(self, head: int, query: int, key: int) -> str:
        """Target the cell, or untarget it if it was; returns what happened, in words.

        Raises
        ------
        ValueError
            The model's message when the cell cannot be a target (a masked cell).
        """
        n_heads, queries, keys = self._layout
        n_q, n_k = len(queries), len(keys)
        if not (0 <= head < n_heads and 0 <= query < n_q and 0 <= key < n_k):
            raise ValueError(
                _("no cell α({query}, {key}) in head {head} of this model").format(
                    query=query + 1, key=key + 1, head=head + 1
                )
            )
        cells = self._cells.get(head, np.zeros((n_q, n_k), dtype=bool)).copy()
        cells[query, key] = not cells[query, key]
        if cells[query, key]:
            make_target(self.model, {head: cells.astype(float)})  # the model's checks, its message
        self._store(head, cells)
        q, k = queries[query], keys[key]
        where = _(" (head {head})").format(head=head + 1) if n_heads > 1 else ""
        if cells[query, key]:
            shared = int(cells[query].sum())
            also = ""
            if shared > 2:
                also = _(", shared with {n} other keys").format(n=shared - 1)
            elif shared == 2:
                also = _(", shared with 1 other key")
            return _("Target: “{query}” should attend to “{key}”{where}{also}").format(
                query=q, key=k, where=where, also=also
            )
        return _("Target removed: “{query}” → “{key}”{where}").format(query=q, key=k, where=where)

    def set_target(self, target: AttentionTarget) -> None:
        """Replace every cell with ``target``'s (a preset's intended pattern)."""
        self._cells = {}
        for head, rows in target.rows.items():
            self._store(head, np.asarray(rows) > 0, emit=False)
        self.changed.emit()

    def clear(self) -> None:
        if self._cells:
            self._cells = {}
            self.changed.emit()

    def follow_model(self) -> str:
        """Keep the cells valid after a model edit; returns what was dropped, in words ('' if nothing).

        New sentences or heads: the old cells mean nothing, all go. A mask
        switched on: the cells it hides go.
        """
        layout = _layout_of(self.model)
        if layout != self._layout:
            self._layout = layout
            if self._cells:
                self._cells = {}
                self.changed.emit()
                return _("the sentences or heads changed, so the target was cleared")
            return ""
        mask = self.model.trace.mask
        hidden = [h for h, cells in self._cells.items() if np.any(cells & mask)]
        for head in hidden:
            self._store(head, self._cells[head] & ~mask, emit=False)
        if hidden:
            self.changed.emit()
            return _("the causal mask hides some targeted cells: they were removed")
        return ""

    def _store(self, head: int, cells: np.ndarray, emit: bool = True) -> None:
        if cells.any():
            frozen = cells.copy()
            frozen.flags.writeable = False
            self._cells[head] = frozen
        else:
            self._cells.pop(head, None)
        if emit:
            self.changed.emit()


def _layout_of(model: AttentionModel) -> Layout:
    return model.n_heads, tuple(model.query_tokens), tuple(model.key_tokens)


def pairs_text(model: AttentionModel, cells: Mapping[int, np.ndarray]) -> str:
    """``hate → kirai, this → kono`` for the targeted ``cells`` (heads from 1 when there are several)."""
    parts = []
    for head, chosen in sorted(cells.items()):
        pairs = ", ".join(
            f"{model.query_tokens[i]} → {model.key_tokens[j]}" for i, j in np.argwhere(chosen).tolist()
        )
        parts.append(
            _("head {head}: {pairs}").format(head=head + 1, pairs=pairs) if model.n_heads > 1 else pairs
        )
    return "; ".join(parts)


class TargetView(Protocol):
    """The α matrix's side of learning (the softmax panel): it flags the targets and picks them."""

    def show_targets(self, cells: Mapping[int, np.ndarray]) -> None: ...

    def pick_targets(self, picker: Callable[[int, int, int], None] | None) -> None: ...
