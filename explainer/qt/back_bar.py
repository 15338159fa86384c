"""The strip above the panels after a scene's door: which attention this is, and the way back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from explainer.i18n import N_, _

from .words import Text, bind, follow, write


class BackBar(QWidget):
    """Hidden until a door is opened; its button (Alt+←) returns to the scene."""

    def __init__(self, back: Callable[[], None]) -> None:
        super().__init__()
        self.button = QPushButton(_("← Back to the scene"))
        bind(
            self.button,
            self.button.setToolTip,
            N_("Return to the scene this attention was opened from (Alt+←)"),
        )
        self.button.clicked.connect(back)
        self.label = QLabel()
        self._titles: tuple[Text, Text] | None = None  # (door, scene), written in the language in use
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.button)
        layout.addWidget(self.label, 1)
        follow(self, self._write)
        self.hide()

    def show_door(self, door_title: Text, scene_title: Text) -> None:
        """Name the attention shown and the way back; each title is English to look up (marked
        with N_) or a function that writes it, so a change of language writes them again."""
        self._titles = (door_title, scene_title)
        self._write()
        self.show()

    def _write(self) -> None:
        if self._titles is None:
            self.button.setText(_("← Back to the scene"))
            return
        door, scene = self._titles
        self.button.setText(_("← Back to “{scene}”").format(scene=write(scene)))
        self.label.setText(write(door))
