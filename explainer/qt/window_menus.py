"""The window's menu bar: every menu, its actions and their shortcuts (they also work in full screen)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar

from explainer.i18n import LANGUAGE_NAMES, N_, _, language
from explainer.model import AttentionModel

from .scene_host import SCENE_TITLES
from .sessions import SessionManager
from .words import Text

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
    text: Text,
    shortcuts: str | list[str],
    slot: Callable[[], object],
    tip: Text = "",
) -> QAction:
    action = QAction(window)
    window.words.bind(action.setText, text)  # written again in each language chosen
    keys = [QKeySequence(s) for s in ([shortcuts] if isinstance(shortcuts, str) else shortcuts)]
    action.setShortcuts(keys)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    window.words.bind(action.setToolTip, tip or text)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)  # shortcuts work in full screen, with the menu bar hidden
    return action


def _menu(window: MainWindow, parent: QMenuBar | QMenu, title: str) -> QMenu:
    """A menu under ``parent`` whose title (marked with N_) follows the language."""
    menu = QMenu(parent)  # owned by its parent, made here: addMenu("…") gives a menu Python may free
    parent.addMenu(menu)
    window.words.bind(menu.setTitle, title)
    return menu


def _dock_tip(dock: QDockWidget, key: str) -> str:
    return _("Show or hide “{title}” ({key})").format(title=dock.windowTitle(), key=key)


def _keyed(tip: str, key: str) -> str:
    return f"{_(tip)} ({key})"


def _drive(window: MainWindow, move: str) -> None:
    """A Play key: the walkthrough's or the scene's clock; on the head or model view, nothing
    (the walkthrough behind it must not play unseen)."""
    if window.views.current is None:
        getattr(window.active_clock(), move)()


def build_menus(window: MainWindow) -> Menus:
    """Fill the window's menu bar: File, Edit, Model, Learn, Presets, Scenes, Play and View."""
    bar = window.menuBar()
    file_menu = _menu(window, bar, N_("&File"))
    recent = _file_menu(window, file_menu)
    edit = _menu(window, bar, N_("&Edit"))
    undo = add_action(window, edit, N_("&Undo"), ["Ctrl+Z"], window.history.undo)
    redo = add_action(window, edit, N_("&Redo"), ["Ctrl+Shift+Z", "Ctrl+Y"], window.history.redo)
    edit.addSeparator()
    for dock, key in zip(window.docks.all(), ("Ctrl+T", "Ctrl+E", "Ctrl+H", "Ctrl+M", "Ctrl+L"), strict=True):
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence(key))
        window.words.bind(toggle.setToolTip, partial(_dock_tip, dock, key))
        edit.addAction(toggle)
        window.addAction(toggle)
    model_menu = _menu(window, bar, N_("&Model"))
    add_action(
        window,
        model_menu,
        N_("Open &pretrained…"),
        "Ctrl+Shift+P",
        window.open_pretrained,
        N_("A real BERT layer (all-MiniLM-L6-v2, in NumPy): its real heads on your text"),
    )
    _learn_menu(window, _menu(window, bar, N_("&Learn")))
    presets = _menu(window, bar, N_("&Presets"))
    for name in AttentionModel.preset_names():
        add_action(window, presets, name, [], _preset_opener(window, name))
    _scenes_menu(window, _menu(window, bar, N_("&Scenes")))
    play = _menu(window, bar, N_("&Play"))  # the keys drive the page on screen: the walkthrough or a scene
    add_action(window, play, N_("Play / pause"), "Space", partial(_drive, window, "toggle"))
    add_action(window, play, N_("Next step"), ["Right", "PgDown"], partial(_drive, window, "next_step"))
    add_action(window, play, N_("Previous step"), ["Left", "PgUp"], partial(_drive, window, "previous_step"))
    add_action(window, play, N_("First step"), "Home", partial(_drive, window, "first"))
    add_action(window, play, N_("Last step"), "End", partial(_drive, window, "last"))
    presenter, themes = _view_menu(window, _menu(window, bar, N_("&View")))
    return Menus(recent, undo, redo, presenter, themes)


def _file_menu(window: MainWindow, file_menu: QMenu) -> QMenu:
    session = window.session
    add_action(
        window, file_menu, N_("&New"), "Ctrl+N", session.new, N_("Start again from the default preset")
    )
    add_action(window, file_menu, N_("&Open…"), "Ctrl+O", lambda: session.open(), N_("Open a saved session"))
    recent = _menu(window, file_menu, N_("Open &recent"))
    recent.aboutToShow.connect(lambda: _fill_recent(recent, session))
    add_action(window, file_menu, N_("&Save"), "Ctrl+S", session.save, N_("Save the session"))
    add_action(
        window,
        file_menu,
        N_("Save &as…"),
        "Ctrl+Shift+S",
        lambda: session.save_as(),
        N_("Save under a new name"),
    )
    file_menu.addSeparator()
    add_action(
        window,
        file_menu,
        N_("&Export animation…"),
        "Ctrl+Shift+E",
        window.export_animation,
        N_("Export the walkthrough as MP4, GIF or PNG frames for slides"),
    )
    add_action(
        window,
        file_menu,
        N_("Export &still…"),
        "Ctrl+Alt+E",
        window.export_still,
        N_("Export the current step as a PNG or a vector SVG"),
    )
    file_menu.addSeparator()
    add_action(window, file_menu, N_("&Quit"), "Ctrl+Q", window.close)
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
        N_("&Export learning run…"),
        [],
        window.export_learning_run,
        N_(
            "A video of gradient descent toward the target from the current weights, one frame "
            "per iteration, in the presenter view (as `export --learn`)"
        ),
    )


def _scenes_menu(window: MainWindow, scenes: QMenu) -> None:
    add_action(
        window,
        scenes,
        N_("&Attention step by step"),
        "F8",
        window.show_attention,
        N_("The walkthrough of one attention block, every number (F8)"),
    )
    for name, key, tip in (
        (
            "architecture",
            "F6",
            N_("RNN with attention, encoder–decoder, decoder-only: which attention is where"),
        ),
        (
            "rnn-vs-attention",
            "F7",
            N_("An RNN waits for every previous step; attention is one matrix product"),
        ),
    ):
        add_action(
            window, scenes, SCENE_TITLES[name], key, _scene_opener(window, name), partial(_keyed, tip, key)
        )
    scenes.addSeparator()
    add_action(
        window,
        scenes,
        N_("&Back"),
        "Alt+Left",
        window.go_back,
        N_("Out of a drill-down into the whole walkthrough; after a scene's door, back to the scene (Alt+←)"),
    )


def _scene_opener(window: MainWindow, name: str) -> Callable[[], None]:
    def open_scene() -> None:
        window.show_scene(name)

    return open_scene


def _view_menu(window: MainWindow, view: QMenu) -> tuple[QAction, QActionGroup]:
    add_action(window, view, N_("Full screen"), "F11", window.toggle_full_screen)
    add_action(
        window,
        view,
        N_("&Head view"),
        "F9",
        window.views.show_head,
        N_("Where each word looks: a line per pair, as opaque as α, one colour per head (F9)"),
    )
    add_action(
        window,
        view,
        N_("&Model view"),
        "Shift+F9",
        window.views.show_model,
        N_("Every layer × head of the real checkpoint as a small α map; click one to open it (Shift+F9)"),
    )
    presenter = add_action(
        window,
        view,
        N_("&Presenter view"),
        "F5",
        lambda: window.set_view("overview" if window.board.view == "presenter" else "presenter"),
        N_("The step's panels large, for a hall (F5); again for every panel at once"),
    )
    presenter.setCheckable(True)
    presenter.setChecked(window.board.view == "presenter")
    add_action(window, view, N_("Larger text"), ["Ctrl+=", "Ctrl++"], lambda: window.zoom_text(1.15))
    add_action(window, view, N_("Smaller text"), "Ctrl+-", lambda: window.zoom_text(1 / 1.15))
    add_action(window, view, N_("Reset text size"), "Ctrl+0", lambda: window.appearance.set_font_scale(1.0))
    languages = _menu(window, view, N_("&Language"))
    chosen = QActionGroup(window)
    for code, name in LANGUAGE_NAMES.items():  # each language named in itself: never translated
        action = languages.addAction(name)
        action.setCheckable(True)
        action.setChecked(language() == code)
        action.triggered.connect(partial(window.set_language, code))
        chosen.addAction(action)
    themes = QActionGroup(window)
    for name, text in (("light", N_("Light theme")), ("dark", N_("Dark theme"))):
        action = add_action(window, view, text, [], _theme_setter(window, name))
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
