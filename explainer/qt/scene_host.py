"""The lecture's scenes as pages of the window: each with its own clock, transport and caption.

The window's central widget is a stack: the attention walkthrough, then a page per
scene, made when first shown. The window's keys (Space, arrows, PageUp/PageDown,
Home, End) drive the clock of the page on screen (:meth:`SceneHost.clock`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from explainer.i18n import N_, _, words
from explainer.scenes import SCENE_NAMES, Door, SceneFrame, TimingPoint, scene_timeline

from .clock import Clock
from .scenes import ScenePage
from .style import Appearance
from .transport import TransportBar

SCENE_TITLES = {  # marked for the catalogues; looked up where shown
    "architecture": N_("Where attention lives"),
    "rnn-vs-attention": N_("RNN vs attention: why transformers are fast"),
}


@dataclass
class _Scene:
    page: ScenePage
    clock: Clock[SceneFrame]
    transport: TransportBar
    container: QWidget


class SceneHost:
    """Makes, shows and closes the scene pages in ``stack`` (page 0 is the attention walkthrough)."""

    def __init__(
        self, stack: QStackedWidget, appearance: Appearance, open_door: Callable[[Door], None]
    ) -> None:
        self.stack, self.appearance, self.open_door = stack, appearance, open_door
        self.scenes: dict[str, _Scene] = {}
        self.timings: dict[str, Sequence[TimingPoint]] = {}
        self.last: str | None = None  # the scene a door was opened from (Back goes there)
        words.changed.connect(self._on_language)

    @property
    def current(self) -> str | None:
        """The scene on screen, or None for the attention walkthrough."""
        for name, scene in self.scenes.items():
            if self.stack.currentWidget() is scene.container:
                return name
        return None

    def clock(self) -> Clock[SceneFrame] | None:
        name = self.current
        return None if name is None else self.scenes[name].clock

    def page(self, name: str) -> ScenePage:
        return self._scene(name).page

    def show(self, name: str) -> None:
        """Put scene ``name`` on screen (made on first use; the RNN scene starts measuring)."""
        if name not in SCENE_NAMES:
            raise ValueError(
                _("scene: expected one of {names}, got {name}").format(
                    names=", ".join(SCENE_NAMES), name=repr(name)
                )
            )
        scene = self._scene(name)
        self.stack.setCurrentWidget(scene.container)
        self.last = name
        scene.page.setFocus()
        if name not in self.timings:
            scene.page.start_measuring()

    def _scene(self, name: str) -> _Scene:
        if name not in self.scenes:
            clock: Clock[SceneFrame] = Clock(scene_timeline(name))
            page = ScenePage(name, self.appearance)
            transport = TransportBar(clock, self.appearance)
            container = QWidget()
            layout = QVBoxLayout(container)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(0)
            layout.addWidget(page, 1)
            layout.addWidget(transport)
            self.stack.addWidget(container)
            clock.frame_changed.connect(page.set_frame)
            page.door_requested.connect(self.open_door)
            page.timings_ready.connect(lambda points, name=name: self._on_timings(name, points))
            self.scenes[name] = _Scene(page, clock, transport, container)
            theme = self.appearance.theme
            self.restyle(theme.panel, theme.text)  # as the walkthrough's bar, from the first frame
            page.set_frame(clock.state)
        return self.scenes[name]

    def wait_for_timings(self, name: str, seconds: float = 60.0) -> None:
        """Process events until scene ``name`` has its timings (a screenshot waits; the window never does)."""
        page = self._scene(name).page
        if page.worker is None:
            return
        deadline = time.monotonic() + seconds
        while name not in self.timings and page.worker.is_running() and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def _on_language(self, _language: str) -> None:
        """A scene's captions and labels are written when its timeline is built: build them again."""
        for name, scene in self.scenes.items():
            scene.clock.set_timeline(scene_timeline(name, self.timings.get(name)))
            scene.page.update()

    def _on_timings(self, name: str, points: Sequence[TimingPoint]) -> None:
        """Measured on this machine: the chart's caption now reads the figures."""
        self.timings[name] = points
        self.scenes[name].clock.set_timeline(scene_timeline(name, points))

    def restyle(self, panel: str, text: str) -> None:
        for scene in self.scenes.values():
            scene.transport.setStyleSheet(f"background: {panel}; color: {text};")

    def shutdown(self) -> None:
        words.changed.disconnect(self._on_language)
        for scene in self.scenes.values():
            scene.clock.stop()
            scene.transport.shutdown()
            scene.page.shutdown()
