"""Every step of both scenes, rendered as exported, at 720p and 1080p in both themes: readable, nothing cut.

Checked from what was painted (each text's pixel size and box), and the
caption from its label; the PNGs of every step go to a temporary folder.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage
from scene_helpers import SIZES, THEMES, close, text_problems

from explainer.qt.scenes import ScenePage, render_scene_frame
from explainer.qt.style import THEME_STYLES, Appearance
from explainer.scenes import measure_timings, scene_timeline

LABEL_PX = 14  # every label and word of a diagram, at 1280×720 and text size 1
DETAIL_PX = 13  # a block's detail line (where Q, K, V come from) and a diagram's subtitle
CAPTION_PX = 18


@pytest.fixture(scope="module")
def timings():
    return measure_timings(sizes=(8, 16, 32, 64), repeats=1)


def rendered_steps(name, theme, size, timings):
    """(page, frame, image) for each step of scene ``name``, at the end of the step (the camera settled)."""
    appearance = Appearance(theme=THEME_STYLES[theme])
    page = ScenePage(name, appearance)
    page.set_timings(timings)
    timeline = scene_timeline(name, timings)
    try:
        for index, step in enumerate(timeline.steps):
            frame = timeline.state_at(timeline.start(index) + step.duration * 0.999)
            yield page, frame, render_scene_frame(page, frame, size, appearance)
    finally:
        close(page)


@pytest.mark.parametrize("name", ["architecture", "rnn-vs-attention"])
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_every_step_is_readable_and_nothing_is_cut_or_overlapping(qtbot, name, theme, size, timings):
    for page, frame, image in rendered_steps(name, theme, size, timings):
        assert image.shape == (size[1], size[0], 3)
        view = page.view
        bounds = QRectF(0, 0, view.width(), view.height())
        problems = text_problems(view.painted, bounds, LABEL_PX, {"detail": DETAIL_PX, "subtitle": DETAIL_PX})
        assert not problems, f"{frame.step.name}: {problems}"
        assert len(view.painted) > 10
        caption = page.caption
        assert caption.text() == frame.step.caption
        assert caption.font().pixelSize() >= CAPTION_PX
        assert caption.wordWrap() and caption.height() >= caption.heightForWidth(caption.width())


def test_the_views_text_follows_the_text_size(qtbot):
    sizes = []
    for scale in (1.0, 1.5):
        appearance = Appearance()
        appearance.set_font_scale(scale)
        page = ScenePage("architecture", appearance)
        try:
            frame = scene_timeline("architecture").state_at(0.0)
            render_scene_frame(page, frame, (1920, 1080), appearance)
            sizes.append(max(p.px for p in page.view.painted if p.what == "label"))
        finally:
            close(page)
    assert sizes[1] > sizes[0]


@pytest.mark.parametrize("name", ["architecture", "rnn-vs-attention"])
def test_screenshots_of_every_step_at_720p(qtbot, name, timings, tmp_path):
    """PNGs of every step into a temporary folder (not the repository): each one a real picture."""
    saved = []
    for _page, frame, image in rendered_steps(name, "light", (1280, 720), timings):
        path = tmp_path / f"{name}-{frame.index:02d}-{frame.step.name}.png"
        picture = QImage(image.data, 1280, 720, 1280 * 3, QImage.Format.Format_RGB888)
        assert picture.save(str(path))
        saved.append(path)
        assert len(np.unique(image.reshape(-1, 3), axis=0)) > 50  # drawn, not an empty frame
    assert len(saved) == len(scene_timeline(name).steps)
    assert all(path.stat().st_size > 10_000 for path in saved)


def test_a_scene_rendered_by_name_matches_the_page(qtbot):
    appearance = Appearance()
    frame = scene_timeline("architecture").state_at(3.0)
    by_name = render_scene_frame("architecture", frame, (1280, 720), appearance)
    page = ScenePage("architecture", appearance)
    try:
        by_page = render_scene_frame(page, frame, (1280, 720), appearance)
    finally:
        close(page)
    assert np.array_equal(by_name, by_page)
