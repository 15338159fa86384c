"""The panels draw what the numbers say: pixel colours, edits, masks, themes, heads.

Each test builds a model, opens the window on it, changes the model or the
view, and reads back what is on screen (pixels of a grab, labels, visibility).
"""

from __future__ import annotations

import numpy as np
from helpers import Snapshot, assert_cells_show, close, rgb, settle, step_index
from PySide6.QtCore import QPointF, Qt

from explainer.qt.style import DARK, LIGHT, diverging_for, weights_scale


def scores_expected(window) -> tuple[np.ndarray, np.ndarray]:
    """The colormap colour of every score cell on screen now, and which cells are masked."""
    trace, state = window.model.trace, window.player.state
    values, masked, _ = window.scores.displayed(trace, state)
    scale = diverging_for(values[~masked], window.appearance.theme)
    return scale.rgba(values), masked


def weights_expected(window) -> np.ndarray:
    trace = window.model.trace
    return weights_scale(window.appearance.theme).rgba(trace.weights[window.focus.head])


# --------------------------------------------------------------------------- colours


def test_score_cells_show_the_colormap_colour_of_their_values(open_window):
    window = open_window("seed-translate")
    window.player.last()
    expected, masked = scores_expected(window)
    assert not masked.any()
    assert_cells_show(Snapshot(window.scores), window.scores.matrix, expected)


def test_attention_weights_show_the_weights_colormap(open_window):
    window = open_window("seed-translate")
    window.player.last()
    assert_cells_show(Snapshot(window.softmax), window.softmax.matrix, weights_expected(window))


def test_the_softmax_bars_are_coloured_by_their_weights(open_window):
    window = open_window("seed-translate")
    window.player.last()
    panel, bars = window.softmax, window.softmax.bars
    i = panel.focused_query(window.player.state, window.focus, len(window.model.query_tokens))
    weights = window.model.trace.weights[0, i]
    snapshot = Snapshot(panel)
    colors = weights_scale(LIGHT).rgba(weights)
    for j, weight in enumerate(weights):
        if weight < 0.05:
            continue  # a bar this short has no inside to sample
        # Middle of the bar, a third of its height above its base (clear of the outline).
        base = bars.height
        point = bars.mapToScene(QPointF(j + 0.5, base - bars.height * weight / 3))
        seen = snapshot.pixel(panel.view.viewportTransform().map(point))
        assert close(seen, colors[j]), f"bar {j}: {rgb(seen)} != {rgb(colors[j])}"


def test_an_edited_weight_recolours_every_panel(open_window):
    window = open_window("seed-translate")
    window.player.last()
    before = Snapshot(window.scores)
    old = {(r, c): rgb(before.cell(window.scores.matrix, (r, c))) for r in range(4) for c in range(4)}

    window.model.set_value("w_q", (0, 0, 0), 2.5)
    trace = window.model.trace
    assert trace.w_q[0, 0, 0] == 2.5

    expected, _ = scores_expected(window)
    after = Snapshot(window.scores)
    assert_cells_show(after, window.scores.matrix, expected)
    changed = [cell for cell, color in old.items() if not close(color, expected[cell])]
    assert changed, "the edit should change the colour of some score cells"

    assert_cells_show(Snapshot(window.softmax), window.softmax.matrix, weights_expected(window))

    _which, _x, w_item, q_item, *_ = window.projections.rows[0]
    projections = Snapshot(window.projections)
    w_q, q = trace.w_q[0], trace.q[0]
    assert_cells_show(projections, w_item, diverging_for(w_q, LIGHT).rgba(w_q))
    assert_cells_show(projections, q_item, diverging_for(q, LIGHT).rgba(q))

    context = trace.context[0]
    outputs = window.weighted_sum.context
    assert_cells_show(Snapshot(window.weighted_sum), outputs, diverging_for(context, LIGHT).rgba(context))

    # The caption quotes the new numbers too.
    assert window.caption.text.text() == window.player.timeline.steps[window.player.index].caption


def test_masked_cells_are_drawn_in_the_masked_colour(open_window):
    window = open_window("seed-causal")
    window.player.last()
    expected, masked = scores_expected(window)
    assert masked.any() and not masked.all()
    snapshot = Snapshot(window.scores)
    matrix = window.scores.matrix
    hidden = [tuple(cell) for cell in np.argwhere(masked)]
    shown = [tuple(cell) for cell in np.argwhere(~masked)]
    assert_cells_show(snapshot, matrix, LIGHT.masked, hidden)
    assert_cells_show(snapshot, matrix, expected, shown)
    # ... and the masked colour is none of the colormap's: it cannot be misread as a score.
    lut = diverging_for(np.array([-1.0, 1.0]), LIGHT).rgba(np.linspace(-1, 1, 256))
    assert not any(close(LIGHT.masked, color, 6) for color in lut)


def test_cells_not_revealed_yet_show_the_empty_colour(open_window):
    window = open_window("seed-causal")
    window.player.go_to_step(0)  # the embeddings only
    assert window.player.state.step.kind == "embed"
    assert_cells_show(Snapshot(window.scores), window.scores.matrix, LIGHT.empty)
    assert_cells_show(Snapshot(window.softmax), window.softmax.matrix, LIGHT.empty)


def test_a_cell_fades_in_from_empty_while_its_step_plays(open_window):
    window = open_window("seed-translate")
    player = window.player
    steps = player.timeline.steps
    index = next(k for k, step in enumerate(steps) if step.kind == "dot" and step.key is not None)
    step = player.timeline.steps[index]
    player.seek(player.timeline.start(index) + step.duration * 0.5)
    state = player.state
    assert 0 < state.eased < 1
    cell = (step.query, step.key)
    colors, _ = scores_expected(window)
    empty = np.array(rgb(LIGHT.empty))
    want = np.round(empty + (colors[cell][:3] - empty) * state.eased)
    assert_cells_show(Snapshot(window.scores), window.scores.matrix, want[None, None, :].repeat(4, 0), [cell])


def test_a_revealed_score_keeps_its_colour_while_the_others_appear(open_window):
    # The colour of a number must not change when other numbers are revealed.
    window = open_window("seed-translate")
    player, matrix = window.player, window.scores.matrix
    window.transport.detail.setCurrentText("full")
    first, last = step_index(window, "dot", 0, 0), step_index(window, "dot", 3, 3)
    player.go_to_step(first)
    color, scale = rgb(Snapshot(window.scores).cell(matrix, (0, 0))), window.scores.colorbar.scale
    player.go_to_step(last)
    assert rgb(Snapshot(window.scores).cell(matrix, (0, 0))) == color
    assert (window.scores.colorbar.scale.low, window.scores.colorbar.scale.high) == (scale.low, scale.high)


# --------------------------------------------------------------------------- appearance


def test_ctrl_equals_makes_the_text_larger_and_ctrl_minus_smaller(open_window, qtbot):
    window = open_window()
    label = window.caption.text
    size = label.font().pixelSize()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.appearance.font_scale > 1.0
    assert label.font().pixelSize() > size
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.appearance.font_scale < 1.0
    assert label.font().pixelSize() < size


def test_the_dark_theme_darkens_the_panels_and_recolours_the_cells(open_window):
    window = open_window()
    window.player.go_to_step(0)
    corner = QPointF(3, 3)  # padding around the matrices: only the background is there
    assert close(Snapshot(window.scores).pixel(corner), LIGHT.background)
    assert_cells_show(Snapshot(window.scores), window.scores.matrix, LIGHT.empty)

    dark = next(a for a in window.theme_actions.actions() if a.text().startswith("Dark"))
    dark.trigger()
    assert window.appearance.theme is DARK
    for panel in window.panels:
        if panel.isVisible():
            assert close(Snapshot(panel).pixel(corner), DARK.background), panel.title
    assert_cells_show(Snapshot(window.scores), window.scores.matrix, DARK.empty)
    window.player.last()
    assert_cells_show(Snapshot(window.softmax), window.softmax.matrix, weights_expected(window))


# --------------------------------------------------------------------------- heads


def test_one_head_hides_the_head_selector_and_the_output_panel(open_window):
    window = open_window("seed-translate")
    assert window.model.n_heads == 1
    assert not window.transport.head.isVisible()
    assert not window.output.isVisible()


def test_two_heads_show_the_head_selector_and_the_output_panel(open_window):
    window = open_window("seed-causal")
    assert window.model.n_heads == 2
    assert window.transport.head.isVisible()
    assert window.transport.head.count() == 2
    assert window.output.isVisible()


def test_loading_a_one_head_preset_hides_the_head_selector_again(open_window):
    window = open_window("seed-causal")
    window.load_preset("seed-translate")
    settle()
    assert not window.transport.head.isVisible()
    assert not window.output.isVisible()
    window.load_preset("seed-causal")
    settle()
    assert window.transport.head.isVisible()
    assert window.output.isVisible()


def test_choosing_a_head_shows_that_heads_scores(open_window):
    window = open_window("seed-causal")
    window.player.last()
    trace = window.model.trace
    assert not np.allclose(trace.scaled[0], trace.scaled[1])
    window.transport.head.setCurrentIndex(1)
    assert window.focus.head == 1
    matrix = window.scores.matrix
    np.testing.assert_allclose(matrix.values, trace.scaled[1])
    np.testing.assert_allclose(window.softmax.matrix.values, trace.weights[1])
    assert "(head 2)" in matrix.title
    expected, masked = scores_expected(window)
    shown = [tuple(cell) for cell in np.argwhere(~masked)]
    assert_cells_show(Snapshot(window.scores), matrix, expected, shown)

    window.transport.head.setCurrentIndex(0)
    assert window.focus.head == 0
    np.testing.assert_allclose(matrix.values, trace.scaled[0])
