"""The lecture's scenes as pages of the window: the same keys, doors into the attention, the way back."""

from __future__ import annotations

import functools

import pytest
from PySide6.QtCore import Qt

from explainer.scenes import ARCHITECTURE_DIAGRAMS, Door, timing_caption

Key = Qt.Key

DOORS = [block.door for diagram in ARCHITECTURE_DIAGRAMS for block in diagram.blocks if block.door]


def scene_caption(window) -> str:
    clock = window.active_clock()
    return clock.timeline.steps[clock.index].caption


def test_the_window_keys_drive_the_scene_on_screen_not_the_walkthrough(open_window, qtbot):
    window = open_window()
    walkthrough_at = window.player.index
    window.show_scene("architecture")
    clock = window.active_clock()
    assert clock is not window.player and window.scenes.current == "architecture"
    clock.set_speed(4.0)
    assert clock.index == 0
    qtbot.keyClick(window, Key.Key_PageDown)  # a presenter clicker
    qtbot.waitUntil(lambda: not clock.playing, timeout=15_000)
    assert clock.index == 1
    assert window.scenes.page("architecture").caption.text() == scene_caption(window)
    qtbot.keyClick(window, Key.Key_End)
    assert clock.index == len(clock.timeline.steps) - 1
    qtbot.keyClick(window, Key.Key_Home)
    assert clock.index == 0
    assert window.player.index == walkthrough_at  # the walkthrough stayed where it was
    window.show_attention()
    assert window.active_clock() is window.player


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.title)
def test_every_door_opens_its_attention_and_back_returns_to_the_scene(open_window, door: Door):
    window = open_window()
    window.show_scene("architecture")
    window.scenes.page("architecture").door_requested.emit(door)
    model = window.model
    assert window.scenes.current is None  # the step-by-step view is on screen
    assert model.query_tokens == list(door.query_tokens)
    assert model.key_tokens == list(door.key_tokens)
    assert model.self_attention == (door.mode != "cross")
    assert model.causal == (door.mode == "causal")
    assert window.player.index == 0
    assert window.back_bar.isVisible() and window.back_bar.label.text() == door.title
    window.back_bar.button.click()
    assert window.scenes.current == "architecture"
    assert not window.back_bar.isVisible()


def test_a_key_on_the_scene_opens_the_door_it_names(open_window, qtbot):
    window = open_window()
    window.show_scene("architecture")
    keyed = {block.key: block.door for d in ARCHITECTURE_DIAGRAMS for block in d.blocks if block.door}
    page = window.scenes.page("architecture")
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_2)
    door = keyed["2"]
    assert window.scenes.current is None
    assert window.model.query_tokens == list(door.query_tokens)
    assert window.model.causal == (door.mode == "causal")
    qtbot.keyClick(window, Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.scenes.current == "architecture"


def test_opening_a_preset_after_a_door_hides_the_way_back(open_window):
    window = open_window()
    window.show_scene("architecture")
    window.scenes.page("architecture").door_requested.emit(DOORS[0])
    window.load_preset("seed-self")
    assert not window.back_bar.isVisible()


def test_the_rnn_scene_measures_on_this_machine_and_its_chart_caption_reads_the_figures(open_window, qtbot):
    window = open_window()
    window.show_scene("rnn-vs-attention")
    qtbot.waitUntil(lambda: "rnn-vs-attention" in window.scenes.timings, timeout=60_000)
    points = window.scenes.timings["rnn-vs-attention"]
    clock = window.active_clock()
    chart = [step for step in clock.timeline.steps if step.name == "chart"]
    assert chart and chart[0].caption == timing_caption(points)
    assert [p.n for p in points] == sorted({p.n for p in points})
    assert all(p.rnn_seconds > 0 and p.attention_seconds > 0 for p in points)


def test_file_export_on_a_scene_writes_the_scene_and_a_still_of_the_step_on_screen(
    open_window, monkeypatch, tmp_path
):
    from explainer.export import probe
    from explainer.qt import export_job, window_exports

    window = open_window()
    window.show_scene("architecture")
    window.active_clock().go_to_step(4)
    still = tmp_path / "step.png"
    monkeypatch.setattr(window_exports.QFileDialog, "getSaveFileName", lambda *a, **k: (str(still), ""))
    next(a for a in window.actions() if a.text() == "Export &still…").trigger()
    assert probe(still)["width"] == 1280
    assert window.statusBar().currentMessage() == f"Wrote {still}"
    video = tmp_path / "scene.gif"
    monkeypatch.setattr(window_exports.QFileDialog, "getSaveFileName", lambda *a, **k: (str(video), ""))
    # The dialog's 1280×720 at 30 fps is a minute of rendering: the same path, smaller and slower.
    small = functools.partial(export_job.ExportOptions, size=(320, 180), fps=2)
    monkeypatch.setattr(export_job, "ExportOptions", small)
    next(a for a in window.actions() if a.text() == "&Export animation…").trigger()
    assert probe(video)["frames"] > len(window.active_clock().timeline.steps)
    assert window.model.query_tokens == ["I", "hate", "this", "movie"]  # the attention untouched


def test_the_scene_transport_wears_the_theme_from_its_first_frame(open_window):
    from PySide6.QtGui import QColor

    window = open_window(theme="dark")
    window.show_scene("architecture")
    bar = window.scenes.scenes["architecture"].transport
    picture = bar.grab().toImage()
    corner = picture.pixelColor(picture.width() - 3, 2)
    assert corner.name() == QColor(window.appearance.theme.panel).name()


def test_back_returns_to_the_scene_the_door_was_opened_from(open_window):
    window = open_window()
    window.show_scene("architecture")
    window.scenes.page("architecture").door_requested.emit(DOORS[0])
    window.show_scene("rnn-vs-attention")  # a look elsewhere in between
    window.show_attention()
    assert window.back_bar.button.text() == "← Back to “Where attention lives”"
    window.back_bar.button.click()
    assert window.scenes.current == "architecture"
