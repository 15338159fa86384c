"""Switching language live rewrites the captions on screen: the walkthrough's, the lesson's, a scene's."""

from __future__ import annotations

import re

from explainer.animation import captions

HANGUL = re.compile("[\uac00-\ud7a3]")


def test_the_caption_on_screen_and_the_lesson_follow_the_language(open_window):
    window = open_window("seed-translate")
    window.player.go_to_step(0)
    english_lesson = window.caption.lesson.text()
    assert "Translation" in english_lesson
    window.set_language("ko")
    assert HANGUL.search(window.caption.lesson.text())
    index, step = next((i, s) for i, s in enumerate(window.player.timeline.steps) if s.kind == "dot")
    window.player.go_to_step(index)
    shown = window.caption.text.text()
    assert HANGUL.search(shown) and shown == captions.dot(window.model.trace, step.head, step.query, step.key)
    window.set_language("en")
    assert window.caption.text.text().startswith("Scores of “I”")
    window.player.go_to_step(0)
    assert window.caption.lesson.text() == english_lesson


def test_a_scene_on_screen_follows_the_language(open_window):
    window = open_window()
    window.show_scene("architecture")
    page = window.scenes.page("architecture")
    english = page.caption.text()
    window.set_language("ko")
    assert HANGUL.search(page.caption.text())
    window.set_language("en")
    assert page.caption.text() == english
