"""WeightEditor: build model → build editor → act like a user → check what they see and the model."""

import numpy as np
import pytest
from helpers import type_into
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from explainer.model import AttentionModel, Document, History, PresetSource, PretrainedSource
from explainer.qt.editors import WeightEditor

W_Q_TAB = 2


@pytest.fixture
def document():
    return Document.from_preset("seed-translate")


@pytest.fixture
def model(document):
    return document.model


@pytest.fixture
def history(model):
    history = History(model)
    yield history
    history.close()


@pytest.fixture
def editor(qtbot, document, history):
    editor = WeightEditor(document, history)
    qtbot.addWidget(editor)  # closed (and so disconnected) at the end of each test
    editor.resize(700, 400)
    editor.show()
    qtbot.waitExposed(editor)
    editor.tabs.setCurrentIndex(W_Q_TAB)
    return editor


def count_changes(model):
    seen = []
    model.changed.connect(seen.append)
    return seen


def shown(editor, name, row, column):
    table = editor.views[name].model()
    return table.data(table.index(row, column))


def type_into_cell(qtbot, editor, name, row, column, text):
    type_into(qtbot, editor.views[name], row, column, text)


def cell_centre(editor, name, row, column):
    view = editor.views[name]
    return QPointF(view.visualRect(view.model().index(row, column)).center())


def send_mouse(viewport, kind, pos, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier):
    event = QMouseEvent(kind, pos, viewport.mapToGlobal(pos), button, buttons, modifiers)
    QApplication.sendEvent(viewport, event)


def send_wheel(viewport, pos, notches, modifiers=Qt.KeyboardModifier.NoModifier):
    event = QWheelEvent(
        pos,
        viewport.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def drag(editor, name, row, column, dy_per_move, moves, modifiers=Qt.KeyboardModifier.NoModifier):
    viewport = editor.views[name].viewport()
    start = cell_centre(editor, name, row, column)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send_mouse(viewport, QEvent.Type.MouseButtonPress, start, left, left, modifiers)
    for step in range(1, moves + 1):
        pos = start + QPointF(0, dy_per_move * step)
        send_mouse(viewport, QEvent.Type.MouseMove, pos, none, left, modifiers)
    end = start + QPointF(0, dy_per_move * moves)
    send_mouse(viewport, QEvent.Type.MouseButtonRelease, end, left, none, modifiers)


# ---------------------------------------------------------------- typing
def test_the_table_shows_the_weights_with_three_decimals(editor, model):
    value = model.params["w_q"][0, 1, 3]
    assert shown(editor, "w_q", 1, 3) == f"{value + 0.0:.3f}"
    assert editor.tabs.tabText(0) == "X_q" and editor.tabs.isTabVisible(1)


def test_typing_a_number_changes_the_weight(qtbot, editor, model, history):
    type_into_cell(qtbot, editor, "w_q", 0, 2, "0.5")
    assert model.params["w_q"][0, 0, 2] == 0.5
    assert shown(editor, "w_q", 0, 2) == "0.500"
    assert editor.message_text() == ""
    assert history.undo_count == 1


def test_any_key_starts_an_edit_that_replaces_the_text(qtbot, editor, model):
    view = editor.views["w_k"]
    editor.tabs.setCurrentIndex(3)
    view.setCurrentIndex(view.model().index(2, 1))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    line = QApplication.focusWidget()
    assert isinstance(line, QLineEdit) and line.text() == "-"
    qtbot.keyClicks(line, "0.25")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.params["w_k"][0, 2, 1] == -0.25)


@pytest.mark.parametrize("text", ["abc", "nan", "1e999", "", "inf"])
def test_bad_text_is_refused_with_a_visible_message(qtbot, editor, model, text):
    before = model.state
    changes = count_changes(model)
    old_text = shown(editor, "w_q", 0, 2)
    type_into_cell(qtbot, editor, "w_q", 0, 2, text)
    assert editor.message_text() == f"W_Q row 1, column 3: expected a finite number, got {text!r}"
    assert editor.message.isVisible()
    assert model.state.same_as(before) and changes == []
    assert shown(editor, "w_q", 0, 2) == old_text


def test_a_value_beyond_the_limit_shows_why(qtbot, editor, model):
    before = model.state
    type_into_cell(qtbot, editor, "w_q", 1, 1, "2e6")
    assert "at most 1e+06" in editor.message_text()
    assert model.state.same_as(before)


def test_a_good_edit_clears_the_message(qtbot, editor, model):
    type_into_cell(qtbot, editor, "w_q", 0, 0, "abc")
    type_into_cell(qtbot, editor, "w_q", 0, 0, "-1.5")
    assert editor.message_text() == "" and not editor.message.isVisible()
    assert model.params["w_q"][0, 0, 0] == -1.5


# ---------------------------------------------------------------- wheel and drag
def test_the_wheel_steps_the_value(editor, model):
    viewport = editor.views["w_q"].viewport()
    start = model.params["w_q"][0, 1, 1]
    send_wheel(viewport, cell_centre(editor, "w_q", 1, 1), 1)
    assert model.params["w_q"][0, 1, 1] == pytest.approx(start + 0.05)
    assert shown(editor, "w_q", 1, 1) == f"{start + 0.05:.3f}"


def test_shift_wheel_takes_fine_steps(qtbot, editor, model):
    viewport = editor.views["w_q"].viewport()
    start = model.params["w_q"][0, 2, 0]
    send_wheel(viewport, cell_centre(editor, "w_q", 2, 0), -1, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: model.params["w_q"][0, 2, 0] != start)
    assert model.params["w_q"][0, 2, 0] == pytest.approx(start - 0.01)


def test_a_run_of_wheel_notches_is_one_undo_entry(qtbot, editor, model, history):
    viewport = editor.views["w_q"].viewport()
    start = model.params["w_q"][0, 0, 0]
    for _ in range(3):
        send_wheel(viewport, cell_centre(editor, "w_q", 0, 0), 1)
    qtbot.waitUntil(lambda: model.params["w_q"][0, 0, 0] == pytest.approx(start + 0.15))
    assert history.undo_count == 1
    history.undo()
    assert model.params["w_q"][0, 0, 0] == start


def test_dragging_up_scrubs_the_value_with_few_recomputes(editor, model, history):
    start = model.params["w_q"][0, 1, 2]
    changes = count_changes(model)
    moves = 12
    drag(editor, "w_q", 1, 2, -3, moves)  # up by 36 px
    changed = model.params["w_q"][0, 1, 2]
    assert changed > start
    assert 1 <= len(changes) < moves
    assert shown(editor, "w_q", 1, 2) == f"{changed:.3f}"
    assert history.undo_count == 1
    assert history.undo() is True
    assert model.params["w_q"][0, 1, 2] == start
    assert not history.can_undo


def test_shift_drag_is_finer(editor, model):
    start = model.params["w_q"][0, 3, 3]
    drag(editor, "w_q", 3, 3, 3, 10, Qt.KeyboardModifier.ShiftModifier)  # down by 30 px
    fine = start - model.params["w_q"][0, 3, 3]
    assert 0 < fine < 0.05


def test_a_click_without_moving_does_not_edit(editor, model):
    before = model.state
    drag(editor, "w_q", 0, 0, 1, 2)  # 2 px: below the drag threshold
    assert model.state.same_as(before)


# ---------------------------------------------------------------- buttons
def test_zero_clears_the_shown_matrix(qtbot, editor, model, history):
    w_k = np.array(model.params["w_k"])
    qtbot.mouseClick(editor.zero_button, Qt.MouseButton.LeftButton)
    assert np.all(model.params["w_q"] == 0.0)
    assert np.array_equal(model.params["w_k"], w_k)
    assert shown(editor, "w_q", 0, 0) == "0.000"
    assert history.undo_count == 1


def test_identity_sets_the_diagonal(qtbot, editor, model):
    editor.tabs.setCurrentIndex(5)  # W_O
    qtbot.mouseClick(editor.identity_button, Qt.MouseButton.LeftButton)
    assert np.array_equal(model.params["w_o"], np.eye(*model.params["w_o"].shape))
    assert shown(editor, "w_o", 1, 1) == "1.000" and shown(editor, "w_o", 1, 0) == "0.000"


def test_identity_is_only_for_weight_matrices(editor):
    editor.tabs.setCurrentIndex(0)
    assert not editor.identity_button.isEnabled()
    editor.tabs.setCurrentIndex(6)
    assert not editor.identity_button.isEnabled()
    editor.tabs.setCurrentIndex(W_Q_TAB)
    assert editor.identity_button.isEnabled()
    assert editor.identity_button.toolTip() and editor.zero_button.toolTip()


def test_zero_on_the_biases_tab_clears_all_biases_as_one_edit(qtbot, editor, model, history):
    model.set_value("b_q", (0, 1), 2.0)
    model.set_value("b_o", (3,), -1.0)
    editor.tabs.setCurrentIndex(6)
    qtbot.mouseClick(editor.zero_button, Qt.MouseButton.LeftButton)
    assert all(np.all(model.params[name] == 0) for name in ("b_q", "b_k", "b_v", "b_o"))
    history.undo()
    assert model.params["b_o"][3] == -1.0


def test_reset_to_preset_brings_the_preset_back(qtbot, editor, model):
    preset = AttentionModel.from_preset("seed-translate").state
    qtbot.mouseClick(editor.zero_button, Qt.MouseButton.LeftButton)
    model.set_value("x_q", (0, 0), 9.0)
    assert editor.reset_button.isEnabled()
    qtbot.mouseClick(editor.reset_button, Qt.MouseButton.LeftButton)
    assert model.state.same_as(preset)
    assert shown(editor, "w_q", 0, 2) == f"{preset.params['w_q'][0, 0, 2] + 0.0:.3f}"


def test_reset_is_disabled_without_a_preset(qtbot):
    model = AttentionModel(["a", "b"], d_model=4, d_k=2)
    history = History(model)
    editor = WeightEditor(Document(model), history)  # no source: made by hand
    qtbot.addWidget(editor)
    assert not editor.reset_button.isEnabled()
    history.close()


PRETRAINED = PretrainedSource(
    checkpoint="all-MiniLM-L6-v2", folder="checkpoint", is_default=True, layer=2, n_layers=6, text="a b"
)


def test_reset_follows_where_the_numbers_came_from(qtbot, editor, document, model):
    # Another source with the same numbers: only source_changed tells the editor.
    document.set_source(None)
    assert not editor.reset_button.isEnabled()
    document.set_source(PRETRAINED)
    assert not editor.reset_button.isEnabled()  # a checkpoint's layer is no preset
    self_preset = Document.from_preset("seed-self")
    document.replace(self_preset.model.state, self_preset.source)
    assert editor.reset_button.isEnabled()
    # Reset goes back to the preset the document names now, not the one the editor opened on.
    model.set_value("w_q", (0, 0, 0), 9.0)
    qtbot.mouseClick(editor.reset_button, Qt.MouseButton.LeftButton)
    assert model.state.same_as(AttentionModel.from_preset("seed-self").state)
    document.replace(AttentionModel.from_preset("seed-translate").state, None)
    assert not editor.reset_button.isEnabled()
    document.replace(model.state, PresetSource("seed-translate"))
    assert editor.reset_button.isEnabled()


def test_randomize_draws_from_the_seed(qtbot, editor, model, history):
    x_q = np.array(model.params["x_q"])
    seed = model.seed
    editor.seed_spin.setValue(7)
    qtbot.mouseClick(editor.randomize_button, Qt.MouseButton.LeftButton)
    again = AttentionModel.from_preset("seed-translate")
    again.randomize(7)
    assert np.array_equal(model.params["w_q"], again.params["w_q"])
    assert np.array_equal(model.params["x_q"], x_q)
    assert model.seed == model.state.seed == 7  # the seed is part of the numbers now
    history.undo()
    assert model.seed == seed  # and undo brings the old one back with the weights


# ---------------------------------------------------------------- following the model
def test_the_table_follows_edits_made_elsewhere_without_echo(editor, model, history):
    changes = count_changes(model)
    model.set_value("w_q", (0, 3, 0), 0.125)
    assert shown(editor, "w_q", 3, 0) == "0.125"
    assert len(changes) == 1 and history.undo_count == 1
    history.undo()
    assert shown(editor, "w_q", 3, 0) != "0.125"
    assert len(changes) == 2


def test_the_tables_follow_size_and_token_changes(editor, model):
    model.set_dims(d_k=6, d_v=6, n_heads=3)
    w_q = editor.views["w_q"].model()
    assert (w_q.rowCount(), w_q.columnCount()) == (4, 6)
    assert editor.views["w_o"].model().rowCount() == 18
    assert editor.views["b_q"].model().rowCount() == 3
    assert editor.head_spin.maximum() == 3 and editor.head_spin.isEnabled()  # counted from 1
    model.set_tokens(["a", "b"], ["c", "d", "e"])
    x_kv = editor.views["x_kv"].model()
    assert x_kv.rowCount() == 3
    assert x_kv.headerData(2, Qt.Orientation.Vertical) == "e"
    model.set_tokens(["a", "b"])
    assert editor.tabs.tabText(0) == "X" and not editor.tabs.isTabVisible(1)


def test_the_head_box_picks_the_head_that_is_shown_and_edited(qtbot, editor, model):
    model.set_dims(n_heads=2)
    heads = []
    editor.head_changed.connect(heads.append)
    editor.head_spin.setValue(2)  # "head 2", as the panels name it
    assert heads == [1]
    assert shown(editor, "w_v", 0, 0) == f"{model.params['w_v'][1, 0, 0] + 0.0:.3f}"
    type_into_cell(qtbot, editor, "w_q", 0, 1, "0.75")
    assert model.params["w_q"][1, 0, 1] == 0.75
    assert model.params["w_q"][0, 0, 1] != 0.75
    model.set_dims(n_heads=1)
    assert editor.head == 0 and not editor.head_spin.isEnabled()


def test_closing_disconnects_from_the_model(qtbot, document, model, history):
    connections, source_connections = len(model.changed), len(document.source_changed)
    editor = WeightEditor(document, history)
    qtbot.addWidget(editor)
    assert len(model.changed) == connections + 1
    assert len(document.source_changed) == source_connections + 1
    editor.close()
    assert len(model.changed) == connections
    assert len(document.source_changed) == source_connections


def test_an_editor_deleted_with_its_parent_stops_listening(qtbot, document, model, history):
    from PySide6.QtWidgets import QWidget

    from explainer.qt.app import dispose

    connections, source_connections = len(model.changed), len(document.source_changed)
    dock = QWidget()
    editor = WeightEditor(document, history, dock)
    dispose(dock)  # the parent goes; the editor gets no closeEvent
    model.set_value("b_o", (0,), 1.0)  # must not touch the deleted widget
    assert len(model.changed) == connections
    document.set_source(None)  # nor must a new source
    assert len(document.source_changed) == source_connections
    del editor


def test_the_seed_box_follows_the_models_seed(editor, model, history) -> None:
    before = model.seed
    model.randomize(5)
    assert editor.seed_spin.value() == 5
    history.undo()
    assert model.seed == before and editor.seed_spin.value() == before


def test_reset_only_reads_a_shipped_preset(editor, document) -> None:
    # A session may name any preset; Reset must never read a file a name points at.
    document.set_source(PresetSource("../../somewhere/else.json"))
    assert not editor.reset_button.isEnabled()
    document.set_source(PresetSource("seed-causal"))
    assert editor.reset_button.isEnabled()
