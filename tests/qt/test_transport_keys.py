"""The keyboard (and a presenter clicker) walks the class through the steps.

Keys are sent to the shown, active window, as a clicker's PageDown would be;
the assertions read the caption a lecturer's audience reads.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import Snapshot, assert_cells_show, step_index, wait_step_done
from PySide6.QtCore import Qt

from explainer.qt.player import SPEEDS
from explainer.qt.style import LIGHT, diverging_for

Key = Qt.Key


def fast(window):
    """Play at the top speed, chosen in the transport bar, so the tests do not wait long."""
    window.transport.speed.setCurrentIndex(len(SPEEDS) - 1)
    assert window.player.speed == max(SPEEDS)
    return window


def stage(window) -> str:
    """The step counter line of the caption, e.g. "2 / 26"."""
    return window.caption.stage.text().splitlines()[0]


def caption_matches_step(window) -> bool:
    step = window.player.timeline.steps[window.player.index]
    return window.caption.text.text() == step.caption


@pytest.mark.parametrize("key", [Key.Key_Right, Key.Key_PageDown])
def test_next_key_plays_the_next_step_and_stops_at_its_end(open_window, qtbot, key):
    window = fast(open_window("seed-translate"))
    n = len(window.player.timeline.steps)
    window.player.go_to_step(0)
    assert stage(window) == f"1 / {n}"
    qtbot.keyClick(window, key)
    assert window.player.playing  # the step animates …
    wait_step_done(qtbot, window)  # … and stops at its end, as a clicker expects
    assert stage(window) == f"2 / {n}"
    assert window.player.state.progress == pytest.approx(1.0, abs=1e-3)
    assert caption_matches_step(window)
    assert window.caption.stage.text().splitlines()[1] == "Queries"


def test_the_window_opens_with_the_tokens_shown_and_the_first_press_moves_on(open_window, qtbot):
    # The window opens on step 1 finished (the embeddings drawn), so a presenter's
    # first click goes to step 2 instead of replaying what is already on screen.
    window = fast(open_window("seed-translate"))
    n = len(window.player.timeline.steps)
    embeddings = window.embeddings
    assert stage(window) == f"1 / {n}"
    x = window.model.trace.x_q
    colors = diverging_for(np.concatenate([x.ravel(), window.model.trace.x_kv.ravel()]), LIGHT).rgba(x)
    assert_cells_show(Snapshot(embeddings), embeddings.x_q, colors)
    qtbot.keyClick(window, Key.Key_PageDown)
    wait_step_done(qtbot, window)
    assert stage(window) == f"2 / {n}"
    window.player.seek(0.0)  # the very start: nothing revealed yet
    assert_cells_show(Snapshot(embeddings), embeddings.x_q, LIGHT.empty)


def test_pressing_next_during_a_step_skips_to_the_following_one(open_window, qtbot):
    window = open_window("seed-translate")  # 1× speed: the step is still playing when we press again
    n = len(window.player.timeline.steps)
    window.player.go_to_step(0)
    qtbot.keyClick(window, Key.Key_Right)
    assert stage(window) == f"2 / {n}"
    qtbot.keyClick(window, Key.Key_Right)
    assert stage(window) == f"3 / {n}"
    assert window.player.playing
    fast(window)
    wait_step_done(qtbot, window)
    assert stage(window) == f"3 / {n}"


@pytest.mark.parametrize("key", [Key.Key_Left, Key.Key_PageUp])
def test_previous_key_shows_the_previous_step_finished(open_window, qtbot, key):
    window = open_window("seed-translate")
    n = len(window.player.timeline.steps)
    window.player.go_to_step(4)
    assert stage(window) == f"5 / {n}"
    qtbot.keyClick(window, key)
    assert not window.player.playing
    assert stage(window) == f"4 / {n}"
    assert window.player.state.progress == pytest.approx(1.0, abs=1e-3)
    assert caption_matches_step(window)


def test_home_and_end_go_to_the_first_and_last_step(open_window, qtbot):
    window = open_window("seed-causal")
    n = len(window.player.timeline.steps)
    qtbot.keyClick(window, Key.Key_End)
    assert stage(window) == f"{n} / {n}"
    assert caption_matches_step(window)
    assert window.player.state.shown("output").all()
    qtbot.keyClick(window, Key.Key_Home)
    assert stage(window) == f"1 / {n}"
    assert caption_matches_step(window)
    assert window.player.state.shown("x_q").all()  # Home shows step 1 finished: the tokens
    assert not window.player.state.shown("q").any()


def test_space_starts_and_stops_playing(open_window, qtbot):
    window = open_window("seed-translate")
    play = window.transport.play_button
    paused_icon = play.icon().cacheKey()
    qtbot.keyClick(window, Key.Key_Space)
    assert window.player.playing
    assert play.icon().cacheKey() != paused_icon  # the button shows "pause"
    t = window.player.t
    qtbot.waitUntil(lambda: window.player.t > t)  # the clock runs
    qtbot.keyClick(window, Key.Key_Space)
    assert not window.player.playing
    t = window.player.t
    qtbot.wait(80)
    assert window.player.t == t


def test_space_plays_on_through_the_steps(open_window, qtbot):
    window = fast(open_window("seed-translate"))
    n = len(window.player.timeline.steps)
    qtbot.keyClick(window, Key.Key_Space)
    qtbot.waitUntil(lambda: stage(window) == f"3 / {n}", timeout=10_000)
    assert window.player.playing  # it does not stop at a step's end
    qtbot.keyClick(window, Key.Key_Space)


def test_keys_work_while_a_transport_control_has_the_keyboard_focus(open_window, qtbot):
    window = open_window("seed-translate")
    n = len(window.player.timeline.steps)
    window.player.go_to_step(2)
    for control in (window.transport.detail, window.transport.speed, window.transport.next_button):
        control.setFocus()
        qtbot.waitUntil(control.hasFocus)
        qtbot.keyClick(control, Key.Key_End)
        assert stage(window) == f"{n} / {n}", type(control).__name__
        qtbot.keyClick(control, Key.Key_Home)
        assert stage(window) == f"1 / {n}"
        qtbot.keyClick(control, Key.Key_Space)
        assert window.player.playing
        qtbot.keyClick(control, Key.Key_Space)
        assert not window.player.playing


def test_the_caption_spells_out_a_dot_product_in_full_detail(open_window, qtbot):
    window = fast(open_window("seed-translate"))
    window.transport.detail.setCurrentText("full")  # every dot product is its own step
    assert window.player.timeline.detail == "full"
    trace = window.model.trace
    i, j = trace.query_tokens.index("hate"), trace.key_tokens.index("kirai")
    index = step_index(window, "dot", i, j)
    n = len(window.player.timeline.steps)
    window.player.go_to_step(index - 1)
    qtbot.keyClick(window, Key.Key_PageDown)
    wait_step_done(qtbot, window)
    assert stage(window) == f"{index + 1} / {n}"
    text = window.caption.text.text()
    assert text.startswith("score(hate, kirai) = q·k = ")
    assert text.endswith(f"{trace.scores[0, i, j]:.2f}")
    assert caption_matches_step(window)
    # The cell being computed is lit in the scores panel, and only it.
    lit = window.scores.matrix.step_lit
    assert lit[i, j] and lit.sum() == 1


def test_the_detail_combo_rebuilds_the_steps_and_the_counter(open_window, qtbot):
    window = open_window("seed-translate")
    counts = {}
    for detail in ("full", "first-query", "rows", "matrix"):
        window.transport.detail.setCurrentText(detail)
        counts[detail] = len(window.player.timeline.steps)
        qtbot.keyClick(window, Key.Key_End)
        assert stage(window) == f"{counts[detail]} / {counts[detail]}"
        assert window.transport.position.text() == f"{counts[detail]} / {counts[detail]}"
    assert counts["full"] > counts["first-query"] > counts["rows"] > counts["matrix"]


def test_switching_detail_keeps_the_picture_on_screen(open_window):
    # Step numbers differ between detail modes; what is drawn must not jump.
    window = open_window("seed-translate")
    detail, player = window.transport.detail, window.player
    player.last()
    detail.setCurrentText("full")
    n = len(player.timeline.steps)
    assert stage(window) == f"{n} / {n}"
    assert player.state.shown("weights").all() and player.state.shown("contributions").all()

    detail.setCurrentText("rows")
    player.go_to_step(step_index(window, "dot", 3))  # the score matrix just finished
    detail.setCurrentText("full")
    assert (player.state.step.kind, player.state.step.query, player.state.step.key) == ("dot", 3, 3)
    assert player.state.shown("scores").all() and not player.state.shown("weights").any()
    detail.setCurrentText("matrix")
    assert player.state.step.kind == "dot"
    assert player.state.shown("scores").all() and not player.state.shown("scaled").any()

    player.go_to_step(step_index(window, "scale"))
    detail.setCurrentText("first-query")
    assert player.state.step.kind == "scale"
    assert caption_matches_step(window)


def test_an_edit_keeps_the_head_and_cell_the_user_chose(open_window):
    window = open_window("seed-causal")
    player = window.player
    mat = window.model.query_tokens.index("mat")  # the lesson's worked query
    player.go_to_step(step_index(window, "dot", query=mat, key=1))  # a head-1 dot step
    window.focus.set(head=1, query=1, key=2)  # the lecturer picks head 2 and a cell
    window.model.set_value("w_q", (1, 0, 0), 0.75)
    assert (window.focus.head, window.focus.query, window.focus.key) == (1, 1, 2)
    assert window.transport.head.currentIndex() == 1


def test_next_after_scrubbing_into_a_step_plays_on_from_there(open_window, qtbot):
    window = open_window("seed-translate")
    player = window.player
    index = 5
    start, duration = player.timeline.start(index), player.timeline.steps[index].duration
    player.seek(start + duration * 0.6)  # scrubbed part-way into step 6
    player.next_step()
    assert player.index == index and player.state.progress >= 0.6  # not back to the start
    qtbot.waitUntil(lambda: not player.playing, timeout=5000)
    assert player.index == index and player.state.progress > 0.99
