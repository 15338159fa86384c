"""EditWatch: notices a hand reaching for an editor while a run records, before the edit lands.

A learning run is one undo entry; an edit made by hand during it must be an entry
of its own. The model's ``changed`` only says so after the edit, inside the run's
entry, so the first press, key or wheel on an editor pauses the run first. Watched
through the application only while a run records (it sees every event then).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

# What a hand does before an edit: press, type, scroll (the weight editor's wheel scrubs).
STARTS_AN_EDIT = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class EditWatch(QObject):
    """Calls ``pause(reason)`` when the user presses, types or scrolls inside a watched widget."""

    def __init__(self, watched: Callable[[], Sequence[tuple[QWidget, str]]], pause: Callable[[str], None]):
        super().__init__()
        self._watched, self._pause = watched, pause
        self._on = False

    def set_on(self, on: bool) -> None:
        app = QApplication.instance()
        if on == self._on or app is None:
            return
        self._on = on
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in STARTS_AN_EDIT and isinstance(watched, QWidget):
            for editor, reason in self._watched():
                if editor is watched or editor.isAncestorOf(watched):
                    self._pause(reason)
                    break
        return False
