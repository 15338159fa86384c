"""Replace a file or a folder all at once, for sessions and exports alike.

The new content is written to a hidden temporary beside the target (same
folder, so the final rename cannot cross filesystems), flushed to disk, and
renamed onto the target only when it is complete. Whatever fails (an error, a
cancel, Ctrl+C) removes the temporary and leaves an existing target exactly as
it was. A process killed outright cannot clean up; its temporary carries its
pid, and the next write of the same target removes it once that pid is gone.

Also :func:`shown`: how every one-line message prints a path it names.

This module sits below every other package of explainer (it imports none).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .i18n import N_

__all__ = [
    "fsync_path",
    "kind_of_file",
    "remove",
    "replacing",
    "running",
    "shown",
    "stale_temporaries",
    "temporary_path",
]

MARK = ".partial-"


def kind_of_file(mode: int) -> str:
    """What an ``os.stat`` mode is, for a message: ``"a file"``, ``"a named pipe (FIFO)"`` …

    In English, as code compares it ("a folder"); ``_(kind_of_file(mode))`` shows it in the language in use.
    """
    if stat.S_ISREG(mode):
        return N_("a file")
    if stat.S_ISDIR(mode):
        return N_("a folder")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return N_("a device")
    if stat.S_ISFIFO(mode):
        return N_("a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return N_("a socket")
    return N_("neither a file nor a folder")


def shown(path: str | os.PathLike[str]) -> str:
    """``path`` as a message prints it: as is, or quoted with escapes if it holds a newline or a control.

    A message is one line: a name holding a newline (or a terminal escape)
    would split it, or colour the terminal. ``repr`` escapes those, and an
    undecodable byte (a lone surrogate) too.
    """
    text = os.fspath(path)
    return text if text.isprintable() else repr(text)


def temporary_path(target: Path, suffix: str | None = None) -> Path:
    """``.talk.mp4.partial-<pid>-<token>.mp4`` beside ``target``: hidden and tied to this process.

    ``suffix`` defaults to the target's, so ffmpeg and Qt pick the format from
    the name; pass ``""`` for a folder.
    """
    end = target.suffix if suffix is None else suffix
    return target.with_name(f".{target.name}{MARK}{os.getpid()}-{secrets.token_hex(4)}{end}")


def running(pid: int) -> bool:
    """Whether process ``pid`` may still be writing its temporary.

    On Windows ``os.kill(pid, 0)`` would end the process, so nothing is probed
    there and every temporary counts as live: a stale one is left, never a
    live one deleted.
    """
    if pid == os.getpid() or sys.platform == "win32":
        return True  # this process: another export or save of it may be writing
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process: alive
    return True


def stale_temporaries(target: Path) -> list[Path]:
    """Temporaries of ``target`` left by processes that are no longer running."""
    pattern = re.compile(re.escape(f".{target.name}{MARK}") + r"(\d+)-")
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    return [entry for entry in entries if (m := pattern.match(entry.name)) and not running(int(m[1]))]


def remove(path: Path) -> None:
    """Remove a file or a folder if it is there; best effort (cleanup must not raise)."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def fsync_path(path: Path) -> None:
    """Flush a file's data, or a folder's entries (POSIX), to disk.

    A folder is synced best effort: the data itself is already on disk, and
    some filesystems and Windows cannot open a folder for it.
    """
    if path.is_dir():
        if sys.platform == "win32":
            return
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def replacing(
    target: Path, folder: bool = False, flush: bool = True, check: Callable[[], None] | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; put it in the target's place when the block succeeds.

    Parameters
    ----------
    target : Path
        The file (or, with ``folder=True``, the folder) to write.
    folder : bool
        Yield an empty folder, already created, instead of a file path.
    flush : bool
        Flush what was written before the rename; False when the caller
        already did (to report a failing flush in its own words).
    check : callable, optional
        Called just before the rename; raising there (e.g. because something
        that must not be replaced appeared at ``target`` meanwhile) leaves
        ``target`` as it is and removes the temporary.

    Notes
    -----
    On success the temporary's data is flushed, it is renamed onto ``target``
    and the rename itself is flushed. On any exception (KeyboardInterrupt
    included) the temporary is removed and ``target`` is untouched. Stale
    temporaries of ``target`` from killed processes are removed on entry.
    """
    for stale in stale_temporaries(target):
        remove(stale)
    temp = temporary_path(target, "" if folder else None)
    if folder:
        temp.mkdir()
    try:
        yield temp
        if flush:
            for written in temp.iterdir() if folder else (temp,):
                fsync_path(written)
        if check is not None:
            check()
        if folder or target.is_dir():
            _replace_folder(temp, target)
        else:
            os.replace(temp, target)
    except BaseException:
        remove(temp)
        raise
    fsync_path(target.parent)


def _replace_folder(temp: Path, target: Path) -> None:
    """Put the complete ``temp`` in place of ``target``, whatever ``target`` was.

    A folder cannot be renamed over a non-empty one, so the old one is moved
    aside first (under a temporary name, so a kill right here is cleaned up
    next time) and deleted only once the new one is in place.
    """
    aside = None
    if target.exists() or target.is_symlink():
        aside = temporary_path(target, ".old")
        os.replace(target, aside)
    try:
        os.replace(temp, target)
    except BaseException:
        if aside is not None:
            os.replace(aside, target)  # put the old one back: nothing lost
        raise
    if aside is not None:
        remove(aside)
