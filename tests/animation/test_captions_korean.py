"""The captions in Korean: every step's words translated, every number exactly as in English."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from explainer.animation import Timeline
from explainer.i18n import set_language
from explainer.model import AttentionModel

PRESETS = AttentionModel.preset_names()
HANGUL = re.compile(r"[\uac00-\ud7a3]")
NUMBER = re.compile(r"−?\d+(?:\.\d+)?")
# Prose: a run of three or more English words (formulas such as q·k or W_Q hold no such run).
WORD = r"[A-Za-z]{2,}'?[a-z]*"
PROSE = re.compile(rf"{WORD}(?:[ ,;:-]+{WORD}){{2,}}")


def captions(name: str, language: str) -> list[str]:
    set_language(language)
    return [step.caption for step in Timeline(AttentionModel.from_preset(name).trace, "full").steps]


def english_prose(caption: str, tokens: set[str]) -> list[str]:
    """The runs of English words in ``caption`` that are not just the sentence's own tokens."""
    return [run for run in PROSE.findall(caption) if not set(re.findall(WORD, run)) <= tokens]


@pytest.mark.parametrize("name", PRESETS)
def test_every_korean_caption_is_translated_and_prints_the_english_numbers(name, korean):
    model = AttentionModel.from_preset(name)
    tokens = set(model.query_tokens) | set(model.key_tokens)
    english, translated = captions(name, "en"), captions(name, "ko")
    assert len(english) == len(translated) > 10
    # The check of untranslated prose could fail: most English captions hold prose.
    assert sum(bool(english_prose(en, tokens)) for en in english) >= 10
    for en, ko in zip(english, translated, strict=True):
        assert HANGUL.search(ko), ko
        assert [run for run in english_prose(en, tokens) if run in ko] == [], ko
        assert english_prose(ko, tokens) == [], ko
        assert "score(" not in ko and "head output" not in ko, ko
        assert Counter(NUMBER.findall(ko)) == Counter(NUMBER.findall(en)), (en, ko)
        assert ko.count("≈") == en.count("≈"), (en, ko)


def test_a_korean_caption_keeps_the_tokens_and_the_arithmetic(korean):
    trace = AttentionModel.from_preset("seed-translate").trace
    steps = Timeline(trace, "full").steps
    dot = next(s for s in steps if s.kind == "dot" and (s.query, s.key) == (1, 3))
    assert dot.caption.startswith("점수(hate, kirai) = q·k = ")
    assert dot.caption.endswith("= 4.10")
