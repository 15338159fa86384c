"""Autosave for crash recovery, Qt-free: the window passes its application data folder.

One file, written atomically like any save, so a crash mid-autosave leaves
the previous autosave intact.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import AttentionModel, Document
from .errors import SessionError, clip
from .files import SESSION_SUFFIX, load_session, save_session
from .view import ViewSettings

AUTOSAVE_NAME = "autosave" + SESSION_SUFFIX


def autosave_path(folder: str | os.PathLike[str]) -> Path:
    """The autosave file in ``folder`` (e.g. QStandardPaths' AppDataLocation)."""
    return Path(folder) / AUTOSAVE_NAME


def write_autosave(
    folder: str | os.PathLike[str], document: Document | AttentionModel, view: ViewSettings | None = None
) -> None:
    """Save ``document`` and ``view`` to the autosave file, creating ``folder`` if needed.

    Raises
    ------
    SessionError
        If the folder cannot be made or the file cannot be written; a previous
        autosave is then left as it was.
    """
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SessionError(clip(f"{AUTOSAVE_NAME}: cannot make the folder {folder}: {reason}")) from None
    save_session(autosave_path(folder), document, view)


def read_autosave(folder: str | os.PathLike[str]) -> tuple[Document, ViewSettings] | None:
    """The autosaved document and view, or None when there is no autosave.

    Raises
    ------
    SessionError
        If an autosave exists but cannot be used (the window should say so
        and offer to discard it with :func:`clear_autosave`).
    """
    path = autosave_path(folder)
    if not os.path.lexists(path):
        return None
    return load_session(path)


def clear_autosave(folder: str | os.PathLike[str]) -> None:
    """Remove the autosave (after a normal exit, a save, or a declined restore).

    Raises
    ------
    SessionError
        If it exists and cannot be removed.
    """
    try:
        autosave_path(folder).unlink(missing_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SessionError(clip(f"{AUTOSAVE_NAME}: cannot remove it: {reason}")) from None
