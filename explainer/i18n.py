"""Words: every user-visible string is looked up here; English and Korean ship. Never Qt.

gettext, the Python convention, rather than Qt's ``tr()``: the captions are written
by the model and animation packages, which never import Qt, and one mechanism
must serve the window, the captions, the command line and exports alike. The
catalogues are ``explainer/resources/locale/<language>/LC_MESSAGES/<domain>.po``
(the source of truth, edited by people; one domain per part of the program) and
the ``.mo`` compiled from them by ``tools/update_catalogs.py``; ``tests/test_catalogs.py``
fails when a marked string has no translation or a ``.mo`` is stale.

A string is marked by calling :func:`_` on it where it is shown, so a language
switched at run time takes effect the next time it is shown. Values go in by name
after the lookup: ``_("Step {n} of {total}").format(n=3, total=26)``.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Mapping
from importlib.resources import files

from psygnal import Signal

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "N_",
    "Words",
    "_",
    "language",
    "set_language",
    "system_language",
    "words",
]

LANGUAGES = ("en", "ko")
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}  # each in its own language, as a menu shows them
# One catalogue per part of the program, so its strings are translated (and reviewed) together:
# the window, the captions (animation and model), the lecture's scenes, the command line.
DOMAINS = ("window", "captions", "scenes", "cli")


class Words:
    """The language in use and its catalogue; ``changed`` says when another is chosen."""

    changed = Signal(str)

    def __init__(self) -> None:
        self.language = "en"
        self.translations: gettext.NullTranslations = gettext.NullTranslations()

    def set(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language: expected one of {', '.join(LANGUAGES)}, got {language!r}")
        if language == self.language:
            return
        self.translations = _catalogue(language)
        self.language = language
        self.changed.emit(language)


def _catalogue(language: str) -> gettext.NullTranslations:
    """Every domain's catalogue of ``language``, one after the other (a string is looked up in turn)."""
    translations = gettext.NullTranslations()
    if language == "en":  # the strings are written in English
        return translations
    folder = files("explainer.resources") / "locale" / language / "LC_MESSAGES"
    for domain in DOMAINS:
        compiled = folder / f"{domain}.mo"
        if compiled.is_file():  # works from a wheel too: read, not opened by path
            translations.add_fallback(gettext.GNUTranslations(io.BytesIO(compiled.read_bytes())))
    return translations


words = Words()


def _(text: str) -> str:
    """``text`` in the language in use (unchanged in English, or where no translation exists)."""
    return words.translations.gettext(text)


def N_(text: str) -> str:
    """Mark ``text`` for the catalogues without looking it up yet (a menu's text, kept in English
    and written again in each language chosen)."""
    return text


def language() -> str:
    return words.language


def set_language(language: str) -> None:
    """Show every string from now on in ``language`` ("en" or "ko"); ValueError for another."""
    words.set(language)


def system_language(env: Mapping[str, str] = os.environ) -> str:
    """The language the system asks for, as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            first = value.split(":")[0].split(".")[0].split("_")[0].lower()
            return first if first in LANGUAGES else "en"
    return "en"
