"""Helpers for GUI tests that act and look as the user does: the pointer, pixels, labels, steps.

Import as ``from helpers import ...`` (tests/qt is on sys.path, as pytest's
default rootdir-relative import puts a test's folder there). The
``open_window`` fixture in conftest.py shows and disposes the windows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLineEdit

from explainer.qt.items.matrix import Cell, MatrixItem
from explainer.qt.main_window import MainWindow
from explainer.qt.panels.base import Panel

TOLERANCE = 3  # per RGB channel: the colour pipeline is exact, this is margin only
# Where a cell's colour is sampled, in cells from its top-left corner: clear of the
# outlines (a few pixels wide, on the border) and of the centred number.
SAMPLE_AT = (0.2, 0.2)


def settle() -> None:
    """Let Qt run posted events (deferred layouts, repaints) once."""
    QApplication.processEvents()


class Snapshot:
    """One panel as it is on screen now, and the colours of its cells."""

    def __init__(self, panel: Panel):
        self.panel = panel
        settle()
        self.image: QImage = panel.view.grab().toImage()
        self.ratio = self.image.devicePixelRatio()

    def pixel(self, view_point: QPointF) -> QColor:
        """The colour at a point of the view's viewport (logical pixels)."""
        # The grab covers the whole GraphicsView; scene points map into its viewport.
        point = view_point + QPointF(self.panel.view.viewport().geometry().topLeft())
        x, y = int(point.x() * self.ratio), int(point.y() * self.ratio)
        assert 0 <= x < self.image.width() and 0 <= y < self.image.height(), f"{point} is off the view"
        return self.image.pixelColor(x, y)

    def cell(self, item: MatrixItem, cell: Cell, at: tuple[float, float] = SAMPLE_AT) -> QColor:
        """The colour of ``cell`` of ``item``, sampled ``at`` (fractions of a cell) from its corner."""
        return self.pixel(self.panel.view.viewportTransform().map(item.mapToScene(_inside(cell, at))))

    def item_point(self, item: MatrixItem, point: QPointF) -> QColor:
        return self.pixel(self.panel.view.viewportTransform().map(item.mapToScene(point)))


def _inside(cell: Cell, at: tuple[float, float]) -> QPointF:
    r, c = cell
    return QPointF(c + at[0], r + at[1])


def cell_size_px(panel: Panel, item: MatrixItem) -> float:
    """The on-screen width of one cell of ``item``, in logical pixels."""
    transform = panel.view.viewportTransform()
    left = transform.map(item.mapToScene(QPointF(0, 0)))
    right = transform.map(item.mapToScene(QPointF(1, 0)))
    return right.x() - left.x()


def cell_pos(panel: Panel, item: MatrixItem, cell: Cell, at: tuple[float, float] = (0.5, 0.5)):
    """The viewport pixel (QPoint) of a point in ``cell``: where the mouse goes to reach it."""
    return panel.view.viewportTransform().map(item.mapToScene(_inside(cell, at))).toPoint()


def settled_cell_pos(panel: Panel, item: MatrixItem, cell: Cell):
    """Where ``cell`` is once the layout has settled, as a person would see it before pointing.

    A step change can resize the caption and so every panel; Qt applies the new
    layout in one pass of events and pyqtgraph its new view transform on a later
    paint, so the cell's position is read until three passes in a row agree.
    """
    where, same = cell_pos(panel, item, cell), 0
    for _ in range(20):
        settle()
        now = cell_pos(panel, item, cell)
        same = same + 1 if now == where else 0
        if same == 3:
            return now
        where = now
    raise AssertionError(f"{cell} keeps moving on screen")


# ---------------------------------------------------------------- the pointer
# A hover or click lands synchronously (pyqtgraph → MatrixItem → Focus → every
# panel's draw), so the wait below normally returns at its first look; it is
# there so a lost event fails here, by name, and not three asserts later.
POINTER_TIMEOUT_MS = 2000


def focused(panel: Panel | MainWindow) -> tuple[int | None, int | None]:
    """(query, key) of the shared focus that ``panel`` (or a window) draws."""
    return panel.focus.query, panel.focus.key


def hover(
    qtbot,
    panel: Panel,
    item: MatrixItem,
    cell: Cell,
    focus: tuple[int | None, int | None] | None = None,
    until: Callable[[], object] | None = None,
) -> None:
    """Move the pointer onto ``cell`` of ``item`` and wait for what that shows.

    One real mouse move on the panel's viewport; pyqtgraph turns it into a hover
    on the item under the pointer. ``focus``: wait until the shared focus is
    that (query, key); ``until``: wait until it returns true or stops raising
    AssertionError. The ``every_mouse_move_counts`` fixture keeps pyqtgraph from
    dropping a move that follows another within its rate limit.
    """
    qtbot.mouseMove(panel.view.viewport(), settled_cell_pos(panel, item, cell))
    _wait_for_pointer(qtbot, panel, cell, focus, until)


def click(
    qtbot,
    panel: Panel,
    item: MatrixItem,
    cell: Cell,
    focus: tuple[int | None, int | None] | None = None,
    until: Callable[[], object] | None = None,
) -> None:
    """Left-click ``cell`` of ``item`` on the panel's viewport and wait as :func:`hover` does."""
    pos = settled_cell_pos(panel, item, cell)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    _wait_for_pointer(qtbot, panel, cell, focus, until)


def _wait_for_pointer(qtbot, panel: Panel, cell: Cell, focus, until) -> None:
    def landed() -> None:
        if focus is not None:
            seen = focused(panel)
            assert seen == tuple(focus), f"pointer on {cell}: focus {seen}, expected {tuple(focus)}"
        if until is not None:
            result = until()
            assert result is None or result, f"pointer on {cell}: {until} is still false"

    qtbot.waitUntil(landed, timeout=POINTER_TIMEOUT_MS)
    settle()  # the repaints the change scheduled, before a test reads pixels


def rgb(color: QColor | str | np.ndarray | Iterable[int]) -> tuple[int, int, int]:
    if isinstance(color, str):
        color = QColor(color)
    if isinstance(color, QColor):
        return color.red(), color.green(), color.blue()
    r, g, b = (int(x) for x in list(color)[:3])
    return r, g, b


def close(a, b, tolerance: int = TOLERANCE) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(rgb(a), rgb(b), strict=True))


def assert_cells_show(
    snapshot: Snapshot,
    item: MatrixItem,
    expected: np.ndarray,
    cells: Iterable[Cell] | None = None,
    tolerance: int = TOLERANCE,
) -> None:
    """Every cell's pixel is its expected colour; ``expected`` is (rows, cols, ≥3) or a colour."""
    rows, cols = item.values.shape
    cells = list(cells) if cells is not None else [(r, c) for r in range(rows) for c in range(cols)]
    wrong = []
    for cell in cells:
        want = expected if isinstance(expected, str) else expected[cell]
        seen = snapshot.cell(item, cell)
        if not close(seen, want, tolerance):
            wrong.append(f"{cell}: on screen {rgb(seen)}, expected {rgb(want)}")
    assert not wrong, f"{len(wrong)} of {len(cells)} cells wrong:\n" + "\n".join(wrong)


def wait_step_done(qtbot, window: MainWindow, timeout: int = 10_000) -> None:
    """Wait until the player has played the step it was asked to and stopped."""
    qtbot.waitUntil(lambda: not window.player.playing, timeout=timeout)
    settle()


def step_index(window: MainWindow, kind: str, query: int | None = None, key: int | None = None) -> int:
    """The index of the first step of ``kind`` on (query, key) in the window's timeline."""
    for index, step in enumerate(window.player.timeline.steps):
        if step.kind == kind and step.query == query and step.key == key:
            return index
    raise LookupError(f"no {kind} step on ({query}, {key}) in the {window.player.timeline.detail} timeline")


def type_into(qtbot, view, row: int, column: int, text: str) -> None:
    """Select a table cell, F2 to edit, type (empty: Delete), Enter: real key events all the way."""
    view.setCurrentIndex(view.model().index(row, column))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    line = QApplication.focusWidget()
    assert isinstance(line, QLineEdit)
    line.selectAll()
    if text:
        qtbot.keyClicks(line, text)
    else:
        qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    # The delegate commits on a queued call, after the editor saw the key.
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
