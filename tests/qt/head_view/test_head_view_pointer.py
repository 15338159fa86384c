"""Hover, click and Esc as a person uses them: only the token's lines, pinned until let go, heads toggled."""

from __future__ import annotations

from head_view_helpers import colour_at, distance, drawn_pairs, many_heads, painted_now
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from explainer.model import AttentionModel
from explainer.qt.focus import Focus
from explainer.qt.head_view import head_colour


def point_of(view, side: str, index: int) -> QPoint:
    return view.token_rect(side, index).center().toPoint()


def hover(view, side: str, index: int) -> None:
    QTest.mouseMove(view, point_of(view, side, index))
    painted_now(view)


def click(view, point: QPoint) -> None:
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    painted_now(view)


def test_hovering_a_query_keeps_only_its_lines_and_links_the_panels(make_view):
    focus = Focus()
    model = AttentionModel.from_preset("seed-translate")
    view = make_view(model, focus=focus)
    everything = set(drawn_pairs(view))
    hover(view, "query", 1)
    assert {(i, j) for _, i, j in drawn_pairs(view)} == {(1, j) for j in range(4)}
    assert (focus.query, focus.key) == (1, None)
    hover(view, "key", 3)
    assert {(i, j) for _, i, j in drawn_pairs(view)} == {(i, 3) for i in range(4)}
    assert (focus.query, focus.key) == (None, 3)
    QTest.mouseMove(view, QPoint(5, view.height() - 5))  # over no token
    painted_now(view)
    assert set(drawn_pairs(view)) == everything
    assert (focus.query, focus.key) == (None, None)


def test_a_click_pins_a_token_until_clicked_again_or_esc(make_view):
    model = AttentionModel.from_preset("seed-causal")
    view = make_view(model)
    click(view, point_of(view, "query", 3))
    assert view.pinned == ("query", 3)
    hover(view, "query", 5)  # the pointer moves on: the pinned token stays shown
    assert {i for _, i, _ in drawn_pairs(view)} == {3}
    click(view, point_of(view, "query", 3))
    assert view.pinned is None
    assert {i for _, i, _ in drawn_pairs(view)} == {5}, "unpinned: the hovered token shows again"
    click(view, point_of(view, "key", 2))
    assert {j for _, _, j in drawn_pairs(view)} == {2}
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Escape)
    painted_now(view)
    assert view.pinned is None


def test_the_pinned_token_is_lit(make_view):
    view = make_view(AttentionModel.from_preset("seed-translate"))
    rect = view.token_rect("query", 2)
    inside = rect.topLeft().toPoint() + QPoint(3, 3)  # in the row, clear of the word
    before = colour_at(view, inside)
    view.pin_token("query", 2)
    painted_now(view)
    assert distance(colour_at(view, inside), before) > 30


def chip_rect(view, head):
    return next(rect for h, rect in view.layout_now().chips if h == head)


def chip_point(view, head):
    return chip_rect(view, head).center().toPoint()


def test_head_chips_add_and_remove_heads_in_their_colours(make_view):
    focus = Focus()
    model = many_heads(12, 8)
    view = make_view(model, focus=focus)
    assert view.heads == (0,)
    click(view, chip_point(view, 2))
    assert view.heads == (0, 2)
    assert {line.head for line in view.lines} == {0, 2}
    assert {line.colour for line in view.lines} == {head_colour(0), head_colour(2)}
    # An "on" chip is filled with its head's colour.
    rect = chip_rect(view, 2)
    beside_label = QPoint(round(rect.left() + 4), round(rect.center().y()))
    on = colour_at(view, beside_label)
    assert distance(on, QColor(head_colour(2))) <= 9
    click(view, chip_point(view, None))
    assert view.heads == tuple(range(12))
    third = colour_at(view, QPoint(round(chip_rect(view, 3).left() + 4), round(rect.center().y())))
    assert distance(third, QColor(head_colour(3))) <= 9
    assert {line.head for line in view.lines} == set(range(12))
    click(view, chip_point(view, None))  # "all" again: back to the focus's head alone
    assert view.heads == (focus.head,)
    off = colour_at(view, beside_label)
    assert distance(off, QColor(view.appearance.theme.background)) <= 9, "an off chip is an outline"
    click(view, chip_point(view, 6))
    click(view, chip_point(view, 0))  # head 1 off: head 7 alone is the focus's head now
    assert view.heads == (6,)
    assert focus.head == 6
    click(view, chip_point(view, 6))  # the last head is never switched off
    assert view.heads == (6,)


def test_one_head_follows_the_shared_focus(make_view):
    focus = Focus()
    view = make_view(many_heads(12, 6), focus=focus)
    focus.set(head=9)
    painted_now(view)
    assert view.heads == (9,)
    assert {line.head for line in view.lines} == {9}
    view.set_heads([1, 4])
    focus.set(head=3)
    assert view.heads == (1, 4), "a chosen set of heads stays"


def test_a_model_that_loses_heads_keeps_a_head_drawn(make_page):
    model = many_heads(12, 5)
    page = make_page(model)
    page.view.set_heads([8])  # the focus's head is 9 …
    page.view.set_heads([8, 10])
    model.set_dims(n_heads=2)
    painted_now(page)
    assert page.view.heads == (1,), "… within the model's heads"
    assert {line.head for line in page.view.lines} == {1}
    assert "head 2" in page.caption.text()
