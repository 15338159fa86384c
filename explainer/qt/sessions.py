"""Sessions in the window: New, Open, Save, Save As, recent files, unsaved marks, autosave."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

from psygnal import Signal
from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from explainer.i18n import N_, _
from explainer.model import Document, ModelState, Source
from explainer.session import (
    SESSION_SUFFIX,
    Autosave,
    CrashedAutosave,
    SessionError,
    ViewSettings,
    crashed_autosaves,
    load_session,
    save_session,
)

from .application import APP_NAME
from .on_screen import OnScreen

FILTER = N_("Attention sessions (*{suffix});;All files (*)")
AUTOSAVE_MS = 30_000
MAX_RECENT = 8

Answer = QMessageBox.StandardButton


def default_autosave_folder() -> Path:
    """The platform's application data folder (QStandardPaths' AppDataLocation)."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


class SessionManager:
    """Which file the window holds, whether it has unsaved changes, and the autosave.

    Parameters
    ----------
    parent : QWidget
        Owns the dialogs.
    document : Document
        The model and its source, saved and replaced as one.
    screen : OnScreen
        The view a session saves and restores.
    start_afresh : callable(state, source)
        Shows whole new numbers (the window clears its undo history and editors,
        then calls :meth:`started_afresh`).
    load_default : callable()
        File ▸ New: the default preset.
    status : callable(text, milliseconds)
        A transient message in the status bar.
    autosave_folder : Path, optional
        Where unsaved work is kept for crash recovery (default: the platform's).

    ``title_changed(title, modified)`` emits the window title and the unsaved
    mark. ``ask(question) -> Answer`` (Save / Discard / Cancel), ``ask_restore``
    and ``warn(message)`` are replaceable so tests can answer without a modal dialog.
    """

    title_changed = Signal(str, bool)

    def __init__(
        self,
        parent: QWidget,
        document: Document,
        screen: OnScreen,
        start_afresh: Callable[[ModelState, Source], None],
        load_default: Callable[[], None],
        status: Callable[[str, int], None],
        autosave_folder: Path | None = None,
        interval_ms: int = AUTOSAVE_MS,
    ):
        self.parent, self.document, self.screen = parent, document, screen
        self._start_afresh, self._load_default, self._status = start_afresh, load_default, status
        self.path: Path | None = None
        self.autosave_folder = autosave_folder or default_autosave_folder()
        self.autosave_file = Autosave(self.autosave_folder)  # this window's own
        self._clean: ModelState | None = document.model.state  # None: unsaved whatever it holds
        self.ask: Callable[[str], Answer] = self._ask_with_dialog
        self.ask_restore: Callable[[str], bool] = self._ask_yes_no
        self.warn: Callable[[str], object] = lambda text: QMessageBox.warning(parent, APP_NAME, text)
        document.model.changed.connect(self._on_model_changed)
        document.source_changed.connect(self._on_source_changed)
        self._worker: threading.Thread | None = None
        self._autosave_error = ""
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    # ------------------------------------------------------------ state
    @property
    def dirty(self) -> bool:
        return self._clean is None or not self.document.model.state.same_as(self._clean)

    def mark_clean(self) -> None:
        self._clean = self.document.model.state
        self.update_title()

    def update_title(self) -> None:
        name = self.path.name if self.path else self.document.label
        self.title_changed.emit(f"{APP_NAME} — {name}[*]", self.dirty)

    def started_afresh(self) -> None:
        """New numbers from a preset, a session or a pretrained layer: no file, nothing unsaved."""
        self.path = None
        self.discard_autosave()
        self.mark_clean()

    # ------------------------------------------------------------ actions
    def confirm_discard(self) -> bool:
        """True when there is nothing unsaved, or the user saved or chose to discard it."""
        if not self.dirty:
            return True
        answer = self.ask(_("The session has unsaved changes. Save them first?"))
        if answer == Answer.Save:
            return self.save()
        return answer == Answer.Discard

    def new(self) -> None:
        if self.confirm_discard():
            self._load_default()

    def open(self, path: Path | None = None, loaded: tuple[Document, ViewSettings] | None = None) -> bool:
        """Open ``path`` (or ask for one); a file that cannot be used changes nothing.

        ``loaded``: what ``load_session(path)`` already returned (the command line
        checked the file before opening the window), so it is not read twice.
        """
        if not self.confirm_discard():
            return False
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self.parent, _("Open session"), str(self._folder()), _filter_text()
            )
            if not name:
                return False
            path = Path(name)
        try:
            document, view = loaded or load_session(path)
        except SessionError as error:
            self.warn(
                _("Cannot open {path}:\n{error}\n\nThe window keeps what it had.").format(
                    path=path, error=error
                )
            )
            return False
        self.apply(document, view)
        self.path = path
        self._remember(path)
        self.mark_clean()
        return True

    def apply(self, document: Document, view: ViewSettings) -> None:
        """Show a loaded document and its view settings in this window."""
        self._start_afresh(document.model.state, document.source)
        self.screen.apply(view)

    def save(self) -> bool:
        return self.save_as(self.path) if self.path else self.save_as()

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            suggested = self._folder() / f"{self.document.preset_name or 'session'}{SESSION_SUFFIX}"
            name, _filter = QFileDialog.getSaveFileName(
                self.parent, _("Save session"), str(suggested), _filter_text()
            )
            if not name:
                return False
            path = Path(name)
            if not path.name.endswith(SESSION_SUFFIX) and not path.suffix:
                path = path.with_name(path.name + SESSION_SUFFIX)
        try:
            save_session(path, self.document, self.screen.settings())
        except SessionError as error:
            self.warn(_("The session was not saved:\n{error}").format(error=error))
            return False
        self.path = path
        self._remember(path)
        self.mark_clean()
        self.discard_autosave()  # the file holds the work now; an older autosave must not come back
        self._status(_("Saved {path}").format(path=path), 5000)
        return True

    # ------------------------------------------------------------ autosave
    def autosave(self, wait: bool = False) -> None:
        """Every 30 s: keep unsaved work where the next start can offer it back.

        The file is written in a worker thread (a real model's session takes a
        second or more to write); ``wait=True`` finishes it before returning.
        """
        if self._autosave_error:
            self._status(_("Autosave failed: {error}").format(error=self._autosave_error), 8000)
            self._autosave_error = ""
        if self._worker is not None and self._worker.is_alive():
            if not wait:
                return  # the previous write is still going: next tick
            self._worker.join()
        if not self.dirty:
            return
        snapshot = self.document.snapshot()  # edits go on meanwhile
        view = self.screen.settings()
        self._worker = threading.Thread(target=self._write_autosave, args=(snapshot, view), daemon=True)
        self._worker.start()
        if wait:
            self._worker.join()

    def _write_autosave(self, document: Document, view: ViewSettings) -> None:
        try:
            self.autosave_file.write(document, view)
        except Exception as error:  # a worker thread: whatever failed, tell the user, don't die silently
            self._autosave_error = str(error)

    def discard_autosave(self) -> None:
        """Remove this window's autosave (after a save, a fresh start or a normal exit).

        Other windows' autosaves, running or crashed, are never touched here.
        """
        if self._worker is not None:
            self._worker.join()  # a write under way must not land after the removal
        with contextlib.suppress(SessionError, OSError):
            self.autosave_file.clear()

    def offer_recovery(self) -> bool:
        """Offer back, one by one, the autosaves of windows that did not close normally.

        Only autosaves whose process is gone are offered (a running window's is
        never touched); declining one removes it, as the question says. Once one
        is restored, the rest stay on disk for the next start. True when one was restored.
        """
        crashed = crashed_autosaves(self.autosave_folder)
        try:
            while crashed:
                if self._offer(crashed.pop(0)):
                    if crashed:
                        more = _("{n} more autosaved session(s) will be offered at the next start").format(
                            n=len(crashed)
                        )
                        self._status(more, 10000)
                    return True
            return False
        finally:
            for left in crashed:
                left.release()

    def _offer(self, crashed: CrashedAutosave) -> bool:
        """Ask about one crashed autosave; it is always released or removed on return."""
        try:
            try:
                found = crashed.read()
            except SessionError as error:
                self._discard(crashed)
                self.warn(
                    _("An autosaved session cannot be used and was discarded:\n{error}").format(error=error)
                )
                return False
            question = _(
                "The app did not close normally last time. Restore the unsaved session?\n\n"
                "If you answer No, that unsaved work is discarded."
            )
            if not self.ask_restore(question):
                self._discard(crashed)
                return False
            self.apply(*found)
            self.path = None
            self._clean = None  # recovered work is unsaved until saved, even if it equals a preset
            self.update_title()
            self.autosave(wait=True)  # the work is this window's now, in its own autosave
            if not self._autosave_error and self.autosave_file.exists:
                self._discard(crashed)  # else kept: offered again next time
            return True
        finally:
            crashed.release()

    def _discard(self, crashed: CrashedAutosave) -> None:
        try:
            crashed.discard()
        except SessionError as error:
            self.warn(_("An autosaved session could not be removed:\n{error}").format(error=error))

    def shutdown(self) -> None:
        """A normal exit: this window's work is saved or knowingly discarded."""
        self.timer.stop()
        self.document.model.changed.disconnect(self._on_model_changed)
        self.document.source_changed.disconnect(self._on_source_changed)
        self.discard_autosave()

    # ------------------------------------------------------------ recent files
    def recent(self) -> list[Path]:
        values = QSettings().value("recent", []) or []
        return [Path(str(v)) for v in (values if isinstance(values, list) else [values])]

    def _remember(self, path: Path) -> None:
        paths = [str(path.resolve())] + [str(p) for p in self.recent() if p != path.resolve()]
        QSettings().setValue("recent", paths[:MAX_RECENT])

    def _folder(self) -> Path:
        return self.path.parent if self.path else Path.home()

    def _on_model_changed(self, _trace: object) -> None:
        self.update_title()

    def _on_source_changed(self, _source: object) -> None:
        self.update_title()

    def _ask_yes_no(self, question: str) -> bool:
        return QMessageBox.question(self.parent, APP_NAME, question) == Answer.Yes

    def _ask_with_dialog(self, question: str) -> Answer:
        buttons = Answer.Save | Answer.Discard | Answer.Cancel
        return QMessageBox.question(self.parent, APP_NAME, question, buttons, Answer.Save)


def _filter_text() -> str:
    """The file dialogs' filter in the language in use."""
    return _(FILTER).format(suffix=SESSION_SUFFIX)
