"""Caption: the current step's sentence and formula with the real numbers."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

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


class CaptionPanel(QWidget):
    """A large, wrapped caption with the step number and stage name beside it.

    On the first step, the lesson of the preset (its title and what it shows)
    stands above the caption: the window and every export open with it.
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
        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.addWidget(self.lesson)
        words.addWidget(self.text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.stage)
        layout.addLayout(words, 1)
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
