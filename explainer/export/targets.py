"""Output paths: what a path asks for (by extension) and whether it may be written.

Also re-exported from :mod:`explainer.export.options`.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..atomic import kind_of_file, shown
from ..i18n import N_, _

FORMATS = (".mp4", ".gif", ".zip", "folder", ".png", ".svg")
# Output kind by extension; a path without one is a folder of PNG frames.
KINDS = {".mp4": "mp4", ".gif": "gif", ".zip": "zip", ".png": "png", ".svg": "svg"}
VIDEO_KINDS = ("mp4", "gif", "zip", "frames")
STILL_KINDS = ("png", "svg")

# What a frames folder may hold and still be replaced with --force: our frames,
# and the files desktops drop into any folder they show.
FRAME_FILE = re.compile(r"frame_\d+\.png")
DESKTOP_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}

# describe_path's words that hold a value: English where the code compares them, and
# shown in the language in use by shown_kind (which reads the value back out of them).
SYMLINK_TO = N_("a symlink to {kind}")
BROKEN_SYMLINK = N_("a broken symlink (to {target})")
UNEXAMINED = N_("something that cannot be examined ({reason})")
_SHOWN_FORMS = [
    (
        template,
        re.compile(re.escape(template).replace(re.escape("{" + field + "}"), "(.*)"), re.DOTALL),
        field,
    )
    for template, field in ((BROKEN_SYMLINK, "target"), (UNEXAMINED, "reason"), (SYMLINK_TO, "kind"))
]


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
        raise ValueError(
            _("expected a file or folder name to write, got {path}").format(path=repr(str(path)))
        )
    if path.is_dir() or not path.suffix:
        return "frames"
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(
            _("unsupported extension {extension}; expected .mp4, .gif, .zip, a folder, .png or .svg").format(
                extension=shown(path.suffix)
            )
        )
    return kind


def target_exists(path: Path, kind: str | None = None) -> bool:
    """Whether writing ``path`` would replace something: an empty frames folder does not count."""
    path = Path(path)
    if (kind or output_kind(path)) == "frames" and path.is_dir():
        return any(path.iterdir())
    return path.exists() or path.is_symlink()


def describe_path(path: Path) -> str | None:
    """What is at ``path``, in a few words (``"a file"``, ``"a device"`` …), or None if nothing is.

    A symlink is described with what it points to; nothing is opened or followed further.
    """
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        return UNEXAMINED.format(reason=error.strerror or error)
    if not stat.S_ISLNK(info.st_mode):
        return kind_of_file(info.st_mode)
    try:
        pointed = os.stat(path)
    except OSError:
        return BROKEN_SYMLINK.format(target=shown(os.readlink(path)))
    return SYMLINK_TO.format(kind=kind_of_file(pointed.st_mode))


def shown_kind(what: str) -> str:
    """What :func:`describe_path` says (in English), in the language in use."""
    for template, form, field in _SHOWN_FORMS:
        found = form.fullmatch(what)
        if found:
            value = shown_kind(found[1]) if field == "kind" else found[1]
            return _(template).format(**{field: value})
    return _(what)


def check_replaceable(path: Path, kind: str) -> None:
    """Refuse, even with force, to replace anything this app would not have written at ``path``.

    ``--force`` replaces a file of the kind ``path`` names (``.mp4`` …) or a
    folder holding nothing but ``frame_NNNNN.png`` files (and desktop clutter),
    or a symlink to one of these (the link is replaced, not followed). A plain
    file where a frames folder is asked for, a file of another kind behind a
    symlink, a device, a named pipe, a socket or a folder of other files is
    refused: ``--out ~/Documents --force`` or ``--out notes --force`` must not
    delete the lecturer's work.
    """
    path = Path(path)
    problem = _not_ours(path, kind)
    if problem is None:
        return
    if kind == "frames":
        expected = _("only a folder of frame_NNNNN.png is replaced: choose a new or empty folder")
    else:
        expected = _("only a .{kind} file is replaced: choose another name").format(kind=kind)
    # Two clauses: why not (``problem``, a clause of its own) and what would be replaced.
    raise ValueError(
        _("{path} {problem}; {expected}").format(path=shown(path), problem=problem, expected=expected)
    )


def _not_ours(path: Path, kind: str) -> str | None:
    """Why ``path`` is not something an export of ``kind`` may replace, or None if it may be."""
    if kind == "frames":
        return folder_not_ours(path, FRAME_FILE, _("frames"))
    what = describe_path(path)
    if what is None:
        return None
    pointed_to = what.removeprefix("a symlink to ")
    if pointed_to == "a file":
        # The kind of a file is the extension it has; behind a symlink, the file's own.
        real = Path(os.path.realpath(path)) if what != pointed_to else Path(path)
        if real.suffix.lower() == f".{kind}":
            return None
        if what != pointed_to:
            return _("is a symlink to {name}, a file that is not a .{kind}").format(
                name=shown(real.name), kind=kind
            )
        return _("is a file that is not a .{kind}").format(kind=kind)
    return _("is {what}, not a .{kind} file").format(what=shown_kind(what), kind=kind)


def folder_not_ours(path: Path, members: re.Pattern[str], holding: str) -> str | None:
    """Why the folder ``path`` may not be replaced, or None: it holds only ``members`` (and desktop clutter).

    ``holding`` names what such a folder holds, for the message (``"frames"``, in the language in use).
    A symlink to such a folder may be replaced (the link, not what it points to).
    """
    what = describe_path(path)
    if what is None:
        return None
    if what.removeprefix("a symlink to ") != "a folder":
        return _("is {what}, not a folder of {holding}").format(what=shown_kind(what), holding=holding)
    try:
        foreign = sorted(
            entry.name
            for entry in Path(path).iterdir()
            if not (_is_plain_file(entry) and (members.fullmatch(entry.name) or entry.name in DESKTOP_FILES))
        )
    except OSError as error:
        return _("is {what} that cannot be read ({reason})").format(
            what=shown_kind(what), reason=error.strerror or error
        )
    if not foreign:
        return None
    shown_names = ", ".join(shown(name) for name in foreign[:3]) + (", …" if len(foreign) > 3 else "")
    if what == "a folder":
        return _("holds files that are not {holding} ({names})").format(holding=holding, names=shown_names)
    return _("is a symlink to a folder that holds files that are not {holding} ({names})").format(
        holding=holding, names=shown_names
    )


def _is_plain_file(entry: Path) -> bool:
    try:
        return stat.S_ISREG(entry.lstat().st_mode)
    except OSError:
        return False


def check_output(path: Path, force: bool, kind: str | None = None) -> None:
    """Refuse an output path before any work is done on it.

    Parameters
    ----------
    path : Path
        The target file or frames folder.
    force : bool
        Whether an existing target may be replaced.
    kind : str, optional
        The output kind, if not the one ``path`` names (see :func:`output_kind`).

    Raises
    ------
    ValueError
        If the extension is unsupported, the parent folder is missing or not
        a folder, something is there that this app would not have written
        (see :func:`check_replaceable`, even with ``force``), the folder is
        not writable, or the target exists and ``force`` is false.
    """
    path = Path(path)
    kind = kind or output_kind(path)
    check_parent(path)
    # What is there first: "pass --force" is said only of what --force may replace.
    check_replaceable(path, kind)
    check_writable(path)
    if not force and target_exists(path, kind):
        raise ValueError(_("{path} exists; pass --force to replace it").format(path=shown(path)))


def check_parent(path: Path) -> None:
    """Refuse ``path`` if the folder it would be written in is missing or not a folder."""
    parent = Path(path).parent  # the folder as the user sees it: "." for a bare file name
    if not parent.exists():
        raise ValueError(
            _("folder {path} does not exist; create it first or choose another --out").format(
                path=shown(parent)
            )
        )
    if not parent.is_dir():
        raise ValueError(_("{path} is not a folder; choose another --out").format(path=shown(parent)))


def check_writable(path: Path) -> None:
    """Refuse ``path`` if the folder it would be written in is read-only."""
    parent = Path(path).parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(_("folder {path} is not writable; choose another --out").format(path=shown(parent)))
