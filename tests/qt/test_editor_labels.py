"""What the weight editor's labels say and show: tab titles whole, rows, columns and heads counted from 1."""

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explainer.model import Document, History
from explainer.qt.editors import WeightEditor


@pytest.fixture
def document():
    return Document.from_preset("seed-translate")


@pytest.fixture
def model(document):
    return document.model


@pytest.fixture
def editor(qtbot, document, model):
    history = History(model)
    editor = WeightEditor(document, history)
    qtbot.addWidget(editor)
    editor.resize(700, 400)
    editor.show()
    qtbot.waitExposed(editor)
    yield editor
    editor.close()
    history.close()


def header(view, orientation, section):
    """The text of a header section as the view shows it."""
    return view.model().headerData(section, orientation, Qt.ItemDataRole.DisplayRole)


def test_rows_columns_and_heads_count_from_one_as_in_the_panels(editor, model):
    model.set_dims(n_heads=2)
    editor.set_head(1)
    w_q = editor.views["w_q"]
    columns = [header(w_q, Qt.Orientation.Horizontal, c) for c in range(w_q.model().columnCount())]
    rows = [header(w_q, Qt.Orientation.Vertical, r) for r in range(w_q.model().rowCount())]
    assert columns == ["1", "2", "3", "4"] and rows == ["1", "2", "3", "4"]
    table = w_q.model()
    tip = table.data(table.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"W_Q (head 2) row 1, column 3 = {float(model.params['w_q'][1, 0, 2])!r}\n")
    b_q = editor.views["b_q"]
    assert [header(b_q, Qt.Orientation.Vertical, r) for r in range(2)] == ["head 1", "head 2"]
    tip = b_q.model().data(b_q.model().index(1, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("b_Q head 2, column 1 = ")
    x_q = editor.views["x_q"]
    assert header(x_q, Qt.Orientation.Vertical, 1) == "hate"
    assert header(x_q, Qt.Orientation.Horizontal, 0) == "1"
    tip = x_q.model().data(x_q.model().index(1, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("X_q row 2 (hate), column 1 = ")
    b_o = editor.views["b_o"].model()
    assert header(editor.views["b_o"], Qt.Orientation.Horizontal, 3) == "4"
    assert b_o.data(b_o.index(0, 3), Qt.ItemDataRole.ToolTipRole).startswith("b_O column 4 = ")


def ink_gaps(image, rect):
    """Widths of the blank column runs between the first and the last column with ink in ``rect``."""
    inner = rect.adjusted(3, 3, -3, -3)  # clear of the tab's frame
    xs, ys = range(inner.left(), inner.right() + 1), range(inner.top(), inner.bottom() + 1)
    face = Counter(image.pixelColor(x, y).lightness() for x in xs for y in ys).most_common(1)[0][0]
    inked = [any(abs(image.pixelColor(x, y).lightness() - face) > 80 for y in ys) for x in xs]
    first, last = inked.index(True), len(inked) - 1 - inked[::-1].index(True)
    gaps, run = [], 0
    for has_ink in inked[first : last + 1]:
        if has_ink:
            if run:
                gaps.append(run)
            run = 0
        else:
            run += 1
    return gaps


@pytest.mark.parametrize("tab", [1, 2, 3, 4, 5])
def test_tab_titles_show_their_underscore(qtbot, editor, tab):
    # Unselected, a tab's text was clipped just under the baseline: "W_Q" read "W Q".
    editor.tabs.setCurrentIndex(6)  # Biases: every tab under test is unselected
    bar = editor.tabs.tabBar()
    title = bar.tabText(tab)
    assert title in ("X_kv", "W_Q", "W_K", "W_V", "W_O")
    QApplication.processEvents()
    image = bar.grab().toImage()
    assert image.devicePixelRatio() == 1.0
    gaps = ink_gaps(image, bar.tabRect(tab))
    # Letters of one word are at most a pixel or two apart; a missing "_" leaves a space.
    assert max(gaps, default=0) <= 2, f"{title!r} has a {max(gaps)} px gap: the underscore is missing"
