"""Learn it live, in the window: pick targets on α, learn, pause, step, stop, undo, as a lecturer does.

Targets are picked by clicking α cells on the real viewport; a run is driven by the
dock's own 60 Hz timer (qtbot.waitUntil), and what is checked is what the class
sees: the flag on a targeted cell, the numbers and colours of W_Q, the loss curve,
the dock's caption and the status bar.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import shiboken6
from helpers import Snapshot, assert_cells_show, cell_size_px, click, close, rgb, settle, type_into
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QToolButton

from explainer.model import PRESET_PATTERNS, AttentionModel, Document, preset_target
from explainer.qt.app import build_window, dispose
from explainer.qt.learning.marks import flag_legs
from explainer.qt.style import DARK, LIGHT, diverging_for, weights_scale

Key, Ctrl, Shift = Qt.Key, Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
RUN_TIMEOUT_MS = 60_000  # a run ticks at 60 Hz; a loaded test machine may tick far slower


def learn_dock(qtbot, window):
    """Show the Learn dock with its key (Ctrl+L), as a lecturer would."""
    qtbot.keyClick(window, Key.Key_L, Ctrl)
    assert window.docks.learn.isVisible()
    settle()
    return window.learning


def press(qtbot, learning, action) -> None:
    """Click the dock's button for ``action``."""
    buttons = [b for b in learning.panel.findChildren(QToolButton) if b.defaultAction() is action]
    assert len(buttons) == 1, action.text()
    assert buttons[0].isEnabled(), f"{action.text()} is disabled: {action.toolTip()}"
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)


def status(window) -> str:
    return window.statusBar().currentMessage()


def flag_colour(window, cell) -> tuple[int, int, int]:
    """The colour on screen inside where ``cell``'s target flag goes (its top-right corner)."""
    r, c = cell
    size = cell_size_px(window.softmax, window.softmax.matrix)
    inset = (
        flag_legs(size) / size / 3
    )  # a third of the flag's legs in from the corner: inside it, clear of outlines
    return rgb(Snapshot(window.softmax).item_point(window.softmax.matrix, QPointF(c + 1 - inset, r + inset)))


def alpha_colour(window, cell, theme=LIGHT) -> tuple[int, int, int]:
    h = window.focus.head
    return rgb(weights_scale(theme).qcolor(float(window.model.trace.weights[h][cell])))


def wait_for_iterations(qtbot, learning, n: int) -> None:
    qtbot.waitUntil(
        lambda: learning.learner.progress is not None and learning.learner.progress.iteration >= n,
        timeout=RUN_TIMEOUT_MS,
    )


def iteration(learning) -> int:
    return learning.learner.progress.iteration


def on_target(model: AttentionModel, target) -> bool:
    """Every targeted row's largest α is on one of its targeted keys (read from the trace)."""
    weights = model.trace.weights
    return all(
        rows[i, int(np.argmax(weights[h, i]))] > 0
        for h, rows in target.rows.items()
        for i in range(rows.shape[0])
        if rows[i].sum() > 0
    )


# ---------------------------------------------------------------- picking targets
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_clicking_alpha_cells_picks_targets_and_flags_them(open_window, qtbot, theme):
    window = open_window("seed-translate", theme=theme)
    learning = learn_dock(qtbot, window)
    assert "No target yet" in learning.panel.hint.text()
    assert not learning.panel.learn_action.isEnabled()
    softmax, matrix = window.softmax, window.softmax.matrix
    colours = DARK if theme == "dark" else LIGHT
    plain = flag_colour(window, (1, 3))
    assert close(plain, alpha_colour(window, (1, 3), colours))  # no flag yet: the cell's own colour

    click(qtbot, softmax, matrix, (1, 3), until=lambda: learning.targets.count() == 1)  # hate → kirai
    assert status(window) == "Target: “hate” should attend to “kirai”"
    assert learning.targets.cells[0][1, 3]
    assert close(flag_colour(window, (1, 3)), colours.step)
    assert close(flag_colour(window, (1, 2)), alpha_colour(window, (1, 2), colours))  # its neighbour: no flag
    assert "Target: 1 cell in 1 row" in learning.panel.hint.text()
    assert learning.panel.learn_action.isEnabled()

    click(qtbot, softmax, matrix, (1, 0), until=lambda: learning.targets.count() == 2)  # several per row
    assert "shared with 1 other key" in status(window)
    assert close(flag_colour(window, (1, 0)), colours.step)

    click(qtbot, softmax, matrix, (1, 3), until=lambda: learning.targets.count() == 1)  # again: removed
    assert status(window) == "Target removed: “hate” → “kirai”"
    assert close(flag_colour(window, (1, 3)), alpha_colour(window, (1, 3), colours))


def test_without_the_dock_a_click_focuses_and_the_flags_hide(open_window, qtbot):
    window = open_window("seed-translate")
    learning = learn_dock(qtbot, window)
    click(qtbot, window.softmax, window.softmax.matrix, (2, 0), until=lambda: learning.targets.count() == 1)
    qtbot.keyClick(window, Key.Key_L, Ctrl)  # hide the dock
    assert not window.docks.learn.isVisible()
    settle()
    assert close(flag_colour(window, (2, 0)), alpha_colour(window, (2, 0)))  # no flag outside learning
    click(qtbot, window.softmax, window.softmax.matrix, (3, 1), focus=(3, 1))
    assert learning.targets.count() == 1  # the click focused the cell; the target is as it was


def test_a_masked_cell_is_refused_with_the_models_message(open_window, qtbot):
    window = open_window("seed-causal")
    learning = learn_dock(qtbot, window)
    before = window.model.state
    masked = (1, 4)  # "cat" cannot attend to the later "the"
    assert window.model.trace.mask[masked]
    click(
        qtbot,
        window.softmax,
        window.softmax.matrix,
        masked,
        until=lambda: "is masked" in status(window),
    )
    assert status(window).startswith("α(cat, the) is masked: a query cannot attend to a later key")
    assert learning.targets.count() == 0
    assert "No target yet" in learning.panel.hint.text()
    assert close(flag_colour(window, masked), alpha_colour(window, masked))  # α = 0's colour, no flag
    assert window.model.state.same_as(before)


def test_the_preset_pattern_fills_the_target_and_a_hand_built_model_has_none(qtbot):
    window = build_window(Document.from_preset("seed-translate"))
    bare = build_window(AttentionModel(["a", "b", "c"]))
    try:
        for win in (window, bare):
            win.show()
            qtbot.waitExposed(win)
        learning = window.learning
        learning.dock.show()
        press(qtbot, learning, learning.panel.preset_action)
        expected = preset_target(window.model, "seed-translate")
        assert learning.targets.cells[0].tolist() == (expected.rows[0] > 0).tolist()
        assert "hate → kirai, this → kono, movie → eiga" in status(window)
        preset = bare.learning.panel.preset_action
        assert not preset.isEnabled()
        assert "Only a shipped preset has an intended pattern" in preset.toolTip()
    finally:
        dispose(window)
        dispose(bare)


# ---------------------------------------------------------------- running
def test_a_run_lowers_the_loss_moves_every_panel_and_is_one_undo_entry(open_window, qtbot):
    window = open_window("seed-translate")
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    press(qtbot, learning, learning.panel.scramble_action)  # one undo entry of its own
    learning.panel.iterations.setValue(40)
    scrambled, entries = window.model.state, window.history.undo_count
    w_item = window.projections.rows[0][2]  # W_Q, as the projections panel draws it
    assert np.array_equal(w_item.values, scrambled.params["w_q"][0])

    qtbot.keyClick(window, Key.Key_L, Ctrl | Shift)  # Learn
    assert learning.learner.running
    assert learning.panel.learn_action.text() == "&Pause"
    assert status(window) == "Learning W_Q and W_K toward 3 targeted cells of α (Ctrl+Shift+L: pause)"
    qtbot.waitUntil(lambda: not learning.learner.running, timeout=RUN_TIMEOUT_MS)
    assert iteration(learning) == 40
    assert "Learning finished after 40 iterations" in status(window)

    losses = np.asarray(learning.learner.progress.losses)
    assert len(losses) == 41 and losses[-1] < 0.5 * losses[0]
    x, y = learning.panel.curve.curve.getData()  # the curve holds every iteration's loss
    assert len(x) == 41 and np.allclose(10**y, losses)  # (pyqtgraph keeps log10 of a log axis)
    # Every panel shows the learned weights: W_Q's numbers and its colours on screen, and α.
    learned = window.model.trace
    assert not np.array_equal(learned.w_q, scrambled.params["w_q"])
    assert np.array_equal(w_item.values, learned.w_q[0])
    settle()
    assert_cells_show(
        Snapshot(window.projections), w_item, diverging_for(learned.w_q[0], LIGHT).rgba(learned.w_q[0])
    )
    assert np.array_equal(window.softmax.matrix.values, learned.weights[0])
    text = learning.panel.caption.text()
    assert text.startswith(f"iteration 40: loss {losses[-1]:.3g}, largest change W_")

    assert window.history.undo_count == entries + 1  # the whole run: one entry
    qtbot.keyClick(window, Key.Key_Z, Ctrl)
    for name, array in scrambled.params.items():
        assert np.array_equal(window.model.params[name], array), name  # exactly, every number
    assert np.array_equal(w_item.values, scrambled.params["w_q"][0])


def test_scramble_is_one_undo_entry_with_a_new_seed_each_press(open_window, qtbot):
    window = open_window("seed-cross")
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    target = preset_target(window.model, "seed-cross")
    shipped, entries = window.model.state, window.history.undo_count
    press(qtbot, learning, learning.panel.scramble_action)
    first = window.model.params["w_q"].copy()
    assert status(window) == "W_Q and W_K scrambled (seed 1): press Learn to watch the pattern emerge"
    assert not on_target(window.model, target)  # the class sees it emerge, not find it there
    press(qtbot, learning, learning.panel.scramble_action)
    assert "(seed 2)" in status(window)
    assert not np.array_equal(window.model.params["w_q"], first)
    for name in ("w_v", "w_o", "x_q", "x_kv"):
        assert np.array_equal(window.model.params[name], shipped.params[name]), name  # only W_Q, W_K
    assert window.history.undo_count == entries + 2  # one entry per press
    qtbot.keyClick(window, Key.Key_Z, Ctrl)
    assert np.array_equal(window.model.params["w_q"], first)
    qtbot.keyClick(window, Key.Key_Z, Ctrl)
    assert window.model.state.same_as(shipped)


def test_the_caption_names_the_weight_that_moved_most_counting_from_1(open_window, qtbot):
    window = open_window("seed-causal")
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    before = {name: window.model.params[name].copy() for name in ("w_q", "w_k")}
    press(qtbot, learning, learning.panel.step_action)
    assert iteration(learning) == 1
    changes = {name: np.abs(window.model.params[name] - before[name]) for name in before}
    name = max(changes, key=lambda n: changes[n].max())
    head, row, col = np.unravel_index(int(np.argmax(changes[name])), changes[name].shape)
    by = float(changes[name].max())
    match = re.fullmatch(
        r"iteration 1: loss ([\d.e-]+), largest change (W_[QK])\[(\d+), (\d+)\] \(head (\d)\) by ([\d.e-]+)",
        learning.panel.caption.text(),
    )
    assert match, learning.panel.caption.text()
    assert match[2] == f"W_{name[-1].upper()}"
    assert (int(match[3]), int(match[4]), int(match[5])) == (row + 1, col + 1, head + 1)
    assert float(match[6]) == pytest.approx(by, rel=0.05)


@pytest.mark.parametrize("preset", ["seed-translate", "seed-causal"])
def test_scrambled_weights_learn_the_preset_pattern(open_window, qtbot, preset):
    window = open_window(preset)
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    target = preset_target(window.model, preset)
    assert learning.panel.chosen_head() is None  # all heads: seed-causal's two learn their own targets
    press(qtbot, learning, learning.panel.scramble_action)
    assert not on_target(window.model, target)
    assert "still look elsewhere" in learning.panel.verdict.text()

    press(qtbot, learning, learning.panel.learn_action)
    qtbot.waitUntil(lambda: learning.learner.progress.learned_at is not None, timeout=RUN_TIMEOUT_MS)
    learned_at = learning.learner.progress.learned_at
    assert learning.learner.running  # it keeps going until the count or Stop
    press(qtbot, learning, learning.panel.stop_action)
    assert on_target(window.model, target)
    said = f"Learned at iteration {learned_at}: every targeted row looks where you asked"
    assert learning.panel.verdict.text() == said
    assert set(PRESET_PATTERNS[preset]) == set(target.heads)


def test_pause_step_resume_and_stop_keep_one_undo_entry(open_window, qtbot):
    window = open_window("seed-self")
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    entries = window.history.undo_count
    start = window.model.state
    press(qtbot, learning, learning.panel.learn_action)
    wait_for_iterations(qtbot, learning, 3)
    press(qtbot, learning, learning.panel.learn_action)  # Pause
    assert not learning.learner.running
    assert learning.panel.learn_action.text() == "&Resume"
    paused_at = iteration(learning)
    qtbot.wait(100)
    assert iteration(learning) == paused_at  # paused means paused
    press(qtbot, learning, learning.panel.step_action)
    assert iteration(learning) == paused_at + 1 and not learning.learner.running
    flagged = (0, 3)  # this → example
    qtbot.keyClick(window, Key.Key_L, Ctrl)  # the dock hides; the run under way keeps its flags
    settle()
    assert close(flag_colour(window, flagged), LIGHT.step)
    qtbot.keyClick(window, Key.Key_L, Ctrl)
    press(qtbot, learning, learning.panel.learn_action)  # Resume: the same run, the same curve
    wait_for_iterations(qtbot, learning, paused_at + 3)
    press(qtbot, learning, learning.panel.stop_action)
    assert not learning.learner.running
    assert learning.panel.learn_action.text() == "&Learn"
    assert not learning.panel.stop_action.isEnabled()
    assert len(learning.learner.progress.losses) == iteration(learning) + 1
    assert status(window).startswith(f"Learning stopped at iteration {iteration(learning)}")
    qtbot.keyClick(window, Key.Key_L, Ctrl)  # no run, no dock: no flags on the walkthrough's α
    settle()
    assert close(flag_colour(window, flagged), alpha_colour(window, flagged))
    assert window.history.undo_count == entries + 1
    qtbot.keyClick(window, Key.Key_Z, Ctrl)
    assert window.model.state.same_as(start)


def test_editing_a_weight_by_hand_pauses_the_run_first(open_window, qtbot):
    window = open_window("seed-translate")
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    window.docks.weights.show()
    entries = window.history.undo_count
    press(qtbot, learning, learning.panel.learn_action)
    wait_for_iterations(qtbot, learning, 2)
    type_into(qtbot, window.weight_editor.views["w_v"], 0, 0, "2.5")
    assert not learning.learner.running
    assert status(window).startswith("Learning paused: you are editing the weights")
    assert window.model.params["w_v"][0, 0, 0] == 2.5
    learned = window.model.params["w_q"].copy()
    assert window.history.undo_count == entries + 2  # the run, then the hand edit: each its own entry
    qtbot.keyClick(window, Key.Key_Z, Ctrl)  # undoes the hand edit only
    assert window.model.params["w_v"][0, 0, 0] != 2.5
    assert np.array_equal(window.model.params["w_q"], learned)


def test_a_new_sentence_during_a_run_pauses_it_and_clears_the_target(open_window, qtbot):
    window = open_window("seed-self")
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    window.docks.tokens.show()
    press(qtbot, learning, learning.panel.learn_action)
    wait_for_iterations(qtbot, learning, 2)
    field = window.token_editor.findChildren(QLineEdit)[0]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "a cat sat")
    assert not learning.learner.running  # the first key paused it
    qtbot.keyClick(field, Key.Key_Return)
    assert window.model.query_tokens == ["a", "cat", "sat"]
    assert learning.targets.count() == 0
    assert "the target was cleared" in status(window)
    assert "No target yet" in learning.panel.hint.text()


def test_the_head_box_chooses_the_head_that_learns(open_window, qtbot):
    window = open_window("seed-causal")
    learning = learn_dock(qtbot, window)
    box = learning.panel.head
    assert box.isVisibleTo(window)
    assert [box.itemText(i) for i in range(box.count())] == ["all heads", "head 1", "head 2"]
    press(qtbot, learning, learning.panel.preset_action)
    box.setCurrentIndex(2)
    assert window.focus.head == 1  # the head that learns is the one on screen
    before = window.model.params["w_q"].copy()
    press(qtbot, learning, learning.panel.step_action)
    after = window.model.params["w_q"]
    assert np.array_equal(after[0], before[0]) and not np.array_equal(after[1], before[1])
    window.focus.set(head=0)  # the transport's head box: the dock follows
    assert box.currentText() == "head 1"
    one_head = open_window("seed-translate")
    assert not learn_dock(qtbot, one_head).panel.head.isVisibleTo(one_head)


def test_no_key_of_the_window_does_two_things(open_window):
    window = open_window("seed-translate")
    keys: dict[str, str] = {}
    for action in window.actions():
        for shortcut in action.shortcuts():
            name = shortcut.toString()
            assert name not in keys, f"{name} is both {keys[name]!r} and {action.text()!r}"
            keys[name] = action.text()
    assert {"Ctrl+L", "Ctrl+Shift+L", "Ctrl+Shift+I", "Ctrl+Shift+K"} <= set(keys)


def test_closing_the_window_mid_run_is_clean(open_window, qtbot):
    window = open_window("seed-causal")
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    press(qtbot, learning, learning.panel.learn_action)
    wait_for_iterations(qtbot, learning, 2)
    learner, curve = learning.learner, learning.panel.curve
    dispose(window)
    assert not shiboken6.isValid(window)
    assert not shiboken6.isValid(curve)  # the loss curve (pyqtgraph) went with the window
    assert not learner.running
    qtbot.wait(100)  # no tick after the window has gone
    QApplication.processEvents()


def test_the_learn_menu_exports_a_run_toward_the_docks_target(open_window, qtbot, monkeypatch, tmp_path):
    """Learn ▸ Export learning run…: a video toward the dock's target, from the weights on screen."""
    from explainer.qt import window_exports

    window = open_window("seed-translate")
    action = next(a for a in window.actions() if a.text() == "&Export learning run…")
    action.trigger()  # no target yet: said, nothing asked
    assert status(window).startswith("Export learning run: pick a target first")
    learning = learn_dock(qtbot, window)
    press(qtbot, learning, learning.panel.preset_action)
    learning.panel.iterations.setValue(6)
    target = tmp_path / "run.gif"
    monkeypatch.setattr(window_exports.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    before = window.model.state
    action.trigger()
    assert target.exists() and target.stat().st_size > 0
    assert status(window) == f"Wrote {target}"
    assert window.model.state.params["w_q"].tobytes() == before.params["w_q"].tobytes()  # a copy learned
