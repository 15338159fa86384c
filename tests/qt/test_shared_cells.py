"""Arrays the panels hand a matrix are recognised without reading them, and a matrix's bounds are kept.

The same slice of a trace's read-only tensor holds the same numbers; an array
whose every cell is the fill is the shared fill; a matrix hands out a copy of
bounds it keeps until its content changes.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from pytestqt.qtbot import QtBot

from explainer.qt.colour_cache import same_frozen_slice
from explainer.qt.items.cells import filled, same, shared_when_filled
from explainer.qt.items.matrix import MatrixItem
from explainer.qt.style import DARK, Appearance, weights_scale


def frozen(values: np.ndarray) -> np.ndarray:
    """``values`` in an array owning its memory, read-only (as a trace's tensors are)."""
    array = np.array(values, dtype=float)
    array.flags.writeable = False
    return array


# ---------------------------------------------------------------- cells: same without reading
def test_the_same_slice_of_a_frozen_array_is_the_same_without_comparing_its_numbers() -> None:
    values = np.arange(24.0).reshape(2, 3, 4)
    values[1, 0, 0] = np.nan  # NaN ≠ NaN: compared, these cells would differ from themselves
    trace = frozen(values)
    assert same_frozen_slice(trace[1], trace[1]) and same(trace[1], trace[1])
    assert same(trace[1, :, 1:], trace[1, :, 1:])
    # Equal numbers in separate arrays are compared, and NaN makes them unequal.
    assert not same(np.array(trace[1]), np.array(trace[1]))
    assert not same_frozen_slice(np.array(trace[1]), np.array(trace[1]))
    # Without NaN the comparison finds them equal.
    assert same(np.array(trace[0]), np.array(trace[0]))


def test_a_view_of_a_writeable_array_is_compared_by_its_numbers() -> None:
    memory = np.arange(12.0).reshape(3, 4).copy()
    looks_frozen = memory.view()
    looks_frozen.flags.writeable = False  # read-only itself, yet its memory can still be written
    shown, drawn = looks_frozen[1], looks_frozen[1]
    assert not same_frozen_slice(shown, drawn)
    assert same(shown, drawn)  # equal numbers
    memory[1, 2] = np.nan  # written through another path: the memory under both views changed
    assert not same_frozen_slice(shown, drawn)
    assert not same(shown, drawn)  # read again, and NaN is unequal to itself
    alias = np.arange(8.0)
    alias[3] = np.nan  # writeable itself
    assert not same(alias[2:6], alias[2:6])


def test_other_cells_of_the_same_frozen_array_are_the_same_only_with_equal_numbers() -> None:
    symmetric = frozen(np.array([[1.0, 2.0, 3.0], [2.0, 5.0, 6.0], [3.0, 6.0, 9.0]]))
    lopsided = frozen(np.arange(9.0).reshape(3, 3))
    # Row 0 and column 0 start at the same address with the same shape; only the strides differ.
    assert not same_frozen_slice(lopsided[0, :], lopsided[:, 0])
    assert not same(lopsided[0, :], lopsided[:, 0])  # [0, 1, 2] and [0, 3, 6]
    assert same(symmetric[0, :], symmetric[:, 0])  # equal numbers: the same cells to draw
    # Another offset: rows 0-1 and 1-2.
    assert not same_frozen_slice(lopsided[0:2], lopsided[1:3])
    assert not same(lopsided[0:2], lopsided[1:3])
    repeated = frozen(np.tile([4.0, 7.0], (4, 1)))
    assert not same_frozen_slice(repeated[0:2], repeated[2:4]) and same(repeated[0:2], repeated[2:4])
    # The same address and shape read as other numbers (another dtype) are not the same.
    words = lopsided.view(np.int64)
    assert words.base is lopsided.base or words.base is lopsided
    assert not same_frozen_slice(lopsided[1], words[1]) and not same(lopsided[1], words[1])
    # Another shape over the same first cells.
    flat = frozen(np.arange(6.0))
    assert not same(flat[0:4], flat[0:6]) and not same(flat[0:4].reshape(2, 2), flat[0:4])


# ---------------------------------------------------------------- cells: the shared fills
def test_an_array_every_cell_of_which_is_the_fill_becomes_the_shared_fill() -> None:
    unlit = np.zeros((3, 4), dtype=bool)
    assert shared_when_filled(unlit, False) is filled((3, 4), False)
    one_lit = np.zeros((3, 4), dtype=bool)
    one_lit[2, 1] = True
    assert shared_when_filled(one_lit, False) is one_lit
    opaque = np.ones((2, 5))
    assert shared_when_filled(opaque, 1.0) is filled((2, 5), 1.0)
    fading = np.ones((2, 5))
    fading[1, 3] = 0.5
    assert shared_when_filled(fading, 1.0) is fading
    half = np.full((2, 5), 0.5)  # every cell alike, but not the fill
    assert shared_when_filled(half, 1.0) is half
    all_lit = np.ones((3, 4), dtype=bool)
    assert shared_when_filled(all_lit, False) is all_lit
    assert shared_when_filled(all_lit, True) is filled((3, 4), True)
    assert shared_when_filled(unlit, True) is unlit
    empty = np.zeros((0, 4))
    assert shared_when_filled(empty, 1.0) is empty
    empty_lit = np.zeros((4, 0), dtype=bool)
    assert shared_when_filled(empty_lit, False) is empty_lit
    shared = filled((3, 4), False)
    assert not shared.flags.writeable and shared.dtype == bool and not shared.any()
    assert filled((2, 5), 1.0).dtype == float and bool((filled((2, 5), 1.0) == 1.0).all())


# ---------------------------------------------------------------- MatrixItem's bounds
def test_the_bounds_follow_new_content_and_a_caller_cannot_change_them(qtbot: QtBot) -> None:
    item = MatrixItem(Appearance())

    def show(rows: int, cols: int) -> None:
        values = np.arange(rows * cols, dtype=float).reshape(rows, cols) / (rows * cols)
        item.set_content(
            values,
            weights_scale(DARK).rgba(values),
            row_labels=[f"q{r}" for r in range(rows)],
            col_labels=[f"k{c}" for c in range(cols)],
            title="α",
        )

    show(3, 4)
    small = item.boundingRect()
    assert (small.right(), small.bottom()) == pytest.approx((4.0, 3.0))
    assert small.left() < 0 and small.top() < 0  # room for the labels and the title
    show(5, 7)
    large = item.boundingRect()
    assert (large.right(), large.bottom()) == pytest.approx((7.0, 5.0))
    assert (large.left(), large.top()) == (small.left(), small.top())
    assert (large.width() - small.width(), large.height() - small.height()) == pytest.approx((3.0, 2.0))
    kept = QRectF(large)  # its value now, whatever a caller does to what it was handed
    large.adjust(-50, -50, 50, 50)
    handed_out = item.boundingRect()
    assert handed_out == kept
    handed_out.setWidth(1.0)
    handed_out.moveTo(100.0, 100.0)
    assert item.boundingRect() == kept
    show(2, 3)
    assert (item.boundingRect().right(), item.boundingRect().bottom()) == pytest.approx((3.0, 2.0))
