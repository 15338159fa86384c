"""Sessions in the window: New, Open, Save, Save As, recent files, unsaved marks, autosave."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from explainer.model import AttentionModel, ModelState
from explainer.session import (
    SESSION_SUFFIX,
    SessionError,
    ViewSettings,
    clear_autosave,
    load_session,
    read_autosave,
    save_session,
    write_autosave,
)

from .application import APP_NAME

FILTER = f"Attention sessions (*{SESSION_SUFFIX});;All files (*)"
AUTOSAVE_MS = 30_000
MAX_RECENT = 8

Answer = QMessageBox.StandardButton


def default_autosave_folder() -> Path:
    """The platform's application data folder (QStandardPaths' AppDataLocation)."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


class SessionManager:
    """Which file the window holds, whether it has unsaved changes, and the autosave.

    ``ask(question) -> Answer`` (Save / Discard / Cancel) and ``warn(message)``
    are replaceable so tests can answer without a modal dialog.
    """

    def __init__(self, window, autosave_folder: Path | None = None, interval_ms: int = AUTOSAVE_MS):
        self.window = window
        self.path: Path | None = None
        self.autosave_folder = autosave_folder or default_autosave_folder()
        self._clean: ModelState = window.model.state
        self.ask: Callable[[str], Answer] = self._ask_with_dialog
        self.ask_restore: Callable[[str], bool] = self._ask_yes_no
        self.warn: Callable[[str], object] = lambda text: QMessageBox.warning(window, APP_NAME, text)
        window.model.changed.connect(self._on_model_changed)
        self._worker: threading.Thread | None = None
        self._autosave_error = ""
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()
        self.update_title()

    # ------------------------------------------------------------ state
    @property
    def dirty(self) -> bool:
        return not self.window.model.state.same_as(self._clean)

    def mark_clean(self) -> None:
        self._clean = self.window.model.state
        self.update_title()

    def update_title(self) -> None:
        model = self.window.model
        source = getattr(model, "source_info", None)
        name = (
            self.path.name if self.path else (model.preset_name or (source.label if source else "untitled"))
        )
        self.window.setWindowTitle(f"{APP_NAME} — {name}[*]")
        self.window.setWindowModified(self.dirty)

    def view_settings(self) -> ViewSettings:
        window = self.window
        return ViewSettings(
            step=window.player.index,
            detail=window.player.timeline.detail,
            head=min(window.focus.head, window.model.n_heads - 1),
            theme=window.appearance.theme.name,
            font_scale=window.appearance.font_scale,
            focus_query=window.focus.query,
            focus_key=window.focus.key,
        )

    # ------------------------------------------------------------ actions
    def confirm_discard(self) -> bool:
        """True when there is nothing unsaved, or the user saved or chose to discard it."""
        if not self.dirty:
            return True
        answer = self.ask("The session has unsaved changes. Save them first?")
        if answer == Answer.Save:
            return self.save()
        return answer == Answer.Discard

    def new(self) -> None:
        if self.confirm_discard():
            self.window.load_preset(self.window.default_preset)

    def open(self, path: Path | None = None, loaded: tuple | None = None) -> bool:
        """Open ``path`` (or ask for one); a file that cannot be used changes nothing.

        ``loaded``: what ``load_session(path)`` already returned (the command line
        checked the file before opening the window), so it is not read twice.
        """
        if not self.confirm_discard():
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self.window, "Open session", str(self._folder()), FILTER)
            if not name:
                return False
            path = Path(name)
        try:
            model, view = loaded or load_session(path)
        except SessionError as error:
            self.warn(f"Cannot open {path}:\n{error}\n\nThe window keeps what it had.")
            return False
        self.apply(model, view)
        self.path = path
        self._remember(path)
        self.mark_clean()
        return True

    def apply(self, model: AttentionModel, view: ViewSettings) -> None:
        """Show a loaded model and its view settings in this window."""
        window = self.window
        window.replace_model(model.state, preset_name=model.preset_name, seed=model.seed)
        window.player.set_detail(view.detail)
        window.appearance.set_theme(view.theme)
        window.appearance.set_font_scale(view.font_scale)
        window.player.go_to_step(view.step)
        window.focus.set(head=view.head, query=view.focus_query, key=view.focus_key)

    def save(self) -> bool:
        return self.save_as(self.path) if self.path else self.save_as()

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            suggested = self._folder() / f"{self.window.model.preset_name or 'session'}{SESSION_SUFFIX}"
            name, _ = QFileDialog.getSaveFileName(self.window, "Save session", str(suggested), FILTER)
            if not name:
                return False
            path = Path(name)
            if not path.name.endswith(SESSION_SUFFIX) and not path.suffix:
                path = path.with_name(path.name + SESSION_SUFFIX)
        try:
            save_session(path, self.window.model, self.view_settings())
        except SessionError as error:
            self.warn(f"The session was not saved:\n{error}")
            return False
        self.path = path
        self._remember(path)
        self.mark_clean()
        self.discard_autosave()  # the file holds the work now; an older autosave must not come back
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # ------------------------------------------------------------ autosave
    def autosave(self, wait: bool = False) -> None:
        """Every 30 s: keep unsaved work where the next start can offer it back.

        The file is written in a worker thread (a real model's session takes a
        second or more to write); ``wait=True`` finishes it before returning.
        """
        if self._autosave_error:
            self.window.statusBar().showMessage(f"Autosave failed: {self._autosave_error}", 8000)
            self._autosave_error = ""
        if self._worker is not None and self._worker.is_alive():
            if not wait:
                return  # the previous write is still going: next tick
            self._worker.join()
        if not self.dirty:
            return
        live = self.window.model
        snapshot = AttentionModel.from_state(live.state, seed=live.seed)  # edits go on meanwhile
        snapshot.preset_name = live.preset_name
        view = self.view_settings()
        self._worker = threading.Thread(target=self._write_autosave, args=(snapshot, view), daemon=True)
        self._worker.start()
        if wait:
            self._worker.join()

    def _write_autosave(self, model: AttentionModel, view: ViewSettings) -> None:
        try:
            write_autosave(self.autosave_folder, model, view)
        except Exception as error:  # a worker thread: whatever failed, tell the user, don't die silently
            self._autosave_error = str(error)

    def discard_autosave(self) -> None:
        """Remove the autosave (after a save, a fresh start or a normal exit)."""
        if self._worker is not None:
            self._worker.join()  # a write under way must not land after the removal
        with contextlib.suppress(SessionError, OSError):
            clear_autosave(self.autosave_folder)

    def offer_recovery(self) -> bool:
        """After a crash: offer the autosaved session back. True when it was restored."""
        try:
            found = read_autosave(self.autosave_folder)
        except SessionError as error:
            self.warn(f"The autosaved session cannot be used and was discarded:\n{error}")
            self.discard_autosave()
            return False
        if found is None:
            return False
        if self.ask_restore("The app did not close normally last time. Restore the unsaved session?"):
            self.apply(*found)
            self.path = None
            self._clean = AttentionModel.from_preset(self.window.default_preset).state  # still unsaved
            self.update_title()
            self.autosave(wait=True)  # applying started afresh and removed it: keep the work safe
            return True
        self.discard_autosave()
        return False

    def shutdown(self) -> None:
        """A normal exit: nothing to recover next time."""
        self.timer.stop()
        self.window.model.changed.disconnect(self._on_model_changed)
        self.discard_autosave()  # a normal exit: nothing to recover next time

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
        self.window.setWindowModified(self.dirty)

    def _ask_yes_no(self, question: str) -> bool:
        return QMessageBox.question(self.window, APP_NAME, question) == Answer.Yes

    def _ask_with_dialog(self, question: str) -> Answer:
        buttons = Answer.Save | Answer.Discard | Answer.Cancel
        return QMessageBox.question(self.window, APP_NAME, question, buttons, Answer.Save)
