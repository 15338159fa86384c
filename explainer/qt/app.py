"""The application: start, Ctrl+C, clean exit, and offscreen screenshots."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from ..atomic import shown
from ..export import atomic_target
from ..i18n import _
from ..model import AttentionModel, Document
from ..model.presets import DEFAULT_PRESET
from ..session import ViewSettings
from .application import application, dispose, settle_memory
from .main_window import MainWindow
from .style import THEME_STYLES, Appearance
from .words import choose_language

__all__ = ["build_window", "dispose", "run_app", "save_screenshot"]


def build_window(shown: Document | AttentionModel, theme: str = "light") -> MainWindow:
    """The main window on a document (a bare model: one with no source, "untitled")."""
    document = shown if isinstance(shown, Document) else Document(shown)
    return MainWindow(document, Appearance(theme=THEME_STYLES[theme]))


def save_screenshot(
    out: Path,
    preset: str = DEFAULT_PRESET,
    step: int | None = None,
    size: tuple[int, int] = (1280, 800),
    theme: str = "light",
    force: bool = False,
    view: str = "overview",
    scene: str | None = None,
) -> int:
    """Render the window offscreen at ``step`` (1-based; default: the last) into a PNG.

    ``scene``: the window on that scene's page instead of the attention walkthrough.

    Written as exports are: to a temporary beside ``out``, renamed onto it when
    complete; an existing ``out`` is replaced only with ``force`` and only if it
    is a PNG file (a symlink to one is replaced, not followed). ValueError otherwise.
    """
    app = application()
    window = build_window(Document.from_preset(preset), theme)
    try:
        window.board.set_view(view)
        window.resize(*size)
        window.show()
        if scene is not None:
            window.show_scene(scene)
            window.scenes.wait_for_timings(scene)  # the RNN scene's chart: measured, not empty
        clock = window.active_clock()
        steps = len(clock.timeline.steps)
        if step is not None and not 1 <= step <= steps:
            raise IndexError(
                _("--step must be 1 to {steps} for {name}, got {step}").format(
                    steps=steps, name=scene or preset, step=step
                )
            )
        clock.go_to_step((step if step is not None else steps) - 1)
        app.processEvents()
        with atomic_target(Path(out), force, kind="png") as temporary:
            if not window.grab().save(str(temporary), "PNG"):
                raise OSError(_("cannot write {path}").format(path=shown(out)))
        return steps
    finally:
        dispose(window)


def run_app(
    argv: Sequence[str],
    preset: str = DEFAULT_PRESET,
    session: Path | None = None,
    pretrained: tuple[str | None, str | None, int] | None = None,
    loaded: tuple[Document, ViewSettings] | None = None,
    scene: str | None = None,
    lang: str | None = None,
) -> int:
    """Open the window on ``preset`` (or a session file) and run until it is closed.

    ``lang``: "en" or "ko" (None: the language chosen last time, else the system's).

    ``scene``: open on that scene's page (the walkthrough is one key away: F8).

    Once it shows what was asked for, every autosave left by a window that
    crashed is offered back (never a running window's).
    """
    app = application(argv)
    choose_language(lang)
    window = build_window(Document.from_preset(preset))
    window.show()
    if session is not None:
        window.session.open(session, loaded)
    elif pretrained is not None:  # (folder, text, 0-based layer), already checked by the command line
        window.open_pretrained()
        window.pretrained.open(*pretrained)
    if scene is not None:
        window.show_scene(scene)
    # Whatever was asked for is shown first; then the work of any window that crashed is offered.
    QTimer.singleShot(0, window.session.offer_recovery)
    # Start-up's objects out of later collections; again once a new preset or session is built.
    QTimer.singleShot(0, settle_memory)
    window.document.source_changed.connect(lambda _source: QTimer.singleShot(0, settle_memory))
    # Qt's event loop never hands control back to Python, so Ctrl+C in the
    # terminal would be ignored; a periodic no-op lets the handler run.
    previous = signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    try:
        code = app.exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        # quit() closes the window, and closing the last window posts one more Quit;
        # left queued, it would end the next event loop of this process at once.
        QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)
        dispose(window)
    return code
