"""The all-heads overview reads on its own: titles, token labels, one α colour bar, the focused head.

Every text is measured as drawn: its advance in its font against the room its
box gets on screen, inside the panel, clear of the other texts and of the maps.
Colours are read from the panel's pixels.
"""

from __future__ import annotations

import pytest
from helpers import Snapshot, click, close, rgb, settle
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from explainer.model import AttentionModel, Document
from explainer.qt.app import build_window, dispose
from explainer.qt.items.heads_layout import Placed
from explainer.qt.main_window import MainWindow
from explainer.qt.panels.heads import DOCK_WIDTH, HeadsPanel
from explainer.qt.style import THEME_STYLES, weights_scale

PRESETS = AttentionModel.preset_names()
# all-MiniLM-L6-v2's word pieces for the pretrained panel's default text (16 with [CLS] and [SEP]),
# and a shorter sentence of the same kind.
SENTENCE = [
    "[CLS]",
    "the",
    "animal",
    "didn",
    "'",
    "t",
    "cross",
    "the",
    "street",
    "because",
    "it",
    "was",
    "too",
    "tired",
    ".",
    "[SEP]",
]
SHORT = ["[CLS]", "the", "lecturer", "explained", "attention", "to", "students", ".", "[SEP]"]
WINDOW = (1280, 800)


def twelve_heads(tokens: list[str]) -> AttentionModel:
    """A layer of all-MiniLM-L6-v2's shape (12 heads, d_model 384), its heads peaked as trained ones are."""
    model = AttentionModel(tokens, d_model=384, d_k=32, n_heads=12, seed=3)
    model.set_param("w_q", model.params["w_q"] * 6)
    return model


@pytest.fixture
def overview(qtbot):
    """``overview(shown, size=None, theme=...)``: a window with the heads dock open, and its panel.

    ``size`` None: the dock as the window first shows it; else the dock floats at that size.
    """
    windows: list[MainWindow] = []

    def open_(shown: str | AttentionModel, size=None, theme="light", text_scale=1.0):
        document = Document.from_preset(shown) if isinstance(shown, str) else Document(shown)
        window = build_window(document, theme)
        windows.append(window)
        window.appearance.set_font_scale(text_scale)
        window.resize(*WINDOW)
        window.show()
        qtbot.waitExposed(window)
        window.docks.heads.show()
        if size is not None:
            window.docks.heads.setFloating(True)
            window.docks.heads.resize(*size)
        window.player.last()
        for _ in range(3):  # the dock's layout, then the panel's new size, then its paint
            settle()
        return window, window.heads

    yield open_
    for window in windows:
        dispose(window)


def on_screen(panel: HeadsPanel, box: QRectF) -> QRectF:
    """A box of the overview (view units) where it is on the panel's viewport, in pixels."""
    return panel.view.viewportTransform().mapRect(panel.texts.mapRectToScene(box))


def map_on_screen(panel: HeadsPanel, head: int) -> QRectF:
    item = panel.maps[head]
    rows, cols = item.values.shape
    return panel.view.viewportTransform().mapRect(item.mapRectToScene(QRectF(0, 0, cols, rows)))


def assert_texts_fit(panel: HeadsPanel) -> None:
    """Each text fits its box on screen, uncut, inside the panel, over no other text and no map."""
    viewport = QRectF(panel.view.viewport().rect())
    texts: list[Placed] = panel.texts.texts()
    boxes = [on_screen(panel, placed.box) for placed in texts]
    maps = [map_on_screen(panel, h) for h in range(len(panel.maps))]
    problems = []
    for placed, box in zip(texts, boxes, strict=True):
        metrics = QFontMetricsF(placed.font())
        advance = metrics.horizontalAdvance(placed.text)
        room, thickness = (box.height(), box.width()) if placed.rotated else (box.width(), box.height())
        if advance > room + 0.01 or metrics.height() > thickness + 0.01:
            problems.append(
                f"{placed.text!r}: {advance:.1f} × {metrics.height():.1f} px in {room:.1f} × {thickness:.1f}"
            )
        if not viewport.contains(box):
            problems.append(f"{placed.text!r} at {box} is outside the panel {viewport}")
        if any(box.intersects(m) for m in maps):
            problems.append(f"{placed.text!r} lies over a map")
    for a in range(len(texts)):
        for b in range(a + 1, len(texts)):
            if boxes[a].intersects(boxes[b]):
                problems.append(f"{texts[a].text!r} and {texts[b].text!r} overlap")
    for h, m in enumerate(maps):
        if not viewport.contains(m):
            problems.append(f"head {h + 1}'s map {m} is outside the panel")
        problems += [f"maps {h + 1} and {g + 1} overlap" for g in range(h) if m.intersects(maps[g])]
    assert not problems, "\n".join(problems)


def labels_by_kind(panel: HeadsPanel) -> tuple[list[str], list[str]]:
    """(row labels, column labels) as drawn."""
    labels = panel.texts.arrangement.labels
    rows = [p.text for p in labels if p.align == "right"]
    return rows, [p.text for p in labels if p.align != "right"]


# ------------------------------------------------------------------ readable labels
@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("text_scale", [1.0, 1.15**3])
def test_preset_titles_and_every_token_fit_uncut_at_the_docks_first_size(overview, preset, text_scale):
    window, panel = overview(preset, text_scale=text_scale)
    assert panel.width() <= DOCK_WIDTH
    trace = window.model.trace
    assert_texts_fit(panel)
    assert [t.text for t in panel.texts.arrangement.titles] == [f"head {h + 1}" for h in range(trace.n_heads)]
    rows, columns = labels_by_kind(panel)
    columns_of_maps = panel.arrangement.columns
    rows_of_maps = -(-trace.n_heads // columns_of_maps)
    assert rows == list(trace.query_tokens) * rows_of_maps  # every query, left of each row of maps
    assert columns == list(trace.key_tokens) * min(columns_of_maps, trace.n_heads)  # every key, on top
    assert not any("…" in t.text for t in panel.texts.texts())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_twelve_heads_wrap_into_a_grid_with_every_token_at_the_docks_first_size(overview, theme):
    window, panel = overview(twelve_heads(SHORT), theme=theme)
    assert window.docks.heads.isVisible() and len(panel.maps) == 12
    assert_texts_fit(panel)
    layout = panel.arrangement
    assert (layout.columns, layout.label_step) == (2, 1)  # 2 × 6 in the tall, narrow dock
    rows, columns = labels_by_kind(panel)
    assert rows == SHORT * 6 and columns == SHORT * 2
    assert layout.pitch >= QFontMetricsF(layout.labels[0].font()).height()  # a cell per label line


def test_a_long_sentence_labels_every_other_token_in_the_narrow_dock_and_all_in_a_larger_one(overview):
    _window, panel = overview(twelve_heads(SENTENCE))
    assert_texts_fit(panel)  # cells of 5-6 px: a label every other row, each on its row, none cut
    assert panel.arrangement.label_step == 2
    rows, _columns = labels_by_kind(panel)
    assert rows[:8] == SENTENCE[::2]
    _window, panel = overview(twelve_heads(SENTENCE), size=(640, 860))
    assert_texts_fit(panel)
    assert panel.arrangement.label_step == 1 and panel.arrangement.columns >= 3
    rows, columns = labels_by_kind(panel)
    assert rows[:16] == SENTENCE and columns[:16] == SENTENCE


@pytest.mark.parametrize(("size", "columns"), [((900, 420), 6), ((480, 760), 3), ((300, 1000), 2)])
def test_twelve_heads_wrap_to_the_docks_shape(overview, size, columns):
    _window, panel = overview(twelve_heads(SHORT), size=size)
    assert_texts_fit(panel)
    assert panel.arrangement.columns == columns


# ------------------------------------------------------------------ colours
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_each_cell_shows_the_colormap_colour_of_its_weight(overview, theme):
    window, panel = overview(twelve_heads(SHORT), theme=theme)
    snapshot = Snapshot(panel)
    weights = window.model.trace.weights
    scale = weights_scale(THEME_STYLES[theme])
    for head, cell in [(0, (0, 0)), (3, (2, 5)), (7, (8, 8)), (11, (4, 1))]:
        seen = snapshot.cell(panel.maps[head], cell, at=(0.5, 0.5))
        want = scale.rgba(weights[head][cell])
        assert close(seen, want), f"head {head + 1} cell {cell}: {rgb(seen)}, expected {rgb(want)}"


@pytest.mark.parametrize("shown", ["seed-causal", "twelve"])
def test_one_colour_bar_runs_through_the_weights_colormap_from_0_to_1(overview, shown):
    window, panel = overview(twelve_heads(SHORT) if shown == "twelve" else shown)
    snapshot = Snapshot(panel)
    layout, scale = panel.arrangement, weights_scale(window.appearance.theme)
    bar = layout.bar
    for value in (0.03, 0.25, 0.5, 0.75, 0.97):
        if layout.bar_vertical:
            point = QPointF(bar.center().x(), bar.bottom() - value * bar.height())
        else:
            point = QPointF(bar.left() + value * bar.width(), bar.center().y())
        seen = snapshot.pixel(on_screen(panel, QRectF(point, point)).topLeft())
        assert close(seen, scale.qcolor(value), 4), (
            f"α = {value}: {rgb(seen)}, expected {rgb(scale.qcolor(value))}"
        )
    ticks = [p.text for p in layout.bar_texts]
    assert ticks == ["α", "0.00", "0.50", "1.00"]


# ------------------------------------------------------------------ focus and clicks
def outline_pixel(snapshot: Snapshot, panel: HeadsPanel, head: int):
    """The pixel where the chosen head's frame runs, left of ``head``'s map, half-way down."""
    frame = on_screen(panel, panel.arrangement.frame(head))
    return snapshot.pixel(QPointF(frame.left(), frame.center().y()))


def test_the_focused_head_is_outlined_and_a_click_on_a_title_or_a_map_shows_another(overview, qtbot):
    window, panel = overview(twelve_heads(SHORT))
    focus = window.appearance.theme.focus
    snapshot = Snapshot(panel)
    assert close(outline_pixel(snapshot, panel, 0), focus)
    assert not close(outline_pixel(snapshot, panel, 4), focus)
    title = on_screen(panel, panel.arrangement.titles[4].box).center().toPoint()
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=title)
    qtbot.waitUntil(lambda: window.focus.head == 4)
    snapshot = Snapshot(panel)
    assert close(outline_pixel(snapshot, panel, 4), focus)
    assert not close(outline_pixel(snapshot, panel, 0), focus)
    assert window.transport.head.currentIndex() == 4
    click(qtbot, panel, panel.maps[9], (2, 2), until=lambda: window.focus.head == 9)
    assert close(outline_pixel(Snapshot(panel), panel, 9), focus)


# ------------------------------------------------------------------ the main view keeps its room
@pytest.mark.parametrize("shown", ["seed-translate", "seed-causal", "twelve"])
def test_the_overview_leaves_the_main_view_its_room(overview, shown):
    window, panel = overview(twelve_heads(SENTENCE) if shown == "twelve" else shown)
    assert panel.isVisible() and panel.width() <= DOCK_WIDTH
    # The board keeps all of the window but the dock: 1280 − 300 − the splitter's handle.
    assert window.board.width() >= WINDOW[0] - DOCK_WIDTH - 10
