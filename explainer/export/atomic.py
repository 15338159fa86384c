"""Write next to the target and rename at the end: an export never leaves a half-written file.

A lecturer's existing file is replaced only when the new one is complete; an
error, a cancel or Ctrl+C removes the partial output and leaves the old file
as it was. A process killed outright cannot clean up, so its partial (a
hidden name with its pid) is removed by the next export of the same target.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .targets import check_replaceable, output_kind, target_exists

PARTIAL = ".partial-"


def partial_name(path: Path, kind: str) -> str:
    """The hidden temporary name for ``path``: ``.talk.mp4.partial-<pid>-<token>.mp4``.

    The extension is kept so ffmpeg (and Qt, for stills) pick the format from it;
    a frames folder gets none.
    """
    suffix = "" if kind == "frames" else path.suffix
    return f".{path.name}{PARTIAL}{os.getpid()}-{secrets.token_hex(3)}{suffix}"


def stale_partials(path: Path) -> list[Path]:
    """Partials of ``path`` left by export processes that are no longer running."""
    pattern = re.compile(re.escape(f".{path.name}{PARTIAL}") + r"(\d+)-")
    found = []
    for entry in path.parent.iterdir():
        match = pattern.match(entry.name)
        if match and not _running(int(match[1])):
            found.append(entry)
    return found


def _running(pid: int) -> bool:
    if pid == os.getpid():
        # Another export in this process (a second dialog) may be writing it.
        return True
    if sys.platform == "win32":
        # os.kill(pid, 0) would terminate the process on Windows; a partial that is
        # still open there cannot be removed anyway, so removal simply fails.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def remove(path: Path) -> None:
    """Remove a file or folder if it is there; errors are ignored (best-effort cleanup)."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


@contextmanager
def atomic_target(path: Path, force: bool) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` when the block succeeds.

    Parameters
    ----------
    path : Path
        The final file or frames folder (kind by :func:`~explainer.export.options.output_kind`).
    force : bool
        Whether an existing target may be replaced.

    Yields
    ------
    Path
        A hidden path in the same folder, with the target's extension; for a
        frames folder an empty folder, already created.

    Raises
    ------
    ValueError
        If the target exists and ``force`` is false, or is a folder holding
        anything but frames (see ``check_replaceable``).

    Notes
    -----
    On any exception (KeyboardInterrupt and ExportCancelled included) the
    temporary is removed and an existing target is left untouched. Stale partials
    of the same target from killed runs are removed on entry.
    """
    path = Path(path)
    kind = output_kind(path)
    if not force and target_exists(path, kind):
        raise ValueError(f"{path} exists; pass --force to replace it")
    check_replaceable(path, kind)
    for stale in stale_partials(path):
        remove(stale)
    temp = path.with_name(partial_name(path, kind))
    if kind == "frames":
        temp.mkdir()
    try:
        yield temp
        if kind == "frames" or path.is_dir():
            _replace_folder(temp, path)
        else:
            os.replace(temp, path)
    except BaseException:
        remove(temp)
        raise


def _replace_folder(temp: Path, path: Path) -> None:
    """Put the complete ``temp`` in place of ``path``, whatever ``path`` was.

    A folder cannot be renamed over a non-empty one, so the old one is moved
    aside first (under a partial name, so a kill right here is cleaned up next
    time) and deleted only once the new one is in place.
    """
    aside = None
    if path.exists() or path.is_symlink():
        aside = path.with_name(f".{path.name}{PARTIAL}{os.getpid()}-old-{secrets.token_hex(3)}")
        os.replace(path, aside)
    try:
        os.replace(temp, path)
    except BaseException:
        if aside is not None:
            os.replace(aside, path)  # put the old one back: nothing lost
        raise
    if aside is not None:
        remove(aside)
