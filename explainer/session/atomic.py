"""Write a file atomically: a temporary file in the same folder, fsync, then rename onto the target.

A failing save (no space, no permission, a folder that vanished, a rename
that fails) removes the temporary file and leaves an existing target exactly
as it was. A process killed mid-write cannot clean up; its temporary (a
hidden name with its pid) is removed by the next save to the same target.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import sys
from pathlib import Path

from .errors import SessionError, clip

_CHUNK = 1 << 20


def temp_name(target: Path) -> str:
    """``.talk.attn.json.<pid>.<random>.tmp``: hidden, and tied to this process."""
    return f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once, or not at all.

    Raises
    ------
    SessionError
        Saying which file, which stage failed (creating, writing, flushing,
        renaming) and why; an existing file is then unchanged.
    """
    name = path.name or str(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path  # keep the link, write its file
    folder = target.parent
    if target.is_dir():
        raise SessionError(f"{name}: cannot save: a folder has that name")
    if not folder.is_dir():
        raise SessionError(clip(f"{name}: cannot save: the folder does not exist (any more): {folder}"))
    try:
        old_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        old_mode = None
    _remove_stale(target)
    temp = folder / temp_name(target)
    stage = "creating a temporary file"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        try:
            stage = "writing"
            _write_all(fd, data)
            stage = "flushing to disk"
            os.fsync(fd)
        finally:
            os.close(fd)
        if old_mode is not None:
            _chmod(temp, old_mode)
        stage = "renaming the temporary file onto the old one"
        os.replace(temp, target)
    except OSError as error:
        _discard(temp)
        kept = "; the old file is unchanged" if old_mode is not None else ""
        reason = error.strerror or str(error)
        message = f"{name}: could not save: {stage} failed: {reason}{kept} (in {folder})"
        raise SessionError(clip(message)) from error
    except BaseException:
        _discard(temp)
        raise
    _sync_folder(folder)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_CHUNK])
        view = view[written:]


def _chmod(path: Path, mode: int) -> None:
    # The replaced file's permissions; some filesystems (FAT, SMB) have none: the save still succeeds.
    with contextlib.suppress(OSError):
        os.chmod(path, mode)


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort, the data is already flushed."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale(target: Path) -> None:
    """Remove temporaries of ``target`` left by processes that are no longer running."""
    pattern = re.compile(re.escape(f".{target.name}.") + r"(\d+)\.[0-9a-f]+\.tmp")
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and not _running(int(match[1])):
            _discard(entry)


def _running(pid: int) -> bool:
    if pid == os.getpid() or sys.platform == "win32":
        return True  # on Windows os.kill(pid, 0) would end the process: leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
