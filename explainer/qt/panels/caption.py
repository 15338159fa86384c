"""Caption: the current step's sentence and formula with the real numbers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from explainer.animation import FrameState

from ..player import Player
from ..style import Appearance

KIND_NAMES = {
    "embed": "Embeddings",
    "project_q": "Queries",
    "project_k": "Keys",
    "project_v": "Values",
    "dot": "Dot products",
    "scale": "Scaling",
    "mask": "Causal mask",
    "softmax": "Softmax",
    "weighted_sum": "Weighted sum",
    "concat_heads": "Concatenate heads",
    "output_projection": "Output projection",
}


class CaptionPanel(QWidget):
    """A large, wrapped caption with the step number and stage name beside it."""

    def __init__(self, player: Player, appearance: Appearance):
        super().__init__()
        self.player, self.appearance = player, appearance
        self.changes = 0
        self.stage = QLabel()
        self.stage.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.stage.setMinimumWidth(170)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.stage)
        layout.addWidget(self.text, 1)
        self._connect()
        self._apply_style()
        self.draw(player.state)

    def _connect(self) -> None:
        self.player.frame_changed.connect(self._on_frame)
        self.appearance.changed.connect(self._on_appearance)

    def shutdown(self) -> None:
        self.player.frame_changed.disconnect(self._on_frame)
        self.appearance.changed.disconnect(self._on_appearance)

    def _on_frame(self, state: FrameState) -> None:
        self.draw(state)

    def _on_appearance(self) -> None:
        self._apply_style()
        self.draw(self.player.state)

    def _apply_style(self) -> None:
        self.changes += 1
        theme = self.appearance.theme
        self.setStyleSheet(f"background: {theme.panel}; color: {theme.text};")
        self.setVisible(self.appearance.captions)
        font = QFont()
        font.setPixelSize(self.appearance.px(19))
        self.text.setFont(font)
        bold = QFont(font)
        bold.setBold(True)
        self.stage.setFont(bold)

    def draw(self, state: FrameState) -> None:
        steps = len(self.player.timeline.steps)
        name = KIND_NAMES.get(state.step.kind, state.step.kind)
        stage = f"{state.index + 1} / {steps}\n{name}"
        if (stage, state.step.caption) != (self.stage.text(), self.text.text()):
            self.stage.setText(stage)
            self.text.setText(state.step.caption)
            self.changes += 1

    def version(self) -> int:
        """Grows whenever the text changed (offscreen export caches by it)."""
        return self.changes
