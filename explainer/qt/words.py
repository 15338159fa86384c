"""The window's words in the language chosen: texts written again when View ▸ Language changes.

A widget's or an action's text is bound once, in English (marked with ``N_``);
each change of language writes every bound text again through the catalogue.
Qt's own dialogs (file dialogs, message-box buttons) follow through Qt's
translations of qtbase, shipped with PySide6.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from explainer.i18n import _, language, words

Text = str | Callable[[], str]  # English to look up, or a function that writes it (values filled in)

_qt_translator: QTranslator | None = None


class Retranslator:
    """Texts bound to setters; all written again when the language changes."""

    def __init__(self) -> None:
        self._bound: list[tuple[Callable[[str], object], Text]] = []
        words.changed.connect(self._on_language)

    def bind(self, setter: Callable[[str], object], text: Text) -> None:
        """Call ``setter`` with ``text`` in the language in use, now and after every change."""
        self._bound.append((setter, text))
        setter(_write(text))

    def _on_language(self, _language: str) -> None:
        for setter, text in self._bound:
            setter(_write(text))

    def shutdown(self) -> None:
        words.changed.disconnect(self._on_language)
        self._bound.clear()


def _write(text: Text) -> str:
    return _(text) if isinstance(text, str) else text()


def use_qt_translations() -> None:
    """Qt's own buttons and dialogs in the language in use (qtbase_ko.qm ships with PySide6)."""
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language() == "en":
        return
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(language()), "qtbase", "_", folder):
        app.installTranslator(translator)
        _qt_translator = translator


def choose_language(asked: str | None = None) -> None:
    """The language at start: ``asked`` (--lang), else the one chosen last time, else the system's."""
    from PySide6.QtCore import QSettings

    from explainer.i18n import LANGUAGES, set_language, system_language

    remembered = str(QSettings().value("language", ""))
    set_language(asked or (remembered if remembered in LANGUAGES else system_language()))
    use_qt_translations()
