"""The scenes in Korean: every caption, label and door title translated, with the English numbers."""

from __future__ import annotations

import re

import pytest

from explainer.i18n import set_language
from explainer.scenes import (
    ARCHITECTURE_DIAGRAMS,
    SCENE_NAMES,
    TimingPoint,
    arrow_label,
    block_detail,
    block_label,
    diagram_subtitle,
    diagram_title,
    door_blocks,
    door_title,
    scene_timeline,
    timing_caption,
)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
NUMBER = re.compile(r"-?[0-9][0-9,.]*[0-9]|[0-9]")
# A slower attention at the end, a faster one at the start: every sentence timing_caption has.
CROSSING = [TimingPoint(8, 4e-5, 1e-5), TimingPoint(64, 3e-4, 2e-4), TimingPoint(1024, 1e-3, 6e-3)]
OVERTAKING = [TimingPoint(8, 1e-5, 2e-5), TimingPoint(1024, 4e-3, 1e-3)]
SAME = [TimingPoint(8, 1e-3, 1.01e-3)]


def captions(timings: list[TimingPoint] | None) -> dict[tuple[str, str], str]:
    return {
        (name, step.name): step.caption
        for name in SCENE_NAMES
        for step in scene_timeline(name, timings).steps
    }


def numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text))


@pytest.mark.parametrize(
    "timings", [None, CROSSING, OVERTAKING, SAME], ids=["measuring", "x", "over", "same"]
)
def test_every_step_caption_is_korean_with_the_english_numbers(korean, timings) -> None:
    set_language("en")
    english = captions(timings)
    durations = {name: scene_timeline(name, timings).duration for name in SCENE_NAMES}
    set_language("ko")
    translated = captions(timings)
    assert translated.keys() == english.keys()
    for key, text in translated.items():
        assert HANGUL.search(text), key
        # the pencil rule: the same numbers (vectors, ratios, times, counts) and the same ≈
        assert numbers(text) == numbers(english[key]), key
        assert text.count("≈") == english[key].count("≈"), key
    # the scenes last as long in Korean (an export has as many frames in either language)
    assert {name: scene_timeline(name, timings).duration for name in SCENE_NAMES} == durations


def test_a_timeline_built_in_korean_has_a_korean_title_and_back_in_english(korean) -> None:
    assert scene_timeline("architecture").title == "어텐션은 어디에 있나"
    set_language("en")
    assert scene_timeline("architecture").title == "Where attention lives"


def test_the_rnn_step_names_the_word_it_reads_and_the_state_it_waited_for(korean) -> None:
    step = scene_timeline("rnn-vs-attention").steps[3]
    assert step.caption.startswith("3단계, 단어 “this”: h₃ = tanh(x₃·W_x + h₂·W_h + b) = tanh(")
    assert "앞 상태 h₂까지 기다려야 했습니다." in step.caption


def test_the_timing_caption_reads_the_same_figures_in_korean(korean) -> None:
    text = timing_caption(OVERTAKING)
    assert text == (
        "이 컴퓨터에서 잰 결과: 토큰 1,024개에서 차례로 이어지는 RNN의 1,024단계는 4.00 ms, "
        "셀프 어텐션의 곱 한 번은 1.00 ms 걸렸습니다 (≈ 4.0× 빠름). "
        "토큰 8개에서: RNN 10.0 µs, 어텐션 20.0 µs (≈ 2.0× 느림). "
        "토큰 1,024개부터는 어텐션이 더 빨랐습니다."
    )


def test_every_diagram_word_and_door_title_is_korean_when_drawn(korean) -> None:
    for diagram in ARCHITECTURE_DIAGRAMS:
        assert HANGUL.search(diagram_title(diagram)) and HANGUL.search(diagram_subtitle(diagram))
        for block in diagram.blocks:
            assert HANGUL.search(block_label(block)), block.id
            assert HANGUL.search(block_detail(block)) if block.detail else block_detail(block) == ""
        for arrow in diagram.arrows:  # words translated, the symbols Q and K, V kept
            if arrow.label in ("", "Q", "K, V"):
                assert arrow_label(arrow) == arrow.label
            else:
                assert HANGUL.search(arrow_label(arrow)), arrow.id
    for _block, door in door_blocks():
        title = door_title(door)
        assert HANGUL.search(title), door.title
        for sentence in ("“kono eiga ga kirai”", "“I hate this movie”"):  # the sentences kept as they are
            assert (sentence in title) == (sentence in door.title)


def test_the_diagram_words_are_english_again_after_switching_back(korean) -> None:
    block, door = door_blocks()[0]
    assert block_label(block) == "교차 어텐션"
    assert (
        door_title(door)
        == "RNN 디코더 → 인코더 교차 어텐션: 쿼리 “I hate this movie”, 키·값 “kono eiga ga kirai”"
    )
    set_language("en")
    assert block_label(block) == block.label == "Cross-attention"
    assert door_title(door) == door.title
    assert diagram_title(ARCHITECTURE_DIAGRAMS[0]) == "RNN encoder–decoder with attention"
