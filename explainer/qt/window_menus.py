"""The window's menu bar: every menu, its actions and their shortcuts (they also work in full screen)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from explainer.model import AttentionModel

from .scene_host import SCENE_TITLES
from .sessions import SessionManager

if TYPE_CHECKING:
    from .main_window import MainWindow


@dataclass(frozen=True)
class Menus:
    """The menu parts the window updates later."""

    recent: QMenu
    undo: QAction
    redo: QAction
    presenter: QAction
    themes: QActionGroup


def add_action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    shortcuts: str | list[str],
    slot: Callable[[], object],
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    keys = [QKeySequence(s) for s in ([shortcuts] if isinstance(shortcuts, str) else shortcuts)]
    action.setShortcuts(keys)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(tip or text)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)  # shortcuts work in full screen, with the menu bar hidden
    return action


def build_menus(window: MainWindow) -> Menus:
    """Fill the window's menu bar: File, Edit, Model, Learn, Presets, Scenes, Play and View."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    recent = _file_menu(window, file_menu)
    edit = bar.addMenu("&Edit")
    undo = add_action(window, edit, "&Undo", ["Ctrl+Z"], window.history.undo)
    redo = add_action(window, edit, "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], window.history.redo)
    edit.addSeparator()
    for dock, key in zip(window.docks.all(), ("Ctrl+T", "Ctrl+E", "Ctrl+H", "Ctrl+M", "Ctrl+L"), strict=True):
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence(key))
        toggle.setToolTip(f"Show or hide “{dock.windowTitle()}” ({key})")
        edit.addAction(toggle)
        window.addAction(toggle)
    model_menu = bar.addMenu("&Model")
    add_action(
        window,
        model_menu,
        "Open &pretrained…",
        "Ctrl+Shift+P",
        window.open_pretrained,
        "A real BERT layer (all-MiniLM-L6-v2, in NumPy): its real heads on your text",
    )
    _learn_menu(window, bar.addMenu("&Learn"))
    presets = bar.addMenu("&Presets")
    for name in AttentionModel.preset_names():
        add_action(window, presets, name, [], _preset_opener(window, name))
    _scenes_menu(window, bar.addMenu("&Scenes"))
    play = bar.addMenu("&Play")  # the keys drive the page on screen: the walkthrough or a scene
    add_action(window, play, "Play / pause", "Space", lambda: window.active_clock().toggle())
    add_action(window, play, "Next step", ["Right", "PgDown"], lambda: window.active_clock().next_step())
    add_action(window, play, "Previous step", ["Left", "PgUp"], lambda: window.active_clock().previous_step())
    add_action(window, play, "First step", "Home", lambda: window.active_clock().first())
    add_action(window, play, "Last step", "End", lambda: window.active_clock().last())
    presenter, themes = _view_menu(window, bar.addMenu("&View"))
    return Menus(recent, undo, redo, presenter, themes)


def _file_menu(window: MainWindow, file_menu: QMenu) -> QMenu:
    session = window.session
    add_action(window, file_menu, "&New", "Ctrl+N", session.new, "Start again from the default preset")
    add_action(window, file_menu, "&Open…", "Ctrl+O", lambda: session.open(), "Open a saved session")
    recent = file_menu.addMenu("Open &recent")
    recent.aboutToShow.connect(lambda: _fill_recent(recent, session))
    add_action(window, file_menu, "&Save", "Ctrl+S", session.save, "Save the session")
    add_action(
        window, file_menu, "Save &as…", "Ctrl+Shift+S", lambda: session.save_as(), "Save under a new name"
    )
    file_menu.addSeparator()
    add_action(
        window,
        file_menu,
        "&Export animation…",
        "Ctrl+Shift+E",
        window.export_animation,
        "Export the walkthrough as MP4, GIF or PNG frames for slides",
    )
    add_action(
        window,
        file_menu,
        "Export &still…",
        "Ctrl+Alt+E",
        window.export_still,
        "Export the current step as a PNG or a vector SVG",
    )
    file_menu.addSeparator()
    add_action(window, file_menu, "&Quit", "Ctrl+Q", window.close)
    return recent


def _learn_menu(window: MainWindow, learn_menu: QMenu) -> None:
    for learn_action in window.learning.actions:
        if learn_action is None:
            learn_menu.addSeparator()
        else:
            learn_menu.addAction(learn_action)
            window.addAction(learn_action)  # its key works in full screen, with the menu bar hidden
    learn_menu.addSeparator()
    add_action(
        window,
        learn_menu,
        "&Export learning run…",
        [],
        window.export_learning_run,
        "A video of gradient descent toward the target from the current weights, one frame "
        "per iteration, in the presenter view (as `export --learn`)",
    )


def _scenes_menu(window: MainWindow, scenes: QMenu) -> None:
    add_action(
        window,
        scenes,
        "&Attention step by step",
        "F8",
        window.show_attention,
        "The walkthrough of one attention block, every number (F8)",
    )
    for name, key, tip in (
        ("architecture", "F6", "RNN with attention, encoder–decoder, decoder-only: which attention is where"),
        ("rnn-vs-attention", "F7", "An RNN waits for every previous step; attention is one matrix product"),
    ):
        add_action(window, scenes, SCENE_TITLES[name], key, _scene_opener(window, name), f"{tip} ({key})")
    scenes.addSeparator()
    add_action(
        window,
        scenes,
        "&Back",
        "Alt+Left",
        window.go_back,
        "Out of a drill-down into the whole walkthrough; after a scene's door, back to the scene (Alt+←)",
    )


def _scene_opener(window: MainWindow, name: str) -> Callable[[], None]:
    def open_scene() -> None:
        window.show_scene(name)

    return open_scene


def _view_menu(window: MainWindow, view: QMenu) -> tuple[QAction, QActionGroup]:
    add_action(window, view, "Full screen", "F11", window.toggle_full_screen)
    add_action(
        window,
        view,
        "&Head view",
        "F9",
        window.views.show_head,
        "Where each word looks: a line per pair, as opaque as α, one colour per head (F9)",
    )
    add_action(
        window,
        view,
        "&Model view",
        "Shift+F9",
        window.views.show_model,
        "Every layer × head of the real checkpoint as a small α map; click one to open it (Shift+F9)",
    )
    presenter = add_action(
        window,
        view,
        "&Presenter view",
        "F5",
        lambda: window.set_view("overview" if window.board.view == "presenter" else "presenter"),
        "The step's panels large, for a hall (F5); again for every panel at once",
    )
    presenter.setCheckable(True)
    presenter.setChecked(window.board.view == "presenter")
    add_action(window, view, "Larger text", ["Ctrl+=", "Ctrl++"], lambda: window.zoom_text(1.15))
    add_action(window, view, "Smaller text", "Ctrl+-", lambda: window.zoom_text(1 / 1.15))
    add_action(window, view, "Reset text size", "Ctrl+0", lambda: window.appearance.set_font_scale(1.0))
    themes = QActionGroup(window)
    for name in ("light", "dark"):
        action = add_action(window, view, f"{name.title()} theme", [], _theme_setter(window, name))
        action.setCheckable(True)
        action.setChecked(window.appearance.theme.name == name)
        themes.addAction(action)
    return presenter, themes


def _preset_opener(window: MainWindow, name: str) -> Callable[[], None]:
    def open_preset() -> None:
        if window.session.confirm_discard():
            window.load_preset(name)

    return open_preset


def _theme_setter(window: MainWindow, name: str) -> Callable[[], None]:
    def set_theme() -> None:
        window.set_theme(name)

    return set_theme


def _fill_recent(menu: QMenu, session: SessionManager) -> None:
    menu.clear()
    for path in session.recent():
        action = menu.addAction(str(path))
        action.triggered.connect(lambda _=False, p=path: session.open(p))
    menu.setEnabled(bool(session.recent()))
