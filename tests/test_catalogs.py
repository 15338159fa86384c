"""The translations: every marked string translated, placeholders and menu keys kept, .mo files fresh."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from explainer.i18n import DOMAINS, LANGUAGES, _, language, set_language, system_language

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import update_catalogs  # noqa: E402

sys.path.pop(0)

TRANSLATED = [(code, domain) for code in LANGUAGES if code != "en" for domain in DOMAINS]
FIELD = re.compile(r"\{[a-z_]*\}")


def catalogue(code: str, domain: str):
    with update_catalogs.po_path(code, domain).open("rb") as po:
        return read_po(po, locale=code)


@pytest.mark.parametrize(("code", "domain"), TRANSLATED)
def test_every_marked_string_has_a_translation(code, domain):
    translated = {m.id: m.string for m in catalogue(code, domain) if m.id and m.string and not m.fuzzy}
    marked = {m.id for m in update_catalogs.template(domain) if m.id}
    assert sorted(marked - set(translated)) == []  # run tools/update_catalogs.py, then translate


@pytest.mark.parametrize(("code", "domain"), TRANSLATED)
def test_the_shipped_mo_is_compiled_from_the_po(code, domain):
    shipped = update_catalogs.po_path(code, domain).with_suffix(".mo").read_bytes()
    assert shipped == update_catalogs.compiled(code, domain), "stale: run python tools/update_catalogs.py"


@pytest.mark.parametrize(("code", "domain"), TRANSLATED)
def test_translations_keep_the_placeholders_and_one_menu_key(code, domain):
    for message in catalogue(code, domain):
        if not message.id:
            continue
        assert sorted(FIELD.findall(message.string)) == sorted(FIELD.findall(message.id)), message.id
        if "&" in message.id:
            assert message.string.count("&") == 1, message.id


def test_switching_language_changes_the_words_and_back():
    assert language() == "en" and _("&File") == "&File"
    set_language("ko")
    try:
        assert _("&File") == "파일(&F)"
        assert _("Show or hide “{title}” ({key})").format(title="가중치", key="Ctrl+E") == (
            "“가중치” 보이기 / 숨기기 (Ctrl+E)"
        )
    finally:
        set_language("en")
    assert _("&File") == "&File"
    with pytest.raises(ValueError, match="language: expected one of en, ko, got 'fr'"):
        set_language("fr")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANGUAGE": "ko:en", "LANG": "en_US.UTF-8"}, "ko"),
        ({"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_system_language_follows_the_locale_variables(env, expected):
    assert system_language(env) == expected
