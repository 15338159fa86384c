"""The model view as a person sees it: every layer × head's α in its colours, labels, clicks and keys."""

from __future__ import annotations

import numpy as np
import pytest
from model_view_helpers import cell_centre, close_colours, grabbed, pixel, shown_view, synthetic_attentions
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from explainer.qt.style import DARK, LIGHT, THEME_STYLES, weights_scale
from explainer.real import BertRun
from explainer.real.attentions import all_attentions

SIZES = ((1280, 720), (1920, 1080))


def test_thumbnails_show_every_layer_and_heads_real_attentions(qtbot, tiny_run: BertRun) -> None:
    attentions = all_attentions(tiny_run)
    view = shown_view(qtbot, attentions)
    grabbed(view)
    n_layers, n_heads = attentions.shape[:2]
    assert set(view.thumbnails) == {(layer, head) for layer in range(n_layers) for head in range(n_heads)}
    for (layer, head), thumbnail in view.thumbnails.items():
        assert np.array_equal(thumbnail.alpha, attentions[layer, head])
        assert np.array_equal(thumbnail.alpha, tiny_run.attention_model(layer).trace.weights[head])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_each_token_cell_has_the_colour_of_its_alpha(qtbot, theme: str) -> None:
    attentions = synthetic_attentions(2, 3, 6)
    view = shown_view(qtbot, attentions, theme=theme)
    image = grabbed(view)
    scale = weights_scale(THEME_STYLES[theme])
    for (layer, head), thumbnail in view.thumbnails.items():
        assert thumbnail.rect.width() >= 6 * 20  # big enough to sample a cell's middle
        for i in range(6):
            for j in range(6):
                seen = pixel(image, *cell_centre(thumbnail.rect, 6, i, j))
                wanted = scale.qcolor(attentions[layer, head, i, j])
                assert close_colours(seen, wanted), (layer, head, i, j, seen.name(), wanted.name())


def test_the_colour_bar_runs_from_alpha_0_at_the_bottom_to_1_at_the_top(qtbot) -> None:
    view = shown_view(qtbot, synthetic_attentions(6, 12, 16))
    image = grabbed(view)
    bar = view.current_layout().bar
    scale = weights_scale(LIGHT)
    assert close_colours(pixel(image, bar.center().x(), bar.top() + 1), scale.qcolor(1.0), 3)
    assert close_colours(pixel(image, bar.center().x(), bar.bottom() - 1), scale.qcolor(0.0), 3)
    ticks = [p.text for p in view.painted if p.owner == "colour bar"]
    assert ticks == ["α", "0", "0.25", "0.5", "0.75", "1"]


def _overlaps(a: QRectF, b: QRectF) -> bool:
    return not a.adjusted(0.5, 0.5, -0.5, -0.5).intersected(b.adjusted(0.5, 0.5, -0.5, -0.5)).isEmpty()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("shape", [(6, 12), (12, 12)])
def test_layer_and_head_labels_are_painted_readable_and_apart(qtbot, size, shape) -> None:
    n_layers, n_heads = shape
    view = shown_view(qtbot, synthetic_attentions(n_layers, n_heads, 16), size=size)
    image = grabbed(view)
    labels = [p for p in view.painted if p.owner == "model view"]
    assert [p.text for p in labels if p.what == "layer"] == [f"L{i + 1}" for i in range(n_layers)]
    assert [p.text for p in labels if p.what == "head"] == [f"H{i + 1}" for i in range(n_heads)]
    bounds = QRectF(0, 0, *size)
    thumbnails = [t.rect for t in view.thumbnails.values()]
    texts = [p for p in view.painted if p.text.strip()]
    for p in texts:
        assert p.px >= 12, p
        assert p.fits and bounds.contains(p.rect), p
        assert not any(_overlaps(p.rect, rect) for rect in thumbnails), p.text
        ink = [
            pixel(image, x, p.rect.center().y()) for x in np.linspace(p.rect.left(), p.rect.right() - 1, 12)
        ]
        assert any(colour != QColor(LIGHT.background) for colour in ink), f"{p.text} not painted"
    for index, a in enumerate(texts):
        for b in texts[index + 1 :]:
            assert not _overlaps(a.rect, b.rect), (a.text, b.text)
    for index, a in enumerate(thumbnails):
        assert bounds.contains(a)
        assert not any(_overlaps(a, b) for b in thumbnails[index + 1 :])


def test_clicking_layer_3_head_7_opens_it_counted_from_0(qtbot) -> None:
    view = shown_view(qtbot, synthetic_attentions(6, 12, 16))
    grabbed(view)
    centre = view.thumbnail_rect(2, 6).center().toPoint()
    with qtbot.waitSignal(view.opened, timeout=1000) as blocker:
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    assert blocker.args == [2, 6]
    assert view.selection == (2, 6)


def test_a_click_between_thumbnails_opens_nothing(qtbot) -> None:
    view = shown_view(qtbot, synthetic_attentions(6, 12, 16))
    grabbed(view)
    a, b = view.thumbnail_rect(0, 0), view.thumbnail_rect(0, 1)
    between = QPoint(round((a.right() + b.left()) / 2), round(a.center().y()))
    opened: list[tuple[int, int]] = []
    view.opened.connect(lambda layer, head: opened.append((layer, head)))
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, between)
    assert opened == [] and view.selection == (0, 0)


def _outlined(view, image, layer: int, head: int, colour: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the gap just left of thumbnail (layer, head) carries ``colour`` (its outline)."""
    rect = view.thumbnail_rect(layer, head)
    return close_colours(pixel(image, rect.left() - 2, rect.center().y()), QColor(colour), 8)


def test_arrow_keys_move_the_selection_and_enter_opens_it(qtbot) -> None:
    view = shown_view(qtbot, synthetic_attentions(6, 12, 16))
    view.setFocus()
    moves = [
        (Qt.Key.Key_Right, (0, 1)),
        (Qt.Key.Key_Right, (0, 2)),
        (Qt.Key.Key_Down, (1, 2)),
        (Qt.Key.Key_Left, (1, 1)),
        (Qt.Key.Key_Up, (0, 1)),
        (Qt.Key.Key_Up, (0, 1)),  # the top row: stays
        (Qt.Key.Key_End, (0, 11)),
        (Qt.Key.Key_Right, (0, 11)),  # the last head: stays
    ]
    for key, expected in moves:
        QTest.keyClick(view, key)
        assert view.selection == expected, key
    image = grabbed(view)
    assert _outlined(view, image, 0, 11, LIGHT.focus)
    assert not _outlined(view, image, 0, 1, LIGHT.focus)
    assert [p.text for p in view.painted if p.what == "head" and p.px and p.text == "H12"]
    with qtbot.waitSignal(view.opened, timeout=1000) as blocker:
        QTest.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [0, 11]


def test_hover_outlines_lightly_and_tells_who_looks_at_whom(qtbot) -> None:
    attentions = synthetic_attentions(6, 12, 16)
    view = shown_view(qtbot, attentions)
    grabbed(view)
    rect = view.thumbnail_rect(2, 6)
    x, y = cell_centre(rect, 16, 0, 3)
    QTest.mouseMove(view, QPoint(int(x), int(y)))
    qtbot.waitUntil(lambda: view.hovered == (2, 6))
    alpha = attentions[2, 6, 0, 3]
    assert view.toolTip().startswith(f"layer 3, head 7: [CLS] looks at w3 with α = {alpha:.2f}")
    image = grabbed(view)
    assert _outlined(view, image, 2, 6, LIGHT.muted)
    assert _outlined(view, image, 0, 0, LIGHT.focus)  # the selection keeps its own outline


def test_switching_the_theme_restyles_background_labels_and_outline(qtbot) -> None:
    view = shown_view(qtbot, synthetic_attentions(6, 12, 16))
    image = grabbed(view)
    assert pixel(image, 2, 2) == QColor(LIGHT.background)
    view.appearance.set_theme("dark")
    image = grabbed(view)
    assert pixel(image, 2, 2) == QColor(DARK.background)
    assert _outlined(view, image, 0, 0, DARK.focus)
    label = next(p for p in view.painted if p.text == "L2")
    ink = [
        pixel(image, x, label.rect.center().y())
        for x in range(int(label.rect.left()), int(label.rect.right()))
    ]
    assert max(colour.lightness() for colour in ink) > 180  # light text on the dark background


def test_new_attentions_keep_a_selection_that_still_fits(qtbot) -> None:
    view = shown_view(qtbot, synthetic_attentions(6, 12, 8))
    view.select(5, 11)
    view.set_attentions(synthetic_attentions(3, 4, 5, seed=1), ["a", "b", "c", "d", "e"])
    assert view.selection == (2, 3)
    with pytest.raises(ValueError, match="tokens"):
        view.set_attentions(synthetic_attentions(3, 4, 5), ["a"])
