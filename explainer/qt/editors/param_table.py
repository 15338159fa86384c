"""A Qt table model over one 2-D slice of one model parameter."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from explainer.i18n import N_, _
from explainer.model import MAX_ABS_VALUE, AttentionModel

AnyIndex = QModelIndex | QPersistentModelIndex

DECIMALS = 3
CELL_HINT = N_(
    "Type or double-click to edit · drag up/down to scrub (Shift: finer) · wheel: ±0.05 (Shift: ±0.01)"
)

# What the user reads: the names in the captions, not the Python attribute names.
TITLES = {
    "x_q": "X_q",
    "x_kv": "X_kv",
    "w_q": "W_Q",
    "w_k": "W_K",
    "w_v": "W_V",
    "w_o": "W_O",
    "b_q": "b_Q",
    "b_k": "b_K",
    "b_v": "b_V",
    "b_o": "b_O",
}

BIASES = ("b_q", "b_k", "b_v")  # one row per head


def parse_number(text: str, label: str) -> float:
    """``text`` as a finite float within the model's limit, or ValueError naming ``label``."""
    cleaned = text.strip().replace("\u2212", "-")  # a pasted typographic minus is still a minus
    try:
        number = float(cleaned)
    except ValueError:
        number = math.nan
    if not cleaned or not math.isfinite(number):
        raise ValueError(
            _("{label}: expected a finite number, got {text}").format(label=label, text=repr(text))
        )
    if abs(number) > MAX_ABS_VALUE:
        raise ValueError(
            _("{label}: |value| must be at most {limit}, got {text}").format(
                label=label, limit=f"{MAX_ABS_VALUE:g}", text=repr(text)
            )
        )
    return number


@lru_cache(maxsize=8)
def counted_from_one(rows: int) -> tuple[str, ...]:
    """Row numbers "1" … "rows": one tuple per size, not 1,024 new strings on every edit."""
    return tuple(str(r + 1) for r in range(rows))


class ParamTableModel(QAbstractTableModel):
    """Rows and columns of ``model.params[name]``; for a per-head weight, of one head.

    Parameters
    ----------
    model : AttentionModel
        Where the numbers live; edits go through ``model.set_value``.
    name : str
        Parameter name, e.g. ``"w_q"``. 3-D weights show head :attr:`head`;
        ``b_o`` (1-D) shows as one row.
    parent : QObject, optional
        Qt owner.

    Notes
    -----
    ``refused(str)`` carries the message for text or values that were not
    applied; ``applied()`` fires after a successful edit. Call :meth:`refresh`
    when the model changed; the table never reads a stale copy of the numbers.
    """

    refused = Signal(str)
    applied = Signal()

    def __init__(self, model: AttentionModel, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model, self.name = model, name
        self._head = 0
        self._shape = self._slice().shape
        self._rows_labels = self._row_labels()
        self._shown: tuple[np.ndarray, int] | None = None  # the array and head the cells last showed

    # ------------------------------------------------------------ addressing
    @property
    def head(self) -> int:
        return self._head

    def set_head(self, head: int) -> None:
        """Show another head of a 3-D weight (ignored for the others)."""
        head = max(0, min(head, self.model.n_heads - 1))
        if head != self._head:
            self._head = head
            self.refresh()

    @property
    def per_head(self) -> bool:
        return self.model.params[self.name].ndim == 3

    def _slice(self) -> np.ndarray:
        array = self.model.params[self.name]
        if array.ndim == 3:
            return np.asarray(array[min(self._head, array.shape[0] - 1)])
        return array if array.ndim == 2 else array[np.newaxis, :]

    def cell(self, row: int, column: int) -> tuple[int, ...]:
        """The full index into the parameter for a table cell."""
        ndim = self.model.params[self.name].ndim
        if ndim == 3:
            return (self._head, row, column)
        return (row, column) if ndim == 2 else (column,)

    def title(self) -> str:
        """``W_Q`` or, with several heads, ``W_Q (head 2)`` (heads counted from 1, as the panels do)."""
        title = TITLES.get(self.name, self.name)
        return (
            _("{title} (head {head})").format(title=title, head=self._head + 1)
            if self.per_head and self.model.n_heads > 1
            else title
        )

    def label(self, row: int, column: int) -> str:
        """How tooltips and messages name a cell, counted from 1 as the headers are.

        ``W_Q row 1, column 3``; ``X_q row 2 (hate), column 1``; ``b_Q head 1, column 2``;
        ``b_O column 4``. Words, not ``[0, 2]``: that reads as Python's 0-based indexing.
        """
        column_text = _("column {n}").format(n=column + 1)
        if self.model.params[self.name].ndim == 1:
            return f"{self.title()} {column_text}"
        if self.name in BIASES:
            row_text = _("head {head}").format(head=row + 1)
        elif self.name in ("x_q", "x_kv") and 0 <= row < len(self._rows_labels):
            row_text = _("row {n} ({token})").format(n=row + 1, token=self._rows_labels[row])
        else:
            row_text = _("row {n}").format(n=row + 1)
        return f"{self.title()} {row_text}, {column_text}"

    def value(self, row: int, column: int) -> float:
        return float(self._slice()[row, column])

    # ------------------------------------------------------------ editing
    def apply(self, row: int, column: int, value: float) -> bool:
        """Set one cell in the model; a refused value is reported, not raised."""
        try:
            self.model.set_value(self.name, self.cell(row, column), value)
        except ValueError as error:
            self.refused.emit(str(error))
            return False
        self.applied.emit()
        return True

    def apply_text(self, row: int, column: int, text: str) -> bool:
        """Parse typed text and apply it; bad text leaves the model as it was."""
        try:
            number = parse_number(text, self.label(row, column))
        except ValueError as error:
            self.refused.emit(str(error))
            return False
        return self.apply(row, column, number)

    # ------------------------------------------------------------ follow the model
    def refresh(self) -> None:
        """Re-read the model: a reset when the shape changed, else a repaint of every cell."""
        self._head = min(self._head, self.model.n_heads - 1)  # the model may have lost heads
        shape, labels = self._slice().shape, self._row_labels()
        # Parameters are immutable: the very array and head shown already need no repaint
        # (an edit of W_Q at d_model 1024 would otherwise repaint every other table too).
        shown, self._shown = self._shown, (self.model.params[self.name], self._head)
        if shape != self._shape:
            self.beginResetModel()
            self._shape, self._rows_labels = shape, labels
            self.endResetModel()
            return
        if (
            shape[0]
            and shape[1]
            and (shown is None or shown[0] is not self._shown[0] or shown[1] != self._head)
        ):
            self.dataChanged.emit(self.index(0, 0), self.index(shape[0] - 1, shape[1] - 1))
        if labels != self._rows_labels:
            self._rows_labels = labels
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, shape[0] - 1)

    def _row_labels(self) -> Sequence[str]:
        rows = self._slice().shape[0]
        if self.name == "x_q":
            return self.model.query_tokens
        if self.name == "x_kv":
            return self.model.key_tokens
        # Counted from 1, as the panels, the head box and the captions count.
        if self.name in BIASES:
            return [_("head {head}").format(head=h + 1) for h in range(rows)]
        if self.name == "b_o":
            return [""]
        return counted_from_one(rows)

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else self._shape[0]

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else self._shape[1]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self.value(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value + 0.0:.{DECIMALS}f}"  # + 0.0 turns -0.0 into 0.0
        if role == Qt.ItemDataRole.EditRole:
            # Text, so the editor is a QLineEdit that accepts anything (bad text is
            # refused with a message), and repr so an unchanged commit is a no-op.
            return repr(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.label(index.row(), index.column())} = {value!r}\n{_(CELL_HINT)}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        return self.apply_text(index.row(), index.column(), str(value))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(section + 1)  # counted from 1, as everywhere else; the model's index is section
        return self._rows_labels[section] if 0 <= section < len(self._rows_labels) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
