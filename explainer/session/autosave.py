"""Autosave for crash recovery, Qt-free: the window passes its application data folder.

Every window keeps its own autosave, ``autosave-<pid>-<token>.attn.json``,
written atomically like any save (a crash mid-autosave leaves the previous one
intact), and holds an exclusive lock on a ``.lock`` file beside it for as long
as the autosave exists. The operating system lets go of the lock when the
process ends, however it ends, so the next start can tell a crashed window's
autosave (lock free) from a running one's (lock held) even when the pid has
been reused meanwhile, e.g. after a reboot. A window removes its autosave only
on a normal exit, after a save, or when the user starts afresh knowingly; the
next start offers back every autosave left by a process that is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
import threading
from pathlib import Path

from ..atomic import running
from ..i18n import N_, _
from ..model import AttentionModel, Document
from .errors import SessionError, clip
from .files import SESSION_SUFFIX, load_session, save_session
from .view import ViewSettings

__all__ = ["AUTOSAVE_PREFIX", "Autosave", "CrashedAutosave", "crashed_autosaves"]

AUTOSAVE_PREFIX = "autosave-"
LOCK_SUFFIX = ".lock"
# What earlier versions wrote: one file for every window, with no owner to check.
LEGACY_NAME = "autosave" + SESSION_SUFFIX
_NAME = re.compile(re.escape(AUTOSAVE_PREFIX) + r"(\d+)-[0-9a-f]+" + re.escape(SESSION_SUFFIX) + "$")


def _lock_path(autosave: Path) -> Path:
    return autosave.with_name(autosave.name.removesuffix(SESSION_SUFFIX) + LOCK_SUFFIX)


def _lock(path: Path, create: bool) -> int | None:
    """An open descriptor holding the exclusive lock on ``path``, or None when another holds it.

    Raises OSError when the file cannot be opened (or, without ``create``, is missing).
    """
    flags = os.O_RDWR | (os.O_CREAT if create else 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)  # closing lets go of the lock


def _remove_lock(path: Path, fd: int | None) -> None:
    """Remove a lock file this process holds (or, ``fd`` None, whose holder is gone), then let go."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)  # POSIX: while still held, so nobody takes it meanwhile
    _unlock(fd)
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)  # Windows removes no open file: now it is closed


def _remove(path: Path, what: str) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SessionError(
            clip(
                _("{name}: cannot remove {what}: {reason}").format(
                    name=path.name, what=_(what), reason=reason
                )
            )
        ) from None


class Autosave:
    """One window's autosave in ``folder`` (e.g. QStandardPaths' AppDataLocation).

    :meth:`write` may run in a worker thread; :meth:`clear` removes the file and lets go of its lock.
    """

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = Path(folder)
        name = f"{AUTOSAVE_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{SESSION_SUFFIX}"
        self.path = self.folder / name
        self.lock_path = _lock_path(self.path)
        self._fd: int | None = None
        self._guard = threading.Lock()

    def write(self, document: Document | AttentionModel, view: ViewSettings | None = None) -> None:
        """Save ``document`` and ``view`` to this window's autosave, creating ``folder`` if needed.

        Raises
        ------
        SessionError
            If the folder cannot be made or the file cannot be written; a previous
            autosave is then left as it was.
        """
        with self._guard:
            if self._fd is None:
                try:
                    self.folder.mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    reason = error.strerror or str(error)
                    raise SessionError(
                        clip(
                            _("{name}: cannot make the folder {folder}: {reason}").format(
                                name=self.path.name, folder=self.folder, reason=reason
                            )
                        )
                    ) from None
                try:
                    self._fd = _lock(self.lock_path, create=True)
                except OSError as error:
                    reason = error.strerror or str(error)
                    raise SessionError(
                        clip(
                            _("{name}: cannot make its lock file: {reason}").format(
                                name=self.path.name, reason=reason
                            )
                        )
                    ) from None
                if self._fd is None:  # only a file of the same name held by another process
                    raise SessionError(
                        clip(_("{name}: its lock is held by another process").format(name=self.path.name))
                    )
            save_session(self.path, document, view)

    def clear(self) -> None:
        """Remove this window's autosave (a normal exit, a save, a knowing fresh start).

        Raises
        ------
        SessionError
            If it exists and cannot be removed (its lock is then kept).
        """
        with self._guard:
            _remove(self.path, N_("the autosave"))
            if self._fd is not None:
                _remove_lock(self.lock_path, self._fd)
                self._fd = None

    @property
    def exists(self) -> bool:
        return os.path.lexists(self.path)


class CrashedAutosave:
    """An autosave whose process is gone, claimed by this process until :meth:`discard` or :meth:`release`.

    While claimed (its lock held here), no other starting instance offers it too.
    """

    def __init__(self, path: Path, fd: int | None):
        self.path, self._fd = path, fd

    def read(self) -> tuple[Document, ViewSettings]:
        """The autosaved document and view.

        Raises
        ------
        SessionError
            If it cannot be used (the window should say so).
        """
        return load_session(self.path)

    def discard(self) -> None:
        """The user restored it elsewhere or declined it knowingly: remove it for good.

        Raises
        ------
        SessionError
            If it cannot be removed (it is then released, to be offered again).
        """
        try:
            _remove(self.path, N_("the autosave"))
        except SessionError:
            self.release()
            raise
        _remove_lock(_lock_path(self.path), self._fd)
        self._fd = None

    def release(self) -> None:
        """Keep the file for the next start and let go of the claim."""
        _unlock(self._fd)
        self._fd = None


def crashed_autosaves(folder: str | os.PathLike[str]) -> list[CrashedAutosave]:
    """Every autosave in ``folder`` left by a process that is no longer running, oldest first.

    Each comes claimed: call :meth:`CrashedAutosave.discard` or
    :meth:`CrashedAutosave.release` on every one. An autosave whose lock is
    held (its window is running, or another instance is offering it) is
    left out and never touched; one without a lock file counts as its
    pid's, so a running pid keeps it. Stale lock files with no autosave are
    removed.
    """
    base = Path(folder)
    try:
        names = sorted(entry.name for entry in base.iterdir())
    except OSError:
        return []
    found: list[CrashedAutosave] = []
    for name in names:
        path = base / name
        if name == LEGACY_NAME:
            found.append(CrashedAutosave(path, None))
            continue
        match = _NAME.match(name)
        if match is None:
            if name.startswith(AUTOSAVE_PREFIX) and name.endswith(LOCK_SUFFIX):
                _remove_stale_lock(path)
            continue
        pid = int(match[1])
        if pid == os.getpid():
            continue  # one of this process's windows
        try:
            fd = _lock(_lock_path(path), create=False)
        except OSError:  # no lock file: the pid is all there is to go by
            if not running(pid):
                found.append(CrashedAutosave(path, None))
            continue
        if fd is not None:
            found.append(CrashedAutosave(path, fd))
    found.sort(key=_modified)
    return found


def _remove_stale_lock(lock: Path) -> None:
    """A lock file whose autosave is gone and whose holder too (a crash between the two removals)."""
    if os.path.lexists(lock.with_name(lock.name.removesuffix(LOCK_SUFFIX) + SESSION_SUFFIX)):
        return
    match = re.search(r"-(\d+)-", lock.name)
    if match is not None and int(match[1]) == os.getpid():
        return
    try:
        fd = _lock(lock, create=False)
    except OSError:
        return
    if fd is not None:
        _remove_lock(lock, fd)


def _modified(crashed: CrashedAutosave) -> float:
    try:
        return crashed.path.stat().st_mtime
    except OSError:
        return 0.0
