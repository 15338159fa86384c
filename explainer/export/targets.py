"""Output paths: what a path asks for (by extension) and whether it may be written.

Also re-exported from :mod:`explainer.export.options`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

FORMATS = (".mp4", ".gif", ".zip", "folder", ".png", ".svg")
# Output kind by extension; a path without one is a folder of PNG frames.
KINDS = {".mp4": "mp4", ".gif": "gif", ".zip": "zip", ".png": "png", ".svg": "svg"}
VIDEO_KINDS = ("mp4", "gif", "zip", "frames")
STILL_KINDS = ("png", "svg")

# What a frames folder may hold and still be replaced with --force: our frames,
# and the files desktops drop into any folder they show.
FRAME_FILE = re.compile(r"frame_\d+\.png")
DESKTOP_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def output_kind(path: Path) -> str:
    """What ``path`` asks for, by its extension.

    Returns
    -------
    str
        ``"mp4"``, ``"gif"``, ``"zip"``, ``"png"``, ``"svg"``, or ``"frames"`` for a
        folder of PNG frames (a path without extension, or an existing folder).

    Raises
    ------
    ValueError
        For any other extension, or a path without a name (``.``, ``..``).
    """
    path = Path(path)
    if path.name in ("", ".", ".."):
        # Replacing "." would mean replacing the folder the user is in.
        raise ValueError(f"expected a file or folder name to write, got {str(path)!r}")
    if path.is_dir() or not path.suffix:
        return "frames"
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(
            f"unsupported extension {path.suffix}; expected .mp4, .gif, .zip, a folder, .png or .svg"
        )
    return kind


def target_exists(path: Path, kind: str | None = None) -> bool:
    """Whether writing ``path`` would replace something: an empty frames folder does not count."""
    path = Path(path)
    if (kind or output_kind(path)) == "frames" and path.is_dir():
        return any(path.iterdir())
    return path.exists() or path.is_symlink()


def check_replaceable(path: Path, kind: str) -> None:
    """Refuse to replace a folder that is not a folder of frames, even with force.

    ``--out ~/Documents --force`` must not delete the lecturer's documents: a
    folder is replaced only if it holds nothing but ``frame_NNNNN.png`` files.
    """
    path = Path(path)
    if kind != "frames" or not path.is_dir():
        return
    foreign = sorted(
        entry.name
        for entry in path.iterdir()
        if not (entry.is_file() and (FRAME_FILE.fullmatch(entry.name) or entry.name in DESKTOP_FILES))
    )
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise ValueError(
            f"{path} holds files that are not frames ({shown}); "
            "only a folder of frame_NNNNN.png is replaced: choose a new or empty folder"
        )


def check_output(path: Path, force: bool) -> None:
    """Refuse an output path before any work is done on it.

    Parameters
    ----------
    path : Path
        The target file or frames folder.
    force : bool
        Whether an existing target may be replaced.

    Raises
    ------
    ValueError
        If the extension is unsupported, the parent folder is missing, not a
        folder or not writable, the target exists and ``force`` is false, or
        the target is a folder holding anything but frames.
    """
    path = Path(path)
    kind = output_kind(path)
    # The folder as the user sees it: "." for a bare file name.
    parent = path.parent
    if not parent.exists():
        raise ValueError(f"folder {parent} does not exist; create it first or choose another --out")
    if not parent.is_dir():
        raise ValueError(f"{parent} is not a folder; choose another --out")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"folder {parent} is not writable; choose another --out")
    if not force and target_exists(path, kind):
        raise ValueError(f"{path} exists; pass --force to replace it")
    check_replaceable(path, kind)
