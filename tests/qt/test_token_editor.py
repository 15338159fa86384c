"""TokenEditor: sentences, mode, sizes and scaling, refused input, asking before losing edits."""

import pytest
from PySide6.QtCore import Qt

from explainer.model import AttentionModel, Document, History
from explainer.qt.editors import TokenEditor


class Ask:
    """An ``ask`` stub: records the questions, answers as told."""

    def __init__(self, answer):
        self.answer, self.questions = answer, []

    def __call__(self, question):
        self.questions.append(question)
        return self.answer


@pytest.fixture
def document():
    return Document.from_preset("seed-self")


@pytest.fixture
def model(document):
    return document.model


@pytest.fixture
def ask():
    return Ask(False)


@pytest.fixture
def editor(qtbot, document, ask):
    editor = TokenEditor(document, ask=ask)
    qtbot.addWidget(editor)  # closed (and so disconnected) at the end of each test
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def type_sentence(qtbot, line, text):
    """Replace the text with real key events and press Enter."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def pick_mode(editor, mode):
    editor.mode_combo.setCurrentIndex(editor.mode_combo.findData(mode))


def test_the_fields_show_the_model(editor):
    assert editor.query_edit.text() == "this is an example"
    assert editor.mode_combo.currentData() == "self"
    assert not editor.key_edit.isVisibleTo(editor)
    assert (editor.d_model_spin.value(), editor.d_k_spin.value(), editor.heads_spin.value()) == (4, 4, 1)
    assert editor.scale_check.isChecked()


def test_typing_a_sentence_sets_the_tokens(qtbot, editor, model):
    type_sentence(qtbot, editor.query_edit, "the  cat sat")
    assert model.query_tokens == ["the", "cat", "sat"]
    assert model.mode == "self"
    assert editor.query_edit.text() == "the cat sat"  # as the model holds it
    assert editor.message_text("queries") == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "query_tokens: expected at least one token, got none"),
        (" ".join(["w"] * 65), "query_tokens: at most 64 tokens, got 65"),
        ("ok " + "x" * 41, "query_tokens[1]: a token has at most 40 characters, got 41"),
    ],
)
def test_refused_sentences_show_why_and_change_nothing(qtbot, editor, model, text, message):
    before = model.state
    changes = []
    model.changed.connect(changes.append)
    type_sentence(qtbot, editor.query_edit, text)
    assert editor.message_text("queries") == message
    assert editor.messages["queries"].isVisible()
    assert model.state.same_as(before) and changes == []
    assert editor.query_edit.text() == "this is an example"


def test_the_message_goes_after_a_good_sentence(qtbot, editor):
    type_sentence(qtbot, editor.query_edit, "")
    type_sentence(qtbot, editor.query_edit, "hello world")
    assert editor.message_text("queries") == ""
    assert not editor.messages["queries"].isVisible()


def test_switching_to_cross_shows_the_key_field(editor, model):
    pick_mode(editor, "cross")
    assert model.mode == "cross"
    assert editor.key_edit.isVisibleTo(editor)
    assert model.key_tokens == model.query_tokens  # the queries reused as a first key sentence


def test_keys_typed_in_cross_mode_are_kept_across_a_switch(qtbot, editor, model):
    pick_mode(editor, "cross")
    type_sentence(qtbot, editor.key_edit, "kore wa rei desu")
    assert model.key_tokens == ["kore", "wa", "rei", "desu"]
    pick_mode(editor, "self")
    assert model.mode == "self" and not editor.key_edit.isVisibleTo(editor)
    pick_mode(editor, "cross")
    assert model.key_tokens == ["kore", "wa", "rei", "desu"]


def test_refused_keys_show_why(qtbot, editor, model):
    pick_mode(editor, "cross")
    before = model.state
    type_sentence(qtbot, editor.key_edit, "")
    assert editor.message_text("keys") == "key_tokens: expected at least one token, got none"
    assert editor.messages["keys"].isVisible()
    assert model.state.same_as(before)
    assert editor.key_edit.text() == "this is an example"


def test_causal_from_cross_is_one_change(editor, model):
    pick_mode(editor, "cross")
    changes = []
    model.changed.connect(changes.append)
    pick_mode(editor, "causal")
    assert model.mode == "causal" and len(changes) == 1
    assert not editor.key_edit.isVisibleTo(editor)
    pick_mode(editor, "cross")
    assert model.mode == "cross"


def test_changing_d_k_with_edits_asks_and_no_keeps_the_size(editor, model, ask):
    model.set_value("w_q", (0, 0, 0), 3.0)
    editor.d_k_spin.setValue(6)
    assert len(ask.questions) == 1
    assert "Change the sizes?" in ask.questions[0]
    assert model.d_k == 4 and model.params["w_q"][0, 0, 0] == 3.0
    assert editor.d_k_spin.value() == 4


def test_changing_d_k_with_edits_applies_when_the_answer_is_yes(editor, model, ask):
    ask.answer = True
    model.set_value("w_q", (0, 0, 0), 3.0)
    editor.d_k_spin.setValue(6)
    assert ask.questions
    assert (model.d_k, model.d_v) == (6, 6)
    # Right after a size change there is nothing to lose: no second question.
    editor.heads_spin.setValue(2)
    assert len(ask.questions) == 1
    assert model.n_heads == 2


def test_changing_sizes_of_an_unedited_model_does_not_ask(editor, model, ask):
    editor.d_model_spin.setValue(8)
    assert ask.questions == []
    assert model.d_model == 8


def test_token_and_option_changes_alone_do_not_ask(qtbot, editor, model, ask):
    type_sentence(qtbot, editor.query_edit, "a new sentence")
    editor.scale_check.setChecked(False)
    editor.d_k_spin.setValue(2)
    assert ask.questions == [] and model.d_k == 2


def test_an_edited_embedding_asks_only_when_d_model_changes(editor, model, ask):
    model.set_value("x_q", (1, 1), 5.0)
    editor.d_k_spin.setValue(3)
    assert ask.questions == [] and model.d_k == 3
    editor.d_model_spin.setValue(6)
    assert len(ask.questions) == 1 and model.d_model == 4


def test_mark_clean_after_a_preset_load(editor, model, ask):
    model.set_value("w_k", (0, 1, 1), 2.0)
    model.restore(AttentionModel.from_preset("seed-translate").state)
    editor.mark_clean()
    editor.d_k_spin.setValue(2)
    assert ask.questions == [] and model.d_k == 2


def test_typing_a_size_applies_once_on_enter(qtbot, editor, model):
    changes = []
    model.changed.connect(changes.append)
    line = editor.d_model_spin.lineEdit()
    editor.d_model_spin.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "16")  # no "1" first: keyboard tracking is off
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert model.d_model == 16 and len(changes) == 1


def test_the_scale_box_switches_scaling(qtbot, editor, model):
    qtbot.mouseClick(editor.scale_check, Qt.MouseButton.LeftButton)
    assert model.scale is False


def test_fields_follow_the_model_without_echo(editor, model):
    history = History(model)
    changes = []
    model.changed.connect(changes.append)
    model.set_tokens(["x", "y"], ["p", "q", "r"])
    model.set_dims(d_k=2)
    model.set_options(scale=False)
    assert editor.query_edit.text() == "x y" and editor.key_edit.text() == "p q r"
    assert editor.mode_combo.currentData() == "cross" and editor.key_edit.isVisibleTo(editor)
    assert editor.d_k_spin.value() == 2 and not editor.scale_check.isChecked()
    assert len(changes) == 3
    history.undo()
    history.undo()
    history.undo()
    assert editor.query_edit.text() == "this is an example"
    assert editor.mode_combo.currentData() == "self" and editor.d_k_spin.value() == 4
    assert len(changes) == 6
    history.close()


def test_a_weight_edit_elsewhere_keeps_unfinished_typing(qtbot, editor, model):
    editor.query_edit.setFocus()
    editor.query_edit.selectAll()
    qtbot.keyClicks(editor.query_edit, "half typ")
    model.set_value("w_v", (0, 0, 0), 1.0)
    assert editor.query_edit.text() == "half typ"


def test_closing_disconnects_from_the_model(qtbot, document, model):
    connections = len(model.changed)
    editor = TokenEditor(document, ask=Ask(True))
    qtbot.addWidget(editor)
    assert len(model.changed) == connections + 1
    editor.close()
    assert len(model.changed) == connections


def test_an_editor_deleted_with_its_parent_stops_listening(document, model):
    from PySide6.QtWidgets import QWidget

    from explainer.qt.app import dispose

    connections = len(model.changed)
    dock = QWidget()
    editor = TokenEditor(document, ask=Ask(True), parent=dock)
    dispose(dock)  # the parent goes; the editor gets no closeEvent
    model.set_tokens(["a", "b"])  # must not touch the deleted widget
    assert len(model.changed) == connections
    del editor


def test_retyping_the_preset_sentence_brings_its_designed_rows_back(qtbot, editor, document, model):
    designed = model.state
    type_sentence(qtbot, editor.query_edit, "the cat sat")
    assert document.preset_name == "seed-self"
    type_sentence(qtbot, editor.query_edit, "this is an example")
    assert model.state.same_as(designed)


def test_cross_sentences_typed_again_bring_the_lesson_back(qtbot):
    document = Document.from_preset("seed-translate")
    model = document.model
    editor = TokenEditor(document, ask=Ask(False))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    designed = model.state
    type_sentence(qtbot, editor.key_edit, "neko ga suwatta")
    type_sentence(qtbot, editor.query_edit, "the cat sat")
    assert (model.query_tokens, model.key_tokens) == (["the", "cat", "sat"], ["neko", "ga", "suwatta"])
    type_sentence(qtbot, editor.query_edit, "I hate this movie")
    type_sentence(qtbot, editor.key_edit, "kono eiga ga kirai")
    assert model.state.same_as(designed)
    weights = model.trace.weights[0]
    assert [model.key_tokens[j] for j in weights.argmax(axis=1)[1:]] == ["kirai", "kono", "eiga"]


def test_a_retyped_preset_word_is_not_an_edit(qtbot, editor, model, ask):
    editor.d_model_spin.setValue(8)
    editor.d_model_spin.setValue(4)  # back at the preset's size, with rows from the word table
    type_sentence(qtbot, editor.query_edit, "a new sentence")
    type_sentence(qtbot, editor.query_edit, "this is an example")  # the preset's rows again
    editor.d_model_spin.setValue(6)
    assert ask.questions == [] and model.d_model == 6
