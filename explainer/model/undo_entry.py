"""An undo entry: an earlier state kept as what it takes to rebuild it from the state after it.

A weight edit changes one cell; keeping the whole earlier array (8 MB for W_Q at
the model limits) for every undo step would fill the undo budget in some 30
edits and make every edit claim fresh memory. An entry keeps the cells that
differ instead, and whole arrays only where most of them changed (a new seed,
new sizes, a learning run).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .state import CellEdit, ModelState

# Beyond this share of changed cells, the whole earlier array is cheaper to keep
# (a cell costs its index and its number: twice a number).
CELLS_SHARE = 0.25


@dataclass(frozen=True, eq=False)
class Cells:
    """The positions (in the flattened array) where two arrays differ, and the earlier numbers there."""

    positions: np.ndarray
    numbers: np.ndarray

    @property
    def nbytes(self) -> int:
        return int(self.positions.nbytes + self.numbers.nbytes)


@dataclass(frozen=True, eq=False)
class UndoEntry:
    """``earlier``'s tokens, options and seed, with ``params`` holding only the arrays kept whole."""

    earlier: ModelState
    cells: Mapping[str, Cells]
    nbytes: int


def record(earlier: ModelState, later: ModelState, edit: CellEdit | None = None) -> UndoEntry:
    """What rebuilds ``earlier`` from ``later`` (see :func:`rebuild`).

    ``edit``: the model's word that ``later`` is ``earlier`` with one cell set
    (:attr:`AttentionModel.last_edit`); then nothing is searched (8 MB at the limits).
    """
    if edit is not None and _only(edit, earlier, later):
        position = np.ravel_multi_index(edit.cell, edit.replaced.shape)
        cell = Cells(np.array([position]), edit.replaced.reshape(-1)[[position]])
        kept = dataclasses.replace(earlier, params=MappingProxyType({}))
        return UndoEntry(kept, MappingProxyType({edit.name: cell}), cell.nbytes)
    whole: dict[str, np.ndarray] = {}
    cells: dict[str, Cells] = {}
    for name, array in earlier.params.items():
        now = later.params.get(name)
        if now is array or (name == "x_kv" and earlier.self_attention):
            continue  # shared; or x_q itself
        if now is None or now.shape != array.shape:
            whole[name] = array
            continue
        # Compared bit for bit: -0.0 and 0.0 are different numbers to bring back.
        positions = np.flatnonzero(array.view(np.int64) != now.view(np.int64))
        if len(positions) > CELLS_SHARE * array.size:
            whole[name] = array
        elif len(positions):
            cells[name] = Cells(positions, array.reshape(-1)[positions])
    kept = dataclasses.replace(earlier, params=MappingProxyType(whole))
    nbytes = sum(a.nbytes for a in whole.values()) + sum(c.nbytes for c in cells.values())
    return UndoEntry(kept, MappingProxyType(cells), nbytes)


def _only(edit: CellEdit, earlier: ModelState, later: ModelState) -> bool:
    """Whether ``edit`` is all that tells ``later``'s parameters from ``earlier``'s."""
    replaced, now = earlier.params.get(edit.name), later.params[edit.name]
    if replaced is not edit.replaced or now.shape != replaced.shape:
        return False
    alias = "x_kv" if earlier.self_attention else None  # x_q itself
    others = [name for name in earlier.params if name not in (edit.name, alias)]
    return all(earlier.params[name] is later.params[name] for name in others)


def rebuild(entry: UndoEntry, later: ModelState) -> ModelState:
    """The earlier state of ``entry``, from ``later``: the state it was recorded against (or an equal one)."""
    params: dict[str, np.ndarray] = {}
    for name, now in later.params.items():
        if name in entry.earlier.params:
            params[name] = entry.earlier.params[name]
        elif name in entry.cells:
            changed = entry.cells[name]
            array = now.copy()
            array.reshape(-1)[changed.positions] = changed.numbers
            array.flags.writeable = False
            params[name] = array
        else:
            params[name] = now
    if entry.earlier.self_attention:
        params["x_kv"] = params["x_q"]
    return dataclasses.replace(entry.earlier, params=MappingProxyType(params))
