"""Head views made on demand, shown at a size, and disposed after each test."""

from __future__ import annotations

import pytest
from head_view_helpers import close, painted_now

from explainer.model import AttentionModel
from explainer.qt.focus import Focus
from explainer.qt.head_view import HeadView, HeadViewPage
from explainer.qt.style import THEME_STYLES, Appearance


@pytest.fixture
def make_view(qtbot):
    """``make_view(model, size=(1280, 720), theme="light", focus=None)``: a shown, painted HeadView."""
    made = []

    def make(
        model: AttentionModel,
        size: tuple[int, int] = (1280, 720),
        theme: str = "light",
        focus: Focus | None = None,
    ) -> HeadView:
        view = HeadView(model.trace, Appearance(theme=THEME_STYLES[theme]), focus or Focus())
        made.append(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        painted_now(view)
        return view

    yield make
    for view in made:
        close(view)


@pytest.fixture
def make_page(qtbot):
    """``make_page(model, size=(1280, 720), theme="light")``: a shown HeadViewPage following ``model``."""
    made = []

    def make(
        model: AttentionModel, size: tuple[int, int] = (1280, 720), theme: str = "light"
    ) -> HeadViewPage:
        page = HeadViewPage(model, Appearance(theme=THEME_STYLES[theme]), Focus())
        made.append(page)
        page.resize(*size)
        page.show()
        qtbot.waitExposed(page)
        painted_now(page)
        return page

    yield make
    for page in made:
        close(page)
