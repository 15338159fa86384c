"""The caption's room: as tall as its wrapped words, never cut, and a new caption of the same
height does not lay the window out again (every edit prints new numbers)."""

from __future__ import annotations

from helpers import settle
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication


class LayoutRequests(QObject):
    """Counts the LayoutRequest events the watched widgets receive."""

    def __init__(self, *watched: QObject) -> None:
        super().__init__()
        self.count = 0
        for widget in watched:
            widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def words_fit(caption) -> bool:
    """Every label shows all its wrapped lines: as tall as its text needs at its width."""
    labels = [caption.text] + ([caption.lesson] if not caption.lesson.isHidden() else [])
    return all(label.height() >= label.heightForWidth(label.width()) for label in labels)


def test_the_lesson_and_the_caption_are_shown_whole_and_beside_the_stage(open_window):
    window = open_window("seed-translate")
    window.player.seek(0.0)
    settle()
    caption = window.caption
    assert not caption.lesson.isHidden() and words_fit(caption)
    assert caption.lesson.geometry().bottom() < caption.text.geometry().top()  # the lesson above
    assert caption.stage.geometry().right() < caption.text.geometry().left()
    assert caption.text.text() == window.player.timeline.steps[0].caption


def test_a_narrower_window_gives_the_caption_more_lines_and_the_panels_less(open_window):
    window = open_window("seed-translate", size=(1280, 800))
    window.player.last()
    settle()
    wide = window.caption.height()
    window.resize(700, 800)
    for _ in range(3):
        settle()
    assert window.caption.height() > wide
    assert words_fit(window.caption)
    window.resize(1280, 800)
    for _ in range(3):
        settle()
    assert window.caption.height() == wide and words_fit(window.caption)


def test_new_numbers_of_the_same_height_do_not_lay_the_window_out(open_window):
    window = open_window("seed-translate")
    window.player.last()
    nudge = float(window.model.params["w_v"][0, 0, 0]) + 0.5
    window.model.set_value("w_v", (0, 0, 0), nudge)  # the first edit also marks the window modified
    for _ in range(3):
        settle()
    counter = LayoutRequests(window, window.board)
    before, height = window.caption.text.text(), window.caption.height()
    window.model.set_value("w_v", (0, 0, 0), nudge + 0.5)
    QApplication.processEvents()
    assert window.caption.text.text() != before  # new numbers printed
    assert window.caption.height() == height and words_fit(window.caption)
    assert counter.count == 0


def test_a_longer_caption_makes_the_caption_taller(open_window):
    window = open_window("seed-translate", size=(900, 800))
    window.player.last()
    settle()
    height = window.caption.height()
    window.caption.replace_text("1 / 1\nTest", "a long caption " * 40)
    window.board.draw_all()
    for _ in range(3):
        settle()
    assert window.caption.height() > height and words_fit(window.caption)


def fits_exactly(caption) -> bool:
    """As tall as its words need at its width (no cut line, no blank band), and every label shown whole."""
    return caption.height() == caption.needed_height(caption.width()) and words_fit(caption)


def test_a_caption_changed_while_a_scene_shows_has_its_height_when_the_walkthrough_returns(open_window):
    """Step 1 (the lesson over the caption) chosen while the scene page hides the walkthrough."""
    window = open_window("seed-translate")
    window.player.last()
    settle()
    short = window.caption.height()
    window.show_scene("architecture")
    settle()
    window.player.seek(0.0)
    window.show_attention()
    for _ in range(3):
        settle()
    assert not window.caption.lesson.isHidden()
    assert window.caption.height() > short and fits_exactly(window.caption)


def test_a_new_step_then_a_width_the_window_had_before_gets_that_steps_height(open_window):
    """Qt's layouts remember heights per width: a new caption must not be sized by the old one's."""
    window = open_window("seed-translate", size=(1280, 800))
    caption, steps = window.caption, len(window.player.timeline.steps)
    widths = []
    for width in (900, 1280):
        window.resize(width, 800)
        for _ in range(3):
            settle()
        widths.append(caption.width())
    heights = []
    for index in range(steps):
        window.player.go_to_step(index)
        settle()
        heights.append((caption.needed_height(widths[1]), caption.needed_height(widths[0])))
    # Two steps as tall as each other in a wide window, not in a narrow one.
    pair = next(
        k
        for k in range(steps - 1)
        if heights[k][0] == heights[k + 1][0] and heights[k][1] < heights[k + 1][1]
    )
    window.player.go_to_step(pair)
    for width in (900, 1280):
        window.resize(width, 800)
        for _ in range(3):
            settle()
    window.player.go_to_step(pair + 1)
    settle()
    window.resize(900, 800)
    for _ in range(3):
        settle()
    assert fits_exactly(caption)


def test_within_a_step_the_caption_only_grows_so_the_panels_do_not_jump(open_window):
    """A drag makes the numbers one line longer, then shorter: the panels below stay put."""
    window = open_window("seed-translate", size=(900, 800))
    window.player.last()
    settle()
    caption, panel = window.caption, window.panels[0]

    def show(text: str) -> None:
        caption.replace_text("9 / 9\nOutput", text)
        window.board.draw_all()
        for _ in range(3):
            settle()

    show("short numbers")
    short = caption.height()
    show("longer numbers " * 20)
    tall, panel_top = caption.height(), panel.mapTo(window, panel.rect().topLeft()).y()
    assert tall > short and words_fit(caption)
    show("short numbers")
    assert caption.height() == tall and words_fit(caption)
    assert panel.mapTo(window, panel.rect().topLeft()).y() == panel_top
    caption.replace_text(None)
    window.player.go_to_step(0)
    for _ in range(3):
        settle()
    assert fits_exactly(caption)


def test_a_window_too_small_for_the_words_keeps_the_size_it_was_given(open_window):
    """At 640 × 400 the lesson and caption of step 1 need more room than there is: the caption gives
    up lines; it does not make the window taller (the screenshot command's --size relies on it)."""
    window = open_window("seed-translate", size=(640, 400))
    window.player.go_to_step(0)
    for _ in range(3):
        settle()
    assert (window.width(), window.height()) == (640, 400)
    assert window.caption.height() < window.caption.needed_height(window.caption.width())
    window.resize(1280, 800)
    for _ in range(3):
        settle()
    assert fits_exactly(window.caption)
