"""The main window: composes the panels, the transport bar and the menus, and wires them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from explainer.animation import DEFAULT_DETAIL
from explainer.i18n import _, set_language
from explainer.model import Document, History, ModelState, PretrainedSource, Source, Trace
from explainer.model.presets import DEFAULT_PRESET
from explainer.scenes import Door, door_document, door_title

from . import window_exports
from .application import APP_NAME
from .back_bar import BackBar
from .board import VIEWS, Board
from .clock import Clock
from .drill_down import DrillDown
from .editors import TokenEditor, WeightEditor
from .focus import Focus
from .learning import Learning
from .on_screen import OnScreen
from .panels.base import Panel
from .panels.heads import HeadsPanel
from .player import Player
from .pretrained_panel import PretrainedPanel
from .scene_host import SCENE_TITLES, SceneHost
from .sessions import SessionManager
from .style import Appearance
from .transport import TransportBar
from .view_pages import ViewPages
from .window_docks import Docks, build_docks
from .window_menus import build_menus
from .words import Retranslator, use_qt_translations


class MainWindow(QMainWindow):
    """Linked panels over one document (model and source), one focus, one player and one appearance."""

    default_preset = DEFAULT_PRESET
    # Made by build_docks (window_docks.py): the panels that live in docks.
    heads: HeadsPanel
    pretrained: PretrainedPanel
    learning: Learning
    docks: Docks

    def __init__(
        self,
        document: Document,
        appearance: Appearance | None = None,
        detail: str = DEFAULT_DETAIL,
        autosave_folder: Path | None = None,
    ):
        super().__init__()
        self.force_close = False  # dispose() closes without asking about unsaved changes
        self._door_scene = "architecture"  # the scene the last door was opened from
        self.words = Retranslator()  # the texts written again when View ▸ Language changes
        self.document = document
        self.model = model = document.model
        self.appearance = appearance or Appearance()
        self.focus = Focus()
        lesson = document.lesson
        self.player = Player(model, detail, lesson.worked_query if lesson else None)
        remembered = str(QSettings().value("view", "overview"))
        self.board = board = Board(
            model,
            self.focus,
            self.player,
            self.appearance,
            view=remembered if remembered in VIEWS else "overview",
        )
        # The lambda holds the board, not the window: a window ↔ lambda cycle would leave the
        # window to the cyclic GC, which may free it in the middle of pyqtgraph's C++ calls.
        self.on_screen = OnScreen(self.player, self.focus, self.appearance, lambda: board.view)
        self.board.caption.set_lesson(lesson)
        self.caption = self.board.caption
        panels = self.board.panels
        self.embeddings, self.projections = panels["embeddings"], panels["projections"]
        self.scores, self.softmax = panels["scores"], panels["softmax"]
        self.weighted_sum, self.output = panels["weighted_sum"], panels["output"]
        self.panels: list[Panel] = list(panels.values())
        self.transport = TransportBar(self.player, self.appearance)
        self.history = History(model)
        self.weight_editor = WeightEditor(document, self.history)
        self.token_editor = TokenEditor(document, ask=self._ask)
        self.session = SessionManager(
            self,
            document,
            self.on_screen,
            start_afresh=self.replace_document,
            load_default=lambda: self.load_preset(self.default_preset),
            status=self.statusBar().showMessage,
            autosave_folder=autosave_folder,
        )
        self._layout()
        self._docks()
        self._menus()
        self._connect()
        self._shown_heads = 0
        self._on_model_changed(model.trace)
        self._on_appearance()
        self.board.draw_all()
        self.resize(1280, 800)

    # ------------------------------------------------------------ building
    def _layout(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.back_bar = BackBar(self.back_to_scene)
        self.drill = DrillDown(self)
        self.drill_bar = self.drill.bar
        layout.addWidget(self.back_bar)
        layout.addWidget(self.drill_bar)
        layout.addWidget(self.board, 1)
        layout.addWidget(self.transport)
        self.pages = QStackedWidget()  # the attention walkthrough, then the lecture's scenes
        self.pages.addWidget(body)
        self.setCentralWidget(self.pages)
        self.scenes = SceneHost(self.pages, self.appearance, self.open_door)
        self.views = ViewPages(self)

    def _docks(self) -> None:
        self.docks = build_docks(self)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, APP_NAME, question)
        return answer == QMessageBox.StandardButton.Yes

    def _menus(self) -> None:
        menus = build_menus(self)
        self.recent_menu, self.undo_action, self.redo_action = menus.recent, menus.undo, menus.redo
        self.presenter_action, self.theme_actions = menus.presenter, menus.themes

    def _connect(self) -> None:
        self.model.changed.connect(self._on_model_changed)
        self.transport.head.currentIndexChanged.connect(self._on_head_chosen)
        self.focus.changed.connect(self._on_focus_changed)
        self.appearance.changed.connect(self._on_appearance)
        self.history.changed.connect(self._on_history_changed)
        self.weight_editor.head_changed.connect(self._on_head_chosen)
        self.session.title_changed.connect(self._on_title)
        self.document.source_changed.connect(self._on_source_changed)
        self._on_history_changed()
        self.session.update_title()

    # ------------------------------------------------------------ actions
    def load_preset(self, name: str) -> None:
        try:
            preset = Document.from_preset(name)
        except ValueError as error:
            QMessageBox.warning(
                self, APP_NAME, _("Cannot open the preset {name}:\n{error}").format(name=name, error=error)
            )
            return
        self.replace_document(preset.model.state, preset.source)
        self.player.first()

    def replace_document(self, state: ModelState, source: Source) -> None:
        """Show whole new numbers: a preset, a session or a pretrained layer.

        The numbers go in first (a state the model refuses changes nothing); then
        the undo history, the editors' baseline and the session start afresh.
        """
        self.leave_drill()
        self.document.replace(state, source)
        self.back_bar.hide()  # other numbers: no longer the scene's attention (a door shows it again)
        self.history.clear()
        self.token_editor.mark_clean()
        # The panel's run and layer box belong to the text it ran; a layer it shows
        # itself is set up again right after this (PretrainedPanel._show).
        self.pretrained.forget()
        self.session.started_afresh()

    def show_pretrained(self, state: ModelState, source: PretrainedSource, new_text: bool) -> bool:
        """The pretrained panel's new layer or text; False when the user keeps their edits."""
        if not self.session.confirm_discard():
            return False
        self.replace_document(state, source)
        if new_text:
            self.player.first()
        return True

    def open_pretrained(self) -> None:
        """Show the pretrained-model panel, ready for a text."""
        self.docks.pretrained.show()
        self.docks.pretrained.raise_()
        self.pretrained.text.setFocus()

    # ------------------------------------------------------------ scenes
    def active_clock(self) -> Clock[Any]:
        """The clock the window's keys drive: the scene's on screen, or the walkthrough's."""
        return self.scenes.clock() or self.player

    def show_scene(self, name: str) -> None:
        self.player.pause()
        self.scenes.show(name)
        title = _(SCENE_TITLES[name])
        self.show_status(
            _("{title}: Space plays, → the next step; F8 the attention step by step").format(title=title)
        )

    def show_attention(self) -> None:
        clock = self.scenes.clock()
        if clock is not None:
            clock.pause()
        self.pages.setCurrentIndex(0)

    def open_door(self, door: Door) -> None:
        """Open the attention a scene's block stands for, step by step; Back returns to the scene."""
        if not self.session.confirm_discard():
            return
        document = door_document(door)
        self.replace_document(document.model.state, document.source)
        self.player.first()
        self.show_attention()
        self._door_scene = self.scenes.last or "architecture"  # Back returns here, whatever is shown next
        scene = SCENE_TITLES[self._door_scene]
        self.back_bar.show_door(lambda: door_title(door), scene)

    def back_to_scene(self) -> None:
        self.leave_drill()
        self.back_bar.hide()
        self.show_scene(self._door_scene)

    def go_back(self) -> None:
        """Alt+←: out of a drill-down first, then back to the scene a door was opened from."""
        if self.player.drill is not None:
            self.leave_drill()
        elif self.back_bar.isVisible():
            self.back_to_scene()

    def drill_into(self, head: int, query: int, key: int) -> None:
        """Work out α(query, key) of ``head`` alone, in the presenter view; the bar (Alt+←) goes back.

        Clicked on the head view or the model view, it brings the step-by-step view on screen."""
        self.drill.open(head, query, key)
        if self.player.drill == (head, query, key):
            self.show_attention()

    def leave_drill(self) -> None:
        self.drill.leave()

    def export_animation(self) -> None:
        window_exports.export_animation(self)

    def export_learning_run(self) -> None:
        """Export a learning run toward the Learn dock's target, from the weights on screen."""
        window_exports.export_learning_run(self)

    def export_still(self) -> None:
        window_exports.export_still(self)

    def set_theme(self, name: str) -> None:
        self.appearance.set_theme(name)

    def set_view(self, view: str) -> None:
        """The presenter view or the overview; remembered for the next start."""
        self.board.set_view(view)
        self.presenter_action.setChecked(view == "presenter")
        QSettings().setValue("view", view)
        presenting = view == "presenter"
        self.show_status(
            _("Presenter view: the step's panels large (F5: every panel at once)")
            if presenting
            else _("Overview: every panel at once (F5: the presenter view)")
        )

    def set_language(self, language: str) -> None:
        """Every bound text, and Qt's own dialogs, in ``language`` now; remembered for the next start."""
        set_language(language)
        use_qt_translations()
        QSettings().setValue("language", language)
        self.board.draw_all()  # the panels' titles, written on every draw

    def zoom_text(self, factor: float) -> None:
        self.appearance.set_font_scale(self.appearance.font_scale * factor)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            self.menuBar().show()
        else:
            self.menuBar().hide()
            self.showFullScreen()

    # ------------------------------------------------------------ handlers
    def _on_model_changed(self, trace: Trace) -> None:
        n_heads, n_q, n_k = trace.scores.shape
        self.focus.clamp(n_heads, n_q, n_k)
        self.transport.set_heads(n_heads, self.focus.head)
        self.board.show_output(trace)
        if n_heads >= 4 and n_heads != self._shown_heads:
            self.docks.heads.show()  # many heads (a real model): the overview to pick one from
            self.resizeDocks([self.docks.heads], [300], Qt.Orientation.Horizontal)
        self._shown_heads = n_heads
        # No redraw here: the player already sent every panel the new frame.

    def _on_head_chosen(self, index: int) -> None:
        if index >= 0:
            self.focus.set(head=index)

    def _on_focus_changed(self) -> None:
        if self.transport.head.currentIndex() != self.focus.head:
            self.transport.set_heads(self.model.n_heads, self.focus.head)
        self.weight_editor.set_head(self.focus.head)

    def _on_source_changed(self, _source: Source) -> None:
        lesson = self.document.lesson
        self.player.set_worked_query(lesson.worked_query if lesson else None)
        self.board.set_lesson(lesson)

    def _on_title(self, title: str, modified: bool) -> None:
        self.setWindowTitle(title)
        self.setWindowModified(modified)

    def show_status(self, text: str, milliseconds: int = 8000) -> None:
        self.statusBar().showMessage(text, milliseconds)

    def _on_history_changed(self) -> None:
        self.undo_action.setEnabled(self.history.can_undo)
        self.redo_action.setEnabled(self.history.can_redo)

    def _on_appearance(self) -> None:
        theme = self.appearance.theme
        self.setStyleSheet(
            f"QMainWindow, QSplitter {{ background: {theme.background}; }}"
            f"QMenuBar, QMenuBar::item {{ background: {theme.panel}; color: {theme.text}; }}"
        )
        self.transport.setStyleSheet(f"background: {theme.panel}; color: {theme.text};")
        self.scenes.restyle(theme.panel, theme.text)

    # ------------------------------------------------------------ lifetime
    def shutdown(self) -> None:
        """Stop the clock and disconnect every panel (pyqtgraph must not outlive Qt)."""
        self.player.stop()
        self.drill.shutdown()
        self.words.shutdown()
        self.scenes.shutdown()
        self.views.shutdown()
        self.session.shutdown()
        self.board.shutdown()
        self.heads.shutdown()
        self.pretrained.shutdown()
        self.learning.shutdown()
        self.transport.shutdown()
        self.weight_editor.shutdown()
        self.token_editor.shutdown()
        self.history.changed.disconnect(self._on_history_changed)
        self.session.title_changed.disconnect(self._on_title)
        self.document.source_changed.disconnect(self._on_source_changed)
        self.history.close()
        self.model.changed.disconnect(self._on_model_changed)
        self.focus.changed.disconnect(self._on_focus_changed)
        self.appearance.changed.disconnect(self._on_appearance)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.force_close and not self.session.confirm_discard():
            event.ignore()  # the user chose Cancel, or the save failed: keep the work
            return
        if not getattr(self, "_shut", False):
            self._shut = True
            self.shutdown()
        super().closeEvent(event)
