"""The window's words in the language chosen: texts written again when View ▸ Language changes.

A widget's or an action's text is bound once, in English (marked with ``N_``);
each change of language writes every bound text again through the catalogue.
Qt's own dialogs (file dialogs, message-box buttons) follow through Qt's
translations of qtbase, shipped with PySide6.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from weakref import ref

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, Qt, QTranslator
from PySide6.QtWidgets import QComboBox, QLabel
from shiboken6 import isValid

from explainer.i18n import N_, _, language, words

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
        setter(write(text))

    def _on_language(self, _language: str) -> None:
        for setter, text in self._bound:
            setter(write(text))

    def shutdown(self) -> None:
        words.changed.disconnect(self._on_language)
        self._bound.clear()


class _LiveTexts(QObject):
    """One widget's bound texts: a child of the widget, so they go (and stop listening) with it."""

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self.bound: list[tuple[Callable[[], Callable[[str], object] | None], Text]] = []
        words.changed.connect(self._on_language)  # weakly held: gone with this object

    def _on_language(self, _language: str) -> None:
        if not isValid(self):  # the widget is gone but Python still holds this wrapper
            words.changed.disconnect(self._on_language)
            return
        for setter_now, text in self.bound:
            setter = setter_now()
            if setter is not None:
                setter(write(text))


def _weakly(setter: Callable[[str], object]) -> Callable[[], Callable[[str], object] | None]:
    """``setter`` found again through a weak reference to its object, when it is a method.

    A strong one would tie a widget to its own child (the bound texts): a cycle that only the
    garbage collector breaks, so a window's page would be deleted at a random time (mid-paint).
    """
    target = setter.func if isinstance(setter, partial) else setter
    owner, name = getattr(target, "__self__", None), getattr(target, "__name__", None)
    if owner is None or name is None or isinstance(owner, type):
        return lambda: setter
    try:
        reference = ref(owner)
    except TypeError:
        return lambda: setter
    args = (setter.args, setter.keywords) if isinstance(setter, partial) else None

    def found() -> Callable[[str], object] | None:
        alive = reference()
        if alive is None:
            return None
        method = getattr(alive, name)
        return method if args is None else partial(method, *args[0], **args[1])

    return found


def bind(owner: QObject, setter: Callable[[str], object], text: Text) -> None:
    """Call ``setter`` with ``text`` in the language in use, now and after every change, while
    ``owner`` (the widget the setter writes to, or its parent) lives: for widgets that have no
    window's :class:`Retranslator` at hand (panels, dialogs, editors)."""
    _live(owner).bound.append((_weakly(setter), text))
    setter(write(text))


def _live(owner: QObject) -> _LiveTexts:
    live = owner.findChild(_LiveTexts, "", Qt.FindChildOption.FindDirectChildrenOnly)
    return live if live is not None else _LiveTexts(owner)


def write(text: Text) -> str:
    """``text`` in the language in use: English looked up, or the function's text."""
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


def bound_label(text: Text) -> QLabel:
    """A label whose ``text`` (English marked with N_, or a function) follows the language."""
    label = QLabel()
    bind(label, label.setText, text)
    return label


def follow(owner: QObject, rewrite: Callable[[], object]) -> None:
    """Call ``rewrite`` after every change of language while ``owner`` lives (texts made of
    several values, written by the owner itself)."""
    found = _weakly(rewrite)  # type: ignore[arg-type]  # called without the text

    def setter_now() -> Callable[[str], object] | None:
        method = found()
        return None if method is None else (lambda _text: method())  # type: ignore[call-arg]

    _live(owner).bound.append((setter_now, lambda: ""))


# The names of choices a combo box offers: the value the code reads stays the English name,
# the text shown follows the language (in English, the same word).
CHOICE_LABELS = {
    "full": N_("full"),
    "first-query": N_("first-query"),
    "rows": N_("rows"),
    "matrix": N_("matrix"),
    "light": N_("light"),
    "dark": N_("dark"),
    "presenter": N_("presenter"),
    "overview": N_("overview"),
}


def offer(combo: QComboBox, values: Sequence[str]) -> None:
    """Fill ``combo`` with ``values`` (its items' data), each shown by its label in the language in use."""
    for index, value in enumerate(values):
        combo.addItem(value, value)
        bind(combo, partial(combo.setItemText, index), CHOICE_LABELS.get(value, value))


def choose(combo: QComboBox, value: str) -> None:
    """Select the item whose value (not its shown text) is ``value``."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
