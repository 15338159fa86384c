"""The model view page (a real run, computed once per text) and its PNG and SVG stills."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from model_view_helpers import cell_centre, close_colours, synthetic_attentions, tokens_of
from PySide6.QtGui import QImage

from explainer.qt.model_view import (
    HINT,
    ModelViewPage,
    model_view_title,
    render_model_view,
    save_model_view_png,
    save_model_view_svg,
)
from explainer.qt.style import LIGHT, Appearance, weights_scale
from explainer.real import BertRun
from explainer.real.attentions import all_attentions


def _page(qtbot) -> ModelViewPage:  # type: ignore[no-untyped-def]
    page = ModelViewPage(Appearance())
    qtbot.addWidget(page, before_close_func=lambda p: p.shutdown())
    page.resize(1280, 720)
    page.show()
    return page


def test_show_run_titles_the_page_and_shows_every_layer(qtbot, tiny_run: BertRun) -> None:
    page = _page(qtbot)
    shown = page.show_run(tiny_run)
    assert np.array_equal(shown, all_attentions(tiny_run))
    name = tiny_run.checkpoint.name
    assert page.title.text() == f"{name} · 3 layers × 2 heads · “{tiny_run.text}”"
    assert page.hint.text().startswith("click a head to open it step by step") and page.hint.text() == HINT
    assert np.array_equal(page.view.attentions, shown) and page.view.tokens == tiny_run.tokens


def test_show_run_computes_once_per_text(qtbot, tiny_run: BertRun) -> None:
    page = _page(qtbot)
    first = page.show_run(tiny_run)
    again = page.show_run(tiny_run.checkpoint.run(tiny_run.text))
    assert page.computed == 1 and again is first
    other = page.show_run(tiny_run.checkpoint.run("a dog ran away"))
    assert page.computed == 2 and other.shape[2] == 6
    assert page.show_run(tiny_run) is first and page.computed == 2


def test_the_page_passes_the_views_opened_on(qtbot, tiny_run: BertRun) -> None:
    page = _page(qtbot)
    page.show_run(tiny_run)
    with qtbot.waitSignal(page.opened, timeout=1000) as blocker:
        page.view.opened.emit(1, 0)
    assert blocker.args == [1, 0]


def test_title_counts_layers_and_heads() -> None:
    title = model_view_title("all-MiniLM-L6-v2", 6, 12, "the text")
    assert title == "all-MiniLM-L6-v2 · 6 layers × 12 heads · “the text”"
    assert model_view_title("x", 1, 1, "a") == "x · 1 layer × 1 head · “a”"


def test_png_still_has_the_size_and_the_colours_of_the_alphas(qtbot, tmp_path: Path) -> None:
    attentions = synthetic_attentions(2, 3, 4)
    out = save_model_view_png(attentions, tokens_of(4), tmp_path / "model.png", (1280, 720), "light", "t")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    # The same page drawn again: its thumbnails' places are the still's.
    page = ModelViewPage(Appearance())
    qtbot.addWidget(page, before_close_func=lambda p: p.shutdown())
    page.resize(1280, 720)
    page.show_attentions(attentions, tokens_of(4), "t")
    page.show()
    qtbot.waitExposed(page)
    page.grab()
    origin = page.view.mapTo(page, page.view.rect().topLeft())
    rect = page.view.thumbnail_rect(1, 2).translated(origin.x(), origin.y())
    x, y = cell_centre(rect, 4, 3, 1)
    expected = weights_scale(LIGHT).qcolor(attentions[1, 2, 3, 1])
    assert close_colours(image.pixelColor(int(x), int(y)), expected)
    assert np.array_equal(
        np.frombuffer(render_model_view(attentions, tokens_of(4), title="t").constBits(), np.uint8),
        np.frombuffer(image.convertToFormat(QImage.Format.Format_RGB888).constBits(), np.uint8),
    )


def test_svg_still_has_labels_as_text_and_one_image_per_thumbnail(tmp_path: Path) -> None:
    attentions = synthetic_attentions(6, 12, 16)
    out = save_model_view_svg(
        attentions, tokens_of(16), tmp_path / "model.svg", (1280, 720), "dark", "my title"
    )
    svg = out.read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>\s*([^<]*?)\s*</text>", svg)
    for label in ("L1", "L6", "H1", "H12", "α", "my title"):
        assert label in texts, label
    assert svg.count("<image") == 6 * 12 + 1  # the thumbnails and the colour bar
