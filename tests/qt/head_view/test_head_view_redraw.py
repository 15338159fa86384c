"""What an edit redraws in the head view: only the heads whose α it changed, and the picture stays right."""

from __future__ import annotations

import numpy as np
import pytest
from head_view_helpers import many_heads, painted_now

import explainer.qt.head_view.lines as lines_module


@pytest.fixture
def rasterised(monkeypatch):
    """The heads whose lines were rasterised (one entry per head drawn), recorded as they are.

    The tests paint with ``repaint()``, outside the event loop: the hovers' lines
    drawn ahead in idle turns are not counted.
    """
    heads: list[int] = []
    rasterise = lines_module._Frame.head_images

    def counting(frame, drawn, levels, token):
        if token is None:  # every line: the layer an edit with no token hovered shows
            heads.extend(drawn)
        return rasterise(frame, drawn, levels, token)

    monkeypatch.setattr(lines_module._Frame, "head_images", counting)
    return heads


def pixels(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine()).copy()


def all_heads_page(make_page):
    model = many_heads(6, 12)
    page = make_page(model, (1280, 720))
    page.view.set_heads(range(6))
    painted_now(page)
    return model, page


def test_an_edit_of_one_heads_queries_redraws_only_that_heads_lines(make_page, rasterised):
    model, page = all_heads_page(make_page)
    rasterised.clear()
    model.set_value("w_q", (2, 0, 0), float(model.params["w_q"][2, 0, 0]) + 1.5)
    page.view.repaint()
    assert rasterised == [2]


def test_an_edit_that_leaves_every_alpha_redraws_no_line_and_keeps_the_hovers_ready(
    make_page, rasterised, qtbot
):
    model, page = all_heads_page(make_page)
    qtbot.waitUntil(lambda: page.view.warm, timeout=5000)  # the hovers drawn ahead once the view rests
    rasterised.clear()
    model.set_value("w_v", (1, 0, 0), 3.0)  # values: what each token passes on, not where it looks
    page.view.repaint()
    assert rasterised == []
    assert page.view.warm, "every token's lines still drawn ahead"


def test_an_embedding_edit_redraws_every_head(make_page, rasterised):
    model, page = all_heads_page(make_page)
    rasterised.clear()
    model.set_value("x_q", (0, 0), float(model.params["x_q"][0, 0]) + 2.0)
    page.view.repaint()
    assert sorted(rasterised) == list(range(6))


def test_after_an_edit_the_lines_are_those_a_fresh_view_draws(make_page):
    model, page = all_heads_page(make_page)
    before = pixels(page.view)
    model.set_value("w_k", (4, 1, 0), float(model.params["w_k"][4, 1, 0]) - 2.0)
    painted_now(page)
    after = pixels(page.view)
    assert not np.array_equal(before, after), "head 5's lines moved"
    fresh_model = many_heads(6, 12)
    fresh_model.set_param("w_k", model.params["w_k"])
    fresh = make_page(fresh_model, (1280, 720))
    fresh.view.set_heads(range(6))
    painted_now(fresh)
    assert np.array_equal(after, pixels(fresh.view))


def test_a_hidden_head_view_draws_no_hover_ahead(make_page, qtbot):
    """F8 within the rest: the walkthrough is on screen, so no frame of it waits for hidden lines."""
    model, page = all_heads_page(make_page)
    model.set_value("x_q", (0, 0), float(model.params["x_q"][0, 0]) + 1.0)
    page.view.repaint()
    page.hide()
    qtbot.wait(200)  # four times the rest
    assert not page.view.warm
    page.show()
    qtbot.waitUntil(lambda: page.view.warm, timeout=5000)  # shown again: drawn ahead once it rests
