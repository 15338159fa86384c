"""Save a session atomically, with a message that says which stage failed.

The mechanics (a hidden temporary beside the target, fsync, rename, stale
temporaries of killed saves) are :mod:`explainer.atomic`, shared with export.
A failing save (no space, no permission, a folder that vanished, a rename
that fails) leaves an existing target exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from ..atomic import replacing, shown
from ..i18n import N_, _
from .errors import SessionError, clip

_CHUNK = 1 << 20


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once, or not at all.

    A symlink is kept: the file it points to is replaced, as editors do.

    Raises
    ------
    SessionError
        Saying which file, which stage failed (creating, writing, flushing,
        renaming) and why; an existing file is then unchanged.
    """
    name = shown(path.name or str(path))
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    if target.is_dir():
        raise SessionError(_("{name}: cannot save: a folder has that name").format(name=name))
    if not folder.is_dir():
        raise SessionError(
            clip(
                _("{name}: cannot save: the folder does not exist (any more): {folder}").format(
                    name=name, folder=shown(folder)
                )
            )
        )
    try:
        old_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        old_mode = None
    stage = N_("creating a temporary file")
    try:
        with replacing(target, flush=False) as temp:  # flushed here, to name the stage
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            try:
                stage = N_("writing")
                _write_all(fd, data)
                stage = N_("flushing to disk")
                os.fsync(fd)
            finally:
                os.close(fd)
            if old_mode is not None:
                _chmod(temp, old_mode)
            stage = N_("renaming the temporary file onto the old one")
    except OSError as error:
        reason = error.strerror or str(error)
        if old_mode is not None:
            text = _(
                "{name}: could not save: {stage} failed: {reason}; the old file is unchanged (in {folder})"
            )
        else:
            text = _("{name}: could not save: {stage} failed: {reason} (in {folder})")
        message = text.format(name=name, stage=_(stage), reason=reason, folder=shown(folder))
        raise SessionError(clip(message)) from error


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_CHUNK])
        view = view[written:]


def _chmod(path: Path, mode: int) -> None:
    # The replaced file's permissions; some filesystems (FAT, SMB) have none: the save still succeeds.
    with contextlib.suppress(OSError):
        os.chmod(path, mode)
