"""Change a table cell by dragging the mouse up/down on it or turning the wheel over it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QWidget

from explainer.model import MAX_ABS_VALUE, History

from ..style import hold_scales, release_scales
from .param_table import ParamTableModel

DRAG_STEP = 0.01  # per pixel
FINE_DRAG_STEP = 0.001  # per pixel, with Shift
WHEEL_STEP = 0.05  # per notch
FINE_WHEEL_STEP = 0.01  # per notch, with Shift
FRAME_MS = 16  # at most one model edit (one recompute) per 60 Hz frame
WHEEL_IDLE_MS = 600  # wheel notches closer than this are one undo entry


@dataclass
class _Cell:
    table: ParamTableModel
    row: int
    column: int

    def same(self, other: _Cell | None) -> bool:
        return other is not None and (self.table, self.row, self.column) == (
            other.table,
            other.row,
            other.column,
        )


@dataclass
class _Drag:
    cell: _Cell
    base_value: float
    base_y: float
    fine: bool


class CellScrubber(QObject):
    """Event filter that turns drags and wheel turns over table cells into model edits.

    Parameters
    ----------
    history : History
        A whole drag, or a quick run of wheel notches on one cell, is one
        undo entry.
    parent : QObject, optional
        Qt owner.

    Notes
    -----
    Edits are throttled: the first one applies at once, later ones at most
    once per frame, the last one always (on release or when the timer fires).
    While a drag or a run of wheel notches goes on, the colour scales hold
    (``style.hold_scales``): the other cells keep their colours, and all
    recolour once when it ends.
    """

    def __init__(self, history: History, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self._views: dict[QWidget, QTableView] = {}
        self._press: tuple[_Cell, float] | None = None
        self._drag: _Drag | None = None
        self._pending: tuple[_Cell, float] | None = None
        self._wheel_cell: _Cell | None = None
        self._holding = False  # the colour scales, from a drag's or a wheel run's start to its end
        self._frame = QTimer(self)
        self._frame.setInterval(FRAME_MS)
        self._frame.timeout.connect(self._on_frame)
        self._wheel_idle = QTimer(self)
        self._wheel_idle.setSingleShot(True)
        self._wheel_idle.setInterval(WHEEL_IDLE_MS)
        self._wheel_idle.timeout.connect(self._end_wheel)

    def attach(self, view: QTableView) -> None:
        """Scrub the cells of ``view`` (its model must be a ParamTableModel)."""
        self._views[view.viewport()] = view
        view.viewport().installEventFilter(self)

    def finish(self) -> None:
        """Apply what is pending and close any open undo group (before closing the editor)."""
        self._flush()
        self._frame.stop()
        if self._drag is not None:
            self._drag = None
            self.history.end_group()
        self._press = None
        self._end_wheel()
        self._release_scales()

    # ------------------------------------------------------------ events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = self._views.get(watched)  # type: ignore[call-overload]
        if view is None or view.state() == QAbstractItemView.State.EditingState:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._on_press(view, event)
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            return self._on_move(view, event)
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            return self._on_release(view)
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            return self._on_wheel(view, event)
        return False

    def _cell_at(self, view: QTableView, x: float, y: float) -> _Cell | None:
        index = view.indexAt(QPoint(round(x), round(y)))  # viewport coordinates
        table = view.model()
        if not index.isValid() or not isinstance(table, ParamTableModel):
            return None
        return _Cell(table, index.row(), index.column())

    def _on_press(self, view: QTableView, event: QMouseEvent) -> None:
        # Not consumed: a plain click still selects the cell; only a vertical drag scrubs.
        self._press = None
        if event.button() == Qt.MouseButton.LeftButton:
            cell = self._cell_at(view, event.position().x(), event.position().y())
            if cell is not None:
                self._press = (cell, event.position().y())

    def _on_move(self, view: QTableView, event: QMouseEvent) -> bool:
        y = event.position().y()
        fine = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if self._drag is None:
            if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
                return False
            cell, press_y = self._press
            if abs(y - press_y) < QApplication.startDragDistance():
                return False
            self._end_wheel()
            self.history.begin_group()
            self._hold_scales(cell)
            # Based at the current y, so crossing the threshold does not jump the value.
            self._drag = _Drag(cell, cell.table.value(cell.row, cell.column), y, fine)
            view.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
            return True
        drag = self._drag
        if fine != drag.fine:
            # Re-base when Shift changes mid-drag, so the value does not jump.
            drag.base_value, drag.base_y, drag.fine = self._target(drag.cell), y, fine
        step = FINE_DRAG_STEP if fine else DRAG_STEP
        self._request(drag.cell, drag.base_value + (drag.base_y - y) * step)
        return True

    def _on_release(self, view: QTableView) -> bool:
        self._press = None
        if self._drag is None:
            return False
        self._flush()
        self._frame.stop()  # nothing left to throttle: the next edit may apply at once
        self._drag = None
        view.viewport().unsetCursor()
        self.history.end_group()
        self._release_scales()  # the edit is over: every scale fits its values again
        # Not consumed either: the view must see the release to leave its drag-select state.
        return False

    def _on_wheel(self, view: QTableView, event: QWheelEvent) -> bool:
        cell = self._cell_at(view, event.position().x(), event.position().y())
        delta = event.angleDelta().y() or event.angleDelta().x()  # Shift+wheel may turn horizontal
        if cell is None or not delta or self._drag is not None:
            return False
        if not cell.same(self._wheel_cell):
            self._end_wheel()
            self._wheel_cell = cell
            self.history.begin_group()
            self._hold_scales(cell)
        self._wheel_idle.start()
        fine = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        step = FINE_WHEEL_STEP if fine else WHEEL_STEP
        self._request(cell, self._target(cell) + step * delta / 120)  # 120 = one notch
        return True

    def _end_wheel(self) -> None:
        self._wheel_idle.stop()
        if self._wheel_cell is not None:
            self._flush()
            self._wheel_cell = None
            self.history.end_group()
            self._release_scales()

    def _hold_scales(self, cell: _Cell) -> None:
        if not self._holding:
            self._holding = True
            hold_scales(cell.table.model)

    def _release_scales(self) -> None:
        if self._holding:
            self._holding = False
            release_scales()

    # ------------------------------------------------------------ throttled edits
    def _target(self, cell: _Cell) -> float:
        """The value the cell is heading to: the pending one if any, else the model's."""
        if self._pending is not None and cell.same(self._pending[0]):
            return self._pending[1]
        return cell.table.value(cell.row, cell.column)

    def _request(self, cell: _Cell, value: float) -> None:
        # Rounded so a drag lands on readable numbers (0.3, not 0.30000000000000004).
        value = max(-MAX_ABS_VALUE, min(MAX_ABS_VALUE, round(value, 4)))
        if self._pending is not None and not cell.same(self._pending[0]):
            self._flush()
        self._pending = (cell, value)
        if not self._frame.isActive():
            self._flush()
            self._frame.start()

    def _on_frame(self) -> None:
        if self._pending is None:
            self._frame.stop()
        else:
            self._flush()

    def _flush(self) -> None:
        if self._pending is not None:
            (cell, value), self._pending = self._pending, None
            cell.table.apply(cell.row, cell.column, value)
