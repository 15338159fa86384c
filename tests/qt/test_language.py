"""View ▸ Language: the menus and Qt's own dialogs in Korean, live, and back to English."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QMenu

from explainer.i18n import LANGUAGE_NAMES, language
from explainer.model import AttentionModel

HANGUL = re.compile("[\uac00-\ud7a3]")
# Names, not words: each language's own name, the presets' file names.
NAMES = set(LANGUAGE_NAMES.values()) | set(AttentionModel.preset_names())


def every_action(window):
    """(menu title, action text) for every action of every menu, submenus included."""
    found = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                walk(action.menu(), f"{path} ▸ {action.text()}")
            found.append((path, action.text()))

    for top in window.menuBar().actions():
        found.append(("", top.text()))
        walk(top.menu(), top.text())
    return found


def test_korean_from_the_view_menu_rewrites_every_menu_live_and_english_comes_back(open_window):
    window = open_window()
    english = every_action(window)
    assert ("", "&File") in english
    language_menu = next(a.menu() for _menu, a in _menu_actions(window) if a.text() == "&Language")
    next(a for a in language_menu.actions() if a.text() == "한국어").trigger()
    assert language() == "ko" and QSettings().value("language") == "ko"
    korean = every_action(window)
    untranslated = [(path, text) for path, text in korean if text not in NAMES and not HANGUL.search(text)]
    assert untranslated == [], untranslated
    assert ("", "파일(&F)") in korean
    tips = [a.toolTip() for _p, a in _menu_actions(window) if a.text() == "정지 화면 내보내기(&S)…"]
    assert tips == ["현재 단계를 PNG 또는 벡터 SVG로 내보냅니다"]
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "취소"  # Qt's own buttons
    window.set_language("en")
    assert every_action(window) == english
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def _menu_actions(window):
    found = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            found.append((menu, action))
            if action.menu() is not None:
                walk(action.menu())

    for top in window.menuBar().actions():
        walk(top.menu())
    return found
