"""Board: the caption over the linked panels — what the window shows and what export renders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from explainer.animation import FrameState
from explainer.animation.presenter import layout_at
from explainer.i18n import _
from explainer.model import AttentionModel, Lesson, Trace

from .focus import Focus
from .panels.base import Panel
from .panels.caption import CaptionPanel
from .panels.embeddings import EmbeddingsPanel
from .panels.output import OutputPanel
from .panels.projections import ProjectionsPanel
from .panels.scores import ScoresPanel
from .panels.softmax import SoftmaxPanel
from .panels.weighted_sum import WeightedSumPanel
from .player import Player
from .stage import Stage
from .style import Appearance

PANELS: dict[str, type[Panel]] = {
    "embeddings": EmbeddingsPanel,
    "projections": ProjectionsPanel,
    "scores": ScoresPanel,
    "softmax": SoftmaxPanel,
    "weighted_sum": WeightedSumPanel,
    "output": OutputPanel,
}
ALL_PANELS = tuple(PANELS)
# The full layout: three columns, the pipeline read left to right.
COLUMNS = (
    (("embeddings", 2), ("projections", 5)),
    (("scores", 1), ("softmax", 1)),
    (("weighted_sum", 3), ("output", 2)),
)
COLUMN_STRETCH = (5, 5, 3)
# The presenter view lays the step's panels out large (the export default); the
# overview shows every panel at once.
VIEWS = ("presenter", "overview")


def parse_layout(text: str) -> tuple[str, ...]:
    """'scores+softmax' or 'all' → panel names; ValueError names the known panels."""
    if text in ("", "all"):
        return ALL_PANELS
    names = tuple(part.strip().replace("-", "_") for part in text.replace(",", "+").split("+"))
    unknown = [name for name in names if name not in PANELS]
    if unknown:
        raise ValueError(
            _("unknown panel {panel}; expected 'all' or panels joined by '+' from: {panels}").format(
                panel=repr(unknown[0]), panels=", ".join(PANELS)
            )
        )
    return tuple(dict.fromkeys(names))


def _unknown_view(view: str) -> str:
    return _("unknown view {view}; expected one of: {views}").format(view=repr(view), views=", ".join(VIEWS))


def overview_columns(panels: Mapping[str, Panel], layout: tuple[str, ...]) -> QSplitter:
    """Every panel at once: three columns read left to right, or a chosen subset side by side."""
    columns = QSplitter(Qt.Orientation.Horizontal)
    if layout == ALL_PANELS:
        for column, stretch in zip(COLUMNS, COLUMN_STRETCH, strict=True):
            splitter = QSplitter(Qt.Orientation.Vertical)
            for index, (name, factor) in enumerate(column):
                splitter.addWidget(panels[name])
                splitter.setStretchFactor(index, factor)
            columns.addWidget(splitter)
            columns.setStretchFactor(columns.count() - 1, stretch)
    else:  # a chosen subset, side by side, in pipeline order
        for name in layout:
            columns.addWidget(panels[name])
    return columns


class View(Protocol):
    """What the board redraws: a panel, the caption, the heads overview."""

    def draw(self, trace: Trace, state: FrameState, focus: Focus) -> None: ...

    def restyle(self) -> None: ...


class Board(QWidget):
    """Caption and panels over one model, focus, player and appearance.

    The board is the one subscriber that redraws: a frame, a focus change or a
    new look draws every view once. The focus follows the walkthrough: each new
    step lights its head, query and key, and that focus change is drawn by the
    frame that follows it (the player emits ``step_changed`` just before the
    ``frame_changed`` of the same frame), not by a draw of its own.
    """

    def __init__(
        self,
        model: AttentionModel,
        focus: Focus,
        player: Player,
        appearance: Appearance,
        layout: Sequence[str] = ALL_PANELS,
        view: str = "overview",
    ):
        super().__init__()
        if view not in VIEWS:
            raise ValueError(_unknown_view(view))
        self.model, self.focus, self.player, self.appearance = model, focus, player, appearance
        self.caption = CaptionPanel(player, appearance)
        self.panels = {name: PANELS[name](model, focus, player, appearance) for name in layout}
        self.pinned_head: int | None = None
        self.views: list[View] = [self.caption, *self.panels.values()]
        self._holding = False  # a step is setting its focus: the frame right after draws it
        self._stale = False  # something changed while another page covered the board
        self.view = view
        self._layout = tuple(layout)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.setSpacing(0)
        self._outer.addWidget(self.caption)
        self._container: QWidget = self._arrange()
        self._connect()
        self.show_output(model.trace)
        self._place(player.state)

    def _connect(self) -> None:
        self.player.step_changed.connect(self._on_step_changed)
        self.player.frame_changed.connect(self._on_frame)
        self.focus.changed.connect(self._on_focus)
        self.appearance.changed.connect(self._on_appearance)
        self.appearance.rescaled.connect(self.draw_all)  # an edit's held colour scales let go

    def add_view(self, view: View) -> None:
        """Draw ``view`` with the others (the window's heads overview)."""
        self.views.append(view)
        view.draw(self.model.trace, self.player.state, self.focus)

    def _arrange(self) -> QWidget:
        """The panels in the current view: a presenter stage, or the overview's columns."""
        if self.view == "presenter":
            container: QWidget = Stage(self.panels)
        else:
            container = overview_columns(self.panels, self._layout)
        self._outer.addWidget(container, 1)
        return container

    def set_view(self, view: str) -> None:
        """Switch between the presenter view and the overview (the panels move, nothing is rebuilt)."""
        if view not in VIEWS:
            raise ValueError(_unknown_view(view))
        if view == self.view:
            return
        old = self._container
        if isinstance(old, Stage):
            old.release()
        for panel in self.panels.values():
            panel.camera, panel.presenting = ("all", "all", 1.0), False
            panel.setParent(None)
        self._outer.removeWidget(old)
        old.hide()  # deleted later: until then it must not be painted behind the new one
        old.deleteLater()
        self.view = view
        self._container = self._arrange()
        self.show_output(self.model.trace)
        if view == "overview":
            for panel in self.panels.values():
                panel.setVisible(panel is not self.panels.get("output") or self._output_shown())
        self._place(self.player.state)
        self.draw_all()

    def _output_shown(self) -> bool:
        return self.model.trace.projects_output or len(self.panels) == 1

    def _place(self, state: FrameState) -> None:
        """Presenter view: lay the panels out for this instant of the walkthrough (the camera)."""
        if not isinstance(self._container, Stage):
            return
        names = [name for name in self.panels if name != "output" or self._output_shown()]
        steps = self.player.timeline.steps
        previous = steps[state.index - 1].kind if state.index > 0 else None
        placed = layout_at(
            previous, state.step.kind, state.progress * state.step.duration, state.step.duration, names
        )
        self._container.place(placed)

    def show_output(self, trace: Trace) -> None:
        """The concat / W_O panel shows only when the output differs from the head output."""
        if "output" in self.panels and not isinstance(self._container, Stage):
            self.panels["output"].setVisible(trace.projects_output or len(self.panels) == 1)

    def set_lesson(self, lesson: Lesson | None) -> None:
        """What the preset teaches: its title and description on the first step."""
        self.caption.set_lesson(lesson)
        self.draw_all()

    def draw_all(self) -> None:
        """Draw every view once with the current trace, frame and focus.

        Not the board's own views while another page of the shown window covers it
        (the head view, a scene): an edit there would draw six hidden panels for
        nothing (6 ms of a 23 ms edit at the model's limits); they draw when the
        board shows again. Views outside it (the heads dock) are on screen: drawn.
        """
        covered = not self.isVisible() and self.window().isVisible()
        self._stale = covered
        trace, state = self.model.trace, self.player.state
        for view in self.views:
            if not (covered and isinstance(view, QWidget) and self.isAncestorOf(view)):
                view.draw(trace, state, self.focus)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.draw_all()

    def _on_step_changed(self, index: int) -> None:
        step = self.player.timeline.steps[index]
        head = self.pinned_head if self.pinned_head is not None else step.head
        self._holding = True
        try:
            self.focus.set(
                head=head,
                query=step.query if step.query is not None else self.focus.query,
                key=step.key,
            )
        finally:
            self._holding = False

    def _on_frame(self, state: FrameState) -> None:
        self._place(state)
        self.draw_all()

    def _on_focus(self) -> None:
        if not self._holding:
            self.draw_all()

    def _on_appearance(self) -> None:
        for view in self.views:
            view.restyle()
        self.draw_all()

    def shutdown(self) -> None:
        """Disconnect everything (before the widgets are deleted)."""
        self.player.step_changed.disconnect(self._on_step_changed)
        self.player.frame_changed.disconnect(self._on_frame)
        self.focus.changed.disconnect(self._on_focus)
        self.appearance.changed.disconnect(self._on_appearance)
        self.appearance.rescaled.disconnect(self.draw_all)
        for panel in self.panels.values():
            panel.shutdown()
        self.caption.shutdown()
