"""What an edit redraws: only what changed, and what is shown stays exactly what it was.

A weight edit changes one parameter and the α of one head. The weight tables
of the other parameters, the other heads' maps of the overview and the head
selector are left alone; what is left alone must still show the new state
(the same numbers, the theme's colours), and what did change must show it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explainer.model import AttentionModel, Document
from explainer.qt.app import build_window, dispose
from explainer.qt.editors.param_table import ParamTableModel
from explainer.qt.items.text import ColorBarItem
from explainer.qt.main_window import MainWindow
from explainer.qt.panels import heads as heads_panel
from explainer.qt.panels.base import Panel
from explainer.qt.panels.scores import ScoresPanel
from explainer.qt.panels.softmax import SoftmaxPanel
from explainer.qt.style import DARK, THEME_STYLES, ColorScale, Theme, weights_scale

OpenWindow = Callable[..., MainWindow]
Spans = list[tuple[int, int, int, int]]
TOLERANCE = 4  # per RGB channel, for pixels of a gradient sampled a pixel or two inside its end


def settle() -> None:
    QApplication.processEvents()


def rgba_of(color: QColor) -> tuple[int, int, int, int]:
    return color.red(), color.green(), color.blue(), color.alpha()


def close(a: QColor, b: QColor, tolerance: int = TOLERANCE) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(rgba_of(a)[:3], rgba_of(b)[:3], strict=True))


@pytest.fixture
def window_on(qtbot: QtBot) -> Iterator[Callable[[AttentionModel], MainWindow]]:
    """``window_on(model)``: a shown window on a bare model, at the last step; disposed after the test."""
    windows: list[MainWindow] = []

    def open_(model: AttentionModel) -> MainWindow:
        window = build_window(Document(model), "light")
        windows.append(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.player.last()
        for _ in range(3):  # the dock's layout, then the panels' new sizes, then their paint
            settle()
        return window

    yield open_
    for window in windows:
        dispose(window)


@pytest.fixture
def other_maps(monkeypatch: pytest.MonkeyPatch) -> Theme:
    """The dark theme with colour maps of its own (the shipped themes share viridis and CET-CBD1).

    A colour kept from the light theme then shows as the wrong colour.
    """
    dark = dataclasses.replace(DARK, sequential="magma", diverging="CET-D1")
    monkeypatch.setitem(THEME_STYLES, "dark", dark)
    return dark


def four_heads() -> AttentionModel:
    return AttentionModel(["the", "cat", "sat", "down"], d_model=16, d_k=4, n_heads=4, seed=5)


def spans_of(table: ParamTableModel) -> Spans:
    """The (top, left, bottom, right) of every dataChanged the table emits from now on."""
    seen: Spans = []

    def record(top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None) -> None:
        seen.append((top_left.row(), top_left.column(), bottom_right.row(), bottom_right.column()))

    table.dataChanged.connect(record)
    return seen


def shown_text(table: ParamTableModel, row: int, column: int) -> object:
    return table.data(table.index(row, column), Qt.ItemDataRole.DisplayRole)


def whole(table: ParamTableModel) -> tuple[int, int, int, int]:
    return (0, 0, table.rowCount() - 1, table.columnCount() - 1)


def edited(model: AttentionModel, name: str, cell: tuple[int, ...], by: float) -> float:
    """Set ``cell`` of ``name`` to its value + ``by``; the new value."""
    value = float(model.params[name][cell]) + by
    model.set_value(name, cell, value)
    return value


# ---------------------------------------------------------------- the weight tables
def test_an_edit_repaints_the_edited_table_only(open_window: OpenWindow) -> None:
    window = open_window("seed-causal")
    tables = window.weight_editor.tables
    spans = {name: spans_of(table) for name, table in tables.items()}
    value = edited(window.model, "w_q", (0, 0, 0), 0.5)
    assert spans["w_q"] == [whole(tables["w_q"])]  # every cell of W_Q, once
    assert shown_text(tables["w_q"], 0, 0) == f"{value:.3f}"
    assert spans["w_k"] == [] and spans["w_v"] == []
    assert {name: seen for name, seen in spans.items() if name != "w_q" and seen} == {}


def test_switching_the_head_repaints_the_per_head_tables_with_that_heads_numbers(
    open_window: OpenWindow,
) -> None:
    window = open_window("seed-causal")
    tables = window.weight_editor.tables
    spans = {name: spans_of(tables[name]) for name in ("w_q", "w_k", "w_v")}
    arrays = {name: window.model.params[name] for name in spans}
    window.weight_editor.set_head(1)
    for name, seen in spans.items():
        assert window.model.params[name] is arrays[name]  # the same array: only the head moved
        assert seen == [whole(tables[name])], name
        assert shown_text(tables[name], 1, 2) == f"{arrays[name][1, 1, 2] + 0.0:.3f}", name


def test_undo_repaints_the_table_with_the_old_value(open_window: OpenWindow) -> None:
    window = open_window("seed-causal")
    table = window.weight_editor.tables["w_q"]
    old = float(window.model.params["w_q"][0, 0, 0])
    new = edited(window.model, "w_q", (0, 0, 0), 0.5)
    assert shown_text(table, 0, 0) == f"{new:.3f}" != f"{old + 0.0:.3f}"
    spans, others = spans_of(table), spans_of(window.weight_editor.tables["w_k"])
    assert window.history.undo()
    assert float(window.model.params["w_q"][0, 0, 0]) == old
    assert spans == [whole(table)] and others == []
    assert shown_text(table, 0, 0) == f"{old + 0.0:.3f}"
    assert window.history.redo()
    assert spans == [whole(table)] * 2 and shown_text(table, 0, 0) == f"{new:.3f}"


# ---------------------------------------------------------------- the heads overview
class CountingScale(ColorScale):
    """A colour scale that records the arrays whose colours it is asked for."""

    asked: list[np.ndarray]

    def rgba(self, values: np.ndarray) -> np.ndarray:
        self.asked.append(values)
        return super().rgba(values)


def test_an_edit_recolours_only_the_edited_heads_map(
    window_on: Callable[[AttentionModel], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_on(four_heads())
    maps = window.heads.maps
    assert window.docks.heads.isVisible() and len(maps) == 4
    before = [(item.values, item.colors) for item in maps]
    asked: list[np.ndarray] = []

    def counting_scale(theme: Theme) -> ColorScale:
        scale = CountingScale(theme.sequential, 0.0, 1.0)
        scale.asked = asked
        return scale

    monkeypatch.setattr(heads_panel, "weights_scale", counting_scale)
    edited(window.model, "w_q", (0, 0, 0), 1.5)
    weights = window.model.trace.weights
    scale = weights_scale(window.appearance.theme)
    assert not np.array_equal(maps[0].values, before[0][0])  # head 0's α did change
    assert np.array_equal(maps[0].values, weights[0])
    assert np.array_equal(maps[0].colors, scale.rgba(weights[0]))
    for h in (1, 2, 3):
        assert maps[h].colors is before[h][1], f"head {h + 1}"  # its colours kept
        # ...but it holds the new trace's α, not the old trace's (which can then be freed)
        assert np.shares_memory(maps[h].values, weights) and not np.shares_memory(
            maps[h].values, before[h][0]
        )
        assert np.array_equal(maps[h].values, weights[h])
        assert np.array_equal(maps[h].colors, scale.rgba(weights[h]))
    # The colours of head 0's new α were looked up, and no other head's.
    assert len(asked) == 1 and np.array_equal(asked[0], weights[0])


def test_a_new_theme_recolours_every_heads_map(
    window_on: Callable[[AttentionModel], MainWindow], other_maps: Theme
) -> None:
    window = window_on(four_heads())
    maps = window.heads.maps
    edited(window.model, "w_q", (0, 0, 0), 1.5)  # head 0 drawn anew, heads 1-3 kept
    window.set_theme("dark")
    settle()
    assert window.appearance.theme is other_maps
    weights = window.model.trace.weights
    dark, light = weights_scale(other_maps), weights_scale(THEME_STYLES["light"])
    for h, item in enumerate(maps):
        assert np.array_equal(item.values, weights[h])
        assert np.array_equal(item.colors, dark.rgba(weights[h])), f"head {h + 1} kept the light colours"
        assert not np.array_equal(item.colors, light.rgba(weights[h]))


# ---------------------------------------------------------------- the head selector
def test_an_edit_leaves_the_head_selector_alone_and_new_heads_refill_it(
    window_on: Callable[[AttentionModel], MainWindow],
) -> None:
    window = window_on(four_heads())
    combo = window.transport.head
    window.focus.set(head=2)
    assert combo.currentIndex() == 2
    items = combo.model()
    events: list[str] = []
    items.rowsRemoved.connect(lambda *_: events.append("removed"))
    items.rowsInserted.connect(lambda *_: events.append("inserted"))
    items.modelReset.connect(lambda *_: events.append("reset"))
    chosen: list[int] = []
    combo.currentIndexChanged.connect(chosen.append)
    edited(window.model, "w_q", (2, 1, 1), 0.5)
    edited(window.model, "x_q", (0, 3), -0.25)
    assert events == [] and chosen == []
    assert combo.currentIndex() == 2 and window.focus.head == 2
    assert [combo.itemText(i) for i in range(combo.count())] == ["1", "2", "3", "4"]
    window.model.set_dims(n_heads=2)
    assert "inserted" in events
    assert [combo.itemText(i) for i in range(combo.count())] == ["1", "2"]
    assert combo.currentIndex() == window.focus.head == 1  # the focused head, clamped
    window.model.set_dims(n_heads=3)
    assert [combo.itemText(i) for i in range(combo.count())] == ["1", "2", "3"]
    assert combo.currentIndex() == 1


# ---------------------------------------------------------------- bars and colour bars
def test_each_bar_has_the_colour_of_its_alpha_cell_in_the_focused_row(open_window: OpenWindow) -> None:
    window = open_window("seed-causal")
    window.player.last()
    window.focus.set(query=4, key=1)
    settle()
    panel, h = window.softmax, window.focus.head
    assert isinstance(panel, SoftmaxPanel)
    bars = panel.bars

    def colours() -> list[tuple[int, int, int, int]]:
        return [rgba_of(color) for color in bars.colors]

    def expected(i: int) -> list[tuple[int, int, int, int]]:
        rgba = weights_scale(window.appearance.theme).rgba(window.model.trace.weights[h])
        return [(int(r), int(g), int(b), int(a)) for r, g, b, a in rgba[i]]

    assert len(bars.colors) == len(window.model.key_tokens)
    assert colours() == expected(4)
    assert colours() != expected(1)  # the focused row's, not another's
    before = colours()
    edited(window.model, "x_q", (4, 0), 2.0)  # query 4's α changes
    assert colours() == expected(4) != before
    window.focus.set(query=1)
    assert colours() == expected(1)


def colour_bar_top(panel: Panel, colorbar: ColorBarItem) -> tuple[QColor, QColor]:
    """The first pixel row inside the top of the colour bar as the panel shows it, and the scale's
    colour there (a 70 px bar spans its 256 colours in 3.6 steps a pixel: the very end is between rows).
    """
    settle()
    scale = colorbar.scale
    assert scale is not None
    image = panel.view.grab().toImage()
    ratio = image.devicePixelRatio()
    bar = panel.view.viewportTransform().mapRect(colorbar.mapRectToScene(colorbar.box))
    bar.translate(QPointF(panel.view.viewport().geometry().topLeft()))
    assert bar.height() > 20, f"the colour bar is {bar.height():.1f} px tall"
    row = math.ceil(bar.top() * ratio - 0.5)  # the first row whose centre is inside the bar
    fraction = 1 - ((row + 0.5) / ratio - bar.top()) / bar.height()
    assert fraction > 0.97  # within the top 3 % of the bar: the high end
    seen = QColor(image.pixelColor(int(bar.center().x() * ratio), row))
    return seen, scale.qcolor(scale.low + fraction * (scale.high - scale.low))


def test_the_colour_bar_is_drawn_in_its_scales_colours(open_window: OpenWindow, other_maps: Theme) -> None:
    window = open_window("seed-translate")
    panel = window.scores
    assert isinstance(panel, ScoresPanel)
    colorbar = panel.colorbar
    light = colorbar.scale
    assert light is not None and light.name == THEME_STYLES["light"].diverging
    top, want = colour_bar_top(panel, colorbar)
    assert close(top, want) and close(top, light.qcolor(light.high), 8), (rgba_of(top), rgba_of(want))

    # The theme's scale of another map: the gradient is the new map's, and so on screen.
    window.set_theme("dark")
    dark = colorbar.scale
    assert dark is not None and dark.name == other_maps.diverging
    assert stops_of(colorbar.stops) == expected_stops(dark)
    top, want = colour_bar_top(panel, colorbar)
    assert close(top, want) and close(top, dark.qcolor(dark.high), 8), (rgba_of(top), rgba_of(want))
    assert not close(top, light.qcolor(light.high), 40)  # the dark map's end, plainly

    # Another bound (and map) set on the bar: its stops are the new scale's.
    wider = ColorScale(light.name, 2 * dark.low, 2 * dark.high)
    colorbar.set_scale(wider, colorbar.box)
    assert colorbar.scale is wider
    assert stops_of(colorbar.stops) == expected_stops(wider) != expected_stops(dark)
    top, want = colour_bar_top(panel, colorbar)
    assert close(top, want) and close(top, wider.qcolor(wider.high), 8), (rgba_of(top), rgba_of(want))


def stops_of(stops: list[tuple[float, QColor]]) -> list[tuple[float, tuple[int, int, int, int]]]:
    return [(float(f), rgba_of(color)) for f, color in stops]


def expected_stops(scale: ColorScale) -> list[tuple[float, tuple[int, int, int, int]]]:
    """33 stops from the low end (0) to the high end (1), each the scale's colour there."""
    span = scale.high - scale.low
    return [(float(f), rgba_of(scale.qcolor(scale.low + f * span))) for f in np.linspace(0, 1, 33)]
