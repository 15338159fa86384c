"""The strip above the panels after a scene's door: which attention this is, and the way back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class BackBar(QWidget):
    """Hidden until a door is opened; its button (Alt+←) returns to the scene."""

    def __init__(self, back: Callable[[], None]) -> None:
        super().__init__()
        self.button = QPushButton("← Back to the scene")
        self.button.setToolTip("Return to the scene this attention was opened from (Alt+←)")
        self.button.clicked.connect(back)
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.button)
        layout.addWidget(self.label, 1)
        self.hide()

    def show_door(self, door_title: str, scene_title: str) -> None:
        self.button.setText(f"← Back to “{scene_title}”")
        self.label.setText(door_title)
        self.show()
