"""The model's words in Korean: the messages a user sees, and the presets' lessons."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest

from explainer.i18n import set_language
from explainer.model import AttentionModel, preset_lesson
from explainer.model.learn_target import target_from_pairs
from explainer.model.lesson_texts import LESSON_TEXTS

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_the_catalogue_lists_every_shipped_lesson_exactly_as_its_json_file():
    names = AttentionModel.preset_names()
    assert sorted(LESSON_TEXTS) == sorted(names)
    for name in names:
        document = json.loads((files("explainer.resources") / "presets" / f"{name}.json").read_text("utf-8"))
        assert LESSON_TEXTS[name] == (document["title"], document["description"]), name


@pytest.mark.parametrize("name", AttentionModel.preset_names())
def test_a_lesson_is_shown_in_the_language_in_use(name, korean):
    lesson = preset_lesson(name)
    assert lesson is not None
    assert HANGUL.search(lesson.shown_title) and HANGUL.search(lesson.shown_description)
    set_language("en")
    assert (lesson.shown_title, lesson.shown_description) == (lesson.title, lesson.description)


def test_a_too_long_token_is_refused_in_korean(korean):
    with pytest.raises(ValueError) as refused:
        AttentionModel(["I", "x" * 41], None)
    assert str(refused.value) == "query_tokens[1]: 토큰은 최대 40자까지인데 길이가 41자입니다"


def test_a_target_on_a_masked_pair_is_refused_in_korean(korean):
    model = AttentionModel.from_preset("seed-causal")
    with pytest.raises(ValueError) as refused:
        target_from_pairs(model, {"cat": 4})
    assert str(refused.value) == (
        "α(cat, the)는 마스크되어 있습니다: 쿼리는 뒤에 오는 키에 주목할 수 없습니다"
        "(헤드 1, 쿼리 2, 키 5, 앱에 표시되는 대로 1부터 셈)"
    )


def test_the_english_messages_are_unchanged():
    with pytest.raises(ValueError, match=r"^query_tokens\[1\]: a token has at most 40 characters, got 41$"):
        AttentionModel(["I", "x" * 41], None)
