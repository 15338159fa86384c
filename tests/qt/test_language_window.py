"""View ▸ Language reaches every word of the window: docks, transport, dialogs, views and scenes.

In Korean every label, button, group title, combo-box item and tooltip a person can see
reads in Korean, unless it is a name (a token, a preset, a symbol such as W_Q, a key such
as Ctrl+E, a number); switching back to English gives every English text back, live.
"""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QLineEdit, QWidget

from explainer.animation import DETAIL_MODES
from explainer.i18n import LANGUAGE_NAMES, language, set_language
from explainer.model import AttentionModel
from explainer.qt.export_dialog import ExportDialog, StillDialog
from explainer.qt.model_view import ModelViewPage, model_view_title
from explainer.qt.style import Appearance

HANGUL = re.compile("[\uac00-\ud7a3]")
# Names, not words: symbols of the lecture, the presets, the options' own values, sizes, keys.
SYMBOLS = re.compile(
    r"\b(?:[XWbqkvx]_\w+|[XQKV]|d_model|d_k|d_v|out_?\w*|e\^s|softmax|"
    r"Ctrl|Shift|Alt|Home|End|PageUp|PageDown|Space|Enter|Esc|F\d+|\d+p|4k|x?\d+)\b"
)
NAMES = (
    set(LANGUAGE_NAMES.values())
    | set(AttentionModel.preset_names())
    | set(DETAIL_MODES)
    | {"light", "dark", "presenter", "overview"}
)


def _is_word(text: str, tokens: set[str]) -> bool:
    """Whether ``text`` has English words left once names, symbols and the sentences' tokens go."""
    if not text.strip() or text in NAMES or HANGUL.search(text):
        return False
    rest = SYMBOLS.sub(" ", text)
    for token in sorted(tokens, key=len, reverse=True):
        rest = rest.replace(token, " ")
    return re.search("[A-Za-z]{2,}", rest) is not None


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(what, text) of every visible label, button, group, combo-box item and tooltip under ``root``."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = type(widget).__name__
        if widget.toolTip():
            found.append((f"{name} tooltip", widget.toolTip()))
        if (isinstance(widget, QLabel) and widget.text()) or (
            isinstance(widget, QAbstractButton) and widget.text()
        ):
            found.append((name, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append((name, widget.title()))
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            found += [(f"{name} item", widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QLineEdit) and widget.placeholderText():
            found.append((f"{name} placeholder", widget.placeholderText()))
    return found


def english_left(texts: list[tuple[str, str]], tokens: set[str]) -> list[tuple[str, str]]:
    return [(what, text) for what, text in texts if _is_word(text, tokens)]


def _tokens(window) -> set[str]:
    model = window.model
    return {*model.query_tokens, *model.key_tokens, model.trace.mode}


def _every_dock(window) -> None:
    for dock in window.docks.all():
        dock.show()


def test_every_dock_and_the_transport_read_in_korean_and_english_comes_back_live(open_window):
    window = open_window("seed-causal")  # two heads: the head boxes show, with their items
    _every_dock(window)
    english = shown_texts(window)
    assert ("QLabel", "Speed") in english and ("QPushButton", "Randomize") in english
    window.set_language("ko")
    assert language() == "ko"
    korean = shown_texts(window)
    assert english_left(korean, _tokens(window)) == []
    assert ("QLabel", "속도") in korean and ("QPushButton", "무작위로") in korean
    assert ("QLabel", "학습률") in korean  # the Learn dock's form
    assert ("QComboBox item", "모든 헤드") in korean
    window.set_language("en")
    assert shown_texts(window) == english


def test_the_panels_titles_follow_the_language_on_the_next_draw(open_window):
    window = open_window("seed-causal")
    window.player.last()
    scores = window.board.panels["scores"]
    head = window.focus.head + 1
    assert scores.matrix.title == f"Masked scores (causal)  (head {head})"
    window.set_language("ko")
    assert scores.matrix.title == f"마스크한 점수 (인과적)  (헤드 {head})"
    assert window.board.caption.stage.text().endswith("출력 투영")
    window.set_language("en")
    assert scores.matrix.title == f"Masked scores (causal)  (head {head})"
    assert window.board.caption.stage.text().endswith("Output projection")


def test_the_export_dialogs_read_in_korean(open_window):
    window = open_window("seed-translate")
    window.set_language("ko")
    dialog = ExportDialog(window, window.document, window.on_screen, window.show_status)
    still = StillDialog(window, (1280, 720))
    try:
        for shown in (dialog, still):
            texts = shown_texts(shown)
            assert english_left(texts, _tokens(window)) == [], type(shown).__name__
        assert dialog.windowTitle() == "애니메이션 내보내기" and still.windowTitle() == "정지 화면 내보내기"
        assert ("QCheckBox", "가중합") in shown_texts(dialog)  # the panels by their Korean names
    finally:
        dialog.deleteLater()
        still.deleteLater()


def test_the_head_view_reads_in_korean_and_back_in_english(open_window):
    window = open_window("seed-translate")
    window.views.show_head()
    page = window.views.head_page
    english = page.caption.text()
    assert english.startswith("Cross-attention: I hate this movie")
    assert page.view.headers() == ("queries (decoder)", "keys (encoder)")
    window.set_language("ko")
    assert page.caption.text().startswith("교차 어텐션: I hate this movie → kono eiga ga kirai · 헤드 1 · ")
    assert page.view.headers() == ("쿼리 (디코더)", "키 (인코더)")
    assert english_left(shown_texts(page), _tokens(window)) == []
    window.set_language("en")
    assert page.caption.text() == english


def test_the_model_view_page_reads_in_korean_and_back_in_english(qtbot):
    page = ModelViewPage(Appearance())
    qtbot.addWidget(page, before_close_func=lambda p: p.shutdown())
    attentions = np.full((2, 3, 4, 4), 0.25)
    page.show_attentions(attentions, ("a", "b", "c", "d"), lambda: model_view_title("tiny", 2, 3, "a b"))
    assert page.title.text() == "tiny · 2 layers × 3 heads · “a b”"
    english_hint = page.hint.text()
    set_language("ko")
    assert page.title.text() == "tiny · 층 2개 × 헤드 3개 · “a b”"
    assert HANGUL.search(page.hint.text())
    assert "클릭" in page.view.describe(0, 1, 0, 2)
    set_language("en")
    assert page.hint.text() == english_hint and page.title.text().startswith("tiny · 2 layers")


def test_a_scene_page_reads_in_korean(open_window):
    window = open_window("seed-translate")
    window.show_scene("rnn-vs-attention")
    page = window.scenes.page("rnn-vs-attention")
    scene = window.scenes.scenes["rnn-vs-attention"]
    english = shown_texts(scene.container)
    window.set_language("ko")
    texts = shown_texts(scene.container)
    assert english_left(texts, _tokens(window) | {"RNN", "n"}) == []
    chart = page.view.chart if hasattr(page.view, "chart") else None
    if chart is not None:  # the timing chart's axes and legend
        item = chart.getPlotItem()
        assert item.getAxis("bottom").labelText == "토큰 수 n"
        assert [label.text for _sample, label in chart.legend.items] == [
            "RNN, n단계를 하나씩 차례로",
            "셀프 어텐션, 행렬 곱 한 번",
        ]
    window.set_language("en")
    assert [t for t in shown_texts(scene.container) if "Measuring" not in t[1]] == [
        t for t in english if "Measuring" not in t[1]
    ]
