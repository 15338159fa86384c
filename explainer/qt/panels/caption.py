"""Caption: the current step's sentence and formula with the real numbers."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from explainer.animation import FrameState, StepKind
from explainer.i18n import N_, _
from explainer.model import Lesson, Trace

from ..focus import Focus
from ..player import Player
from ..style import Appearance

KIND_NAMES = {
    StepKind.EMBED: N_("Embeddings"),
    StepKind.PROJECT_Q: N_("Queries"),
    StepKind.PROJECT_K: N_("Keys"),
    StepKind.PROJECT_V: N_("Values"),
    StepKind.DOT: N_("Dot products"),
    StepKind.SCALE: N_("Scaling"),
    StepKind.MASK: N_("Causal mask"),
    StepKind.SOFTMAX: N_("Softmax"),
    StepKind.WEIGHTED_SUM: N_("Weighted sum"),
    StepKind.CONCAT_HEADS: N_("Concatenate heads"),
    StepKind.OUTPUT_PROJECTION: N_("Output projection"),
}


MARGIN_X, MARGIN_Y, SPACING = 12, 6, 6  # px around and between the stage and the words


class CaptionPanel(QWidget):
    """A large, wrapped caption with the step number and stage name beside it.

    On the first step, the lesson of the preset (its title and what it shows)
    stands above the caption: the window and every export open with it.

    The panel places its labels itself rather than through a QLayout, and asks
    for the height its words need at its width: a new caption (every edit
    prints new numbers) then reaches the window's layout only when it needs
    another height. Through a layout, every new text laid the whole window out
    again (~1 ms at 1080p, a fifteenth of a frame).
    """

    def __init__(self, player: Player, appearance: Appearance):
        super().__init__()
        self.player, self.appearance = player, appearance
        self.lesson_shown: Lesson | None = None
        self.replaced: tuple[str, str] | None = None  # (stage, caption) shown instead of the step's
        self.changes = 0
        self.stage = QLabel()
        self.stage.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.stage.setMinimumWidth(round(170 * appearance.caption_scale))
        self.lesson = QLabel()
        self.lesson.setWordWrap(True)
        self.lesson.setTextFormat(Qt.TextFormat.RichText)
        self.lesson.hide()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.stage, self.lesson, self.text):
            label.setParent(self)
        self._held: tuple[object, int] = ((), 0)  # (the step and width, the tallest it has needed)
        self._settled: tuple[object, ...] = ()  # the words, size and fonts last settled
        self.restyle()
        self.draw(player.model.trace, player.state, None)

    def shutdown(self) -> None:
        """Nothing to let go of: the board draws the caption."""

    def restyle(self) -> None:
        """A new theme or text size (the board draws afterwards)."""
        self.changes += 1
        theme = self.appearance.theme
        self.setStyleSheet(f"background: {theme.panel}; color: {theme.text};")
        self.setVisible(self.appearance.captions)
        font = QFont()
        font.setPixelSize(max(7, round(self.appearance.px(19) * self.appearance.caption_scale)))
        self.text.setFont(font)
        self.lesson.setFont(font)
        bold = QFont(font)
        bold.setBold(True)
        self.stage.setFont(bold)
        self._settle()

    def draw(self, trace: Trace, state: FrameState, focus: Focus | None) -> None:
        """Show ``state``'s caption; ``trace`` and ``focus`` do not change what it says."""
        steps = len(self.player.timeline.steps)
        stage, caption = f"{state.index + 1} / {steps}\n{_(KIND_NAMES[state.step.kind])}", state.step.caption
        if self.replaced is not None:
            stage, caption = self.replaced
        # On the walkthrough's opening step only: a drill-down starts on its dot product, no lesson.
        opening = state.index == 0 and state.step.kind == StepKind.EMBED
        lesson = self.lesson_shown if opening and self.replaced is None else None
        if lesson is not None:
            title, about = html.escape(lesson.shown_title), html.escape(lesson.shown_description)
            lesson_html = f"<b>{title}</b><br>{about}"
        else:
            lesson_html = ""
        shown = (stage, caption, lesson_html)
        if shown != (self.stage.text(), self.text.text(), self.lesson.text()):
            self.stage.setText(stage)
            self.text.setText(caption)
            self.lesson.setText(lesson_html)
            self.lesson.setVisible(bool(lesson_html))
            self.changes += 1
            self._settle()  # now, not on a posted request: none is posted while the page is hidden

    # ------------------------------------------------------------ geometry
    def _stage_width(self) -> int:
        return max(self.stage.minimumWidth(), self.stage.sizeHint().width())

    def _words_left(self) -> int:
        return MARGIN_X + self._stage_width() + SPACING

    def _words_height(self, words: int) -> int:
        """The lesson (when shown) over the caption, wrapped to ``words`` px."""
        height = self.text.heightForWidth(words)
        if not self.lesson.isHidden():
            height += self.lesson.heightForWidth(words) + SPACING
        return height

    def needed_height(self, width: int) -> int:
        """The height that shows every word at ``width`` px."""
        words = max(1, width - self._words_left() - MARGIN_X)
        return 2 * MARGIN_Y + max(self.stage.sizeHint().height(), self._words_height(words))

    def sizeHint(self) -> QSize:
        return QSize(self.minimumSizeHint().width() + 420, self.needed_height(self.width()))

    def minimumSizeHint(self) -> QSize:
        words = max(self.text.minimumSizeHint().width(), self.lesson.minimumSizeHint().width())
        return QSize(self._words_left() + words + MARGIN_X, self.minimumHeight())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a label's text, font or visibility changed
            self._settle()
            return True
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._settle()  # another width: maybe another number of lines

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._settle()

    def _settle(self) -> None:
        """The height the words need at this width, and the labels placed in it.

        Only a new height reaches the board's layout (a new maximum asks it again).
        Within one step at one width the caption only grows: dragging a weight can
        make its numbers take one line more, then one less, and the panels below
        would jump by a line at every move.
        """
        words = (self.stage.text(), self.lesson.text(), self.text.text(), self.lesson.isHidden())
        settled = (*words, self.size().toTuple(), self.text.font().key(), self.stage.font().key())
        if settled == self._settled:  # a draw settled it, and the labels' own request follows
            return
        self._settled = settled
        needed = self.needed_height(self.width())
        step = (self.stage.text(), self.lesson.text(), self.width(), self.text.font().pixelSize())
        if self._held[0] == step:
            needed = max(needed, self._held[1])
        self._held = (step, needed)
        # Asked for, not forced: a window too small for the words still gets the size it was given
        # (the caption gives up lines, down to the stage's two), as with a layout before.
        floor = min(needed, 2 * MARGIN_Y + self.stage.sizeHint().height())
        self.setMinimumHeight(min(floor, self.minimumHeight()))  # never above the maximum set next
        self.setMaximumHeight(needed)
        self.setMinimumHeight(floor)
        self._arrange()

    def _arrange(self) -> None:
        """The stage on the left, the lesson (on the first step) over the caption beside it."""
        stage_width, left = self._stage_width(), self._words_left()
        self.stage.setGeometry(MARGIN_X, MARGIN_Y, stage_width, max(0, self.height() - 2 * MARGIN_Y))
        words, top = max(1, self.width() - left - MARGIN_X), MARGIN_Y
        if not self.lesson.isHidden():
            lesson_height = self.lesson.heightForWidth(words)
            self.lesson.setGeometry(left, top, words, lesson_height)
            top += lesson_height + SPACING
        self.text.setGeometry(left, top, words, max(0, self.height() - MARGIN_Y - top))

    def set_lesson(self, lesson: Lesson | None) -> None:
        """The preset's title and description, shown on the first step (the board draws afterwards)."""
        self.lesson_shown = lesson

    def replace_text(self, stage: str | None, caption: str = "") -> None:
        """Show ``stage`` and ``caption`` instead of the step's (an exported learning run's
        iteration line); ``None`` gives the steps theirs back. Shown from the next draw."""
        self.replaced = None if stage is None else (stage, caption)

    def version(self) -> int:
        """Grows whenever the text changed (offscreen export caches by it)."""
        return self.changes
