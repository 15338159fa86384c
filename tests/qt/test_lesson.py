"""The preset's lesson: its title and description open the walkthrough, and its worked query is worked."""

from __future__ import annotations

from explainer.model import AttentionModel, Document, PresetSource
from explainer.qt.offscreen import FrameRenderer


def test_the_first_step_shows_the_presets_title_and_description(open_window) -> None:
    window = open_window("seed-translate")
    window.player.first()
    lesson = window.document.lesson
    assert window.caption.lesson.isVisible()
    shown = window.caption.lesson.text()
    assert "kono eiga ga kirai → I hate this movie" in shown and "hate→kirai" in shown
    assert lesson.title in shown.replace("&gt;", ">")
    window.player.go_to_step(1)
    assert not window.caption.lesson.isVisible()  # the later steps keep their room for numbers


def test_the_walkthrough_works_the_lessons_query(open_window) -> None:
    window = open_window("seed-translate")
    cells = [(s.query, s.key) for s in window.player.timeline.steps if s.kind == "dot"]
    hate = window.model.query_tokens.index("hate")
    assert [key for query, key in cells if query == hate] == [0, 1, 2, 3]
    window.load_preset("seed-causal")
    steps = window.player.timeline.steps
    mat = window.model.query_tokens.index("mat")
    assert [s.key for s in steps if s.kind == "softmax" and s.head == 0 and s.query == mat] == list(range(6))
    assert "Causal self-attention" in window.caption.lesson.text()


def test_a_document_without_a_lesson_shows_none(open_window) -> None:
    window = open_window("seed-translate")
    window.replace_document(AttentionModel(["a", "b"]).state, None)
    window.player.first()
    assert not window.caption.lesson.isVisible()
    window.document.set_source(PresetSource("seed-translate"))
    window.player.first()
    assert window.caption.lesson.isVisible()


def test_an_exports_first_frame_opens_with_the_lesson(qapp) -> None:
    document = Document.from_preset("seed-causal")
    with FrameRenderer(document.model, size=(640, 360), lesson=document.lesson) as renderer:
        renderer.render(0.0)
        assert "Causal self-attention" in renderer.board.caption.lesson.text()
        assert renderer.board.caption.lesson.isVisibleTo(renderer.board)
        assert renderer.timeline.worked_query == document.model.query_tokens.index("mat")


def test_a_frame_after_the_lesson_is_laid_out_as_if_rendered_first(qapp) -> None:
    # The lesson takes room on step 1 only: the next frame must not keep that layout.
    document = Document.from_preset("seed-translate")
    with FrameRenderer(document.model, size=(640, 360), lesson=document.lesson) as renderer:
        renderer.render(0.0)
        later = renderer.render(renderer.timeline.start(5))
    with FrameRenderer(document.model, size=(640, 360), lesson=document.lesson) as fresh:
        fresh.render(fresh.timeline.start(5))
        assert (later == fresh.render(fresh.timeline.start(5))).all()
