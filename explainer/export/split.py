"""One file per step, for building a slide deck: names, the folder they go in, what it may replace.

``--out talk.mp4 --split`` writes the folder ``talk/`` beside where ``talk.mp4``
would be, holding ``talk-01-embed.mp4``, ``talk-02-project_q.mp4`` …: the step's
number as the app counts it (zero-padded so the files sort in order) and its
kind. The folder appears whole, or not at all, like every export; ``--force``
replaces only a folder holding nothing but such files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from explainer.animation import Timeline

from ..atomic import replacing, shown
from ..i18n import _
from .targets import check_parent, check_writable, folder_not_ours, output_kind

__all__ = [
    "SPLIT_KINDS",
    "check_split_output",
    "check_split_replaceable",
    "clip_names",
    "split_exists",
    "split_folder",
    "split_target",
]

# What one file per step is made as: a clip per step, or a still of each step finished.
SPLIT_KINDS = ("mp4", "gif", "png", "svg")


def split_folder(out: Path) -> Path:
    """The folder a split export of ``out`` writes: ``talk.mp4`` → ``talk``."""
    out = Path(out)
    kind = output_kind(out)
    if kind not in SPLIT_KINDS:
        raise ValueError(
            _(
                "split: one file per step is made as .mp4, .gif, .png or .svg, not as {what}; "
                "e.g. --out talk.mp4 --split writes talk/talk-01-embed.mp4 …"
            ).format(what=_what(kind))
        )
    return out.with_suffix("")


def _what(kind: str) -> str:
    return _("a folder of frames") if kind == "frames" else _("a .{kind}").format(kind=kind)


def clip_names(timeline: Timeline, indices: range, out: Path) -> list[str]:
    """The file name of each step of ``indices``: ``talk-05-dot.mp4`` for step 5 (0-based 4), a dot product.

    The number is the step's, 1-based as the app counts (not its place in the
    range), padded to the digits of the walkthrough's last step (at least two).
    """
    out = Path(out)
    digits = max(2, len(str(len(timeline.steps))))
    stem, suffix = out.with_suffix("").name, out.suffix.lower()
    return [f"{stem}-{index + 1:0{digits}d}-{timeline.steps[index].kind}{suffix}" for index in indices]


def _members(folder: Path) -> re.Pattern[str]:
    """The names a split export into ``folder`` writes, in any of the split kinds."""
    kinds = "|".join(SPLIT_KINDS)
    return re.compile(rf"{re.escape(folder.name)}-\d+-[a-z_]+\.(?:{kinds})", re.IGNORECASE)


def check_split_replaceable(folder: Path) -> None:
    """Refuse, even with force, a ``folder`` that holds anything but this split's files (or is no folder)."""
    holding = _("step files named {name}-NN-KIND").format(name=folder.name)
    problem = folder_not_ours(folder, _members(folder), holding)
    if problem is not None:
        raise ValueError(
            _(
                "{path} {problem}; only a folder of one file per step is replaced: "
                "choose another --out or an empty folder"
            ).format(path=shown(folder), problem=problem)
        )


def split_exists(folder: Path) -> bool:
    """Whether writing ``folder`` would replace something: an empty folder does not count."""
    folder = Path(folder)
    if folder.is_dir():
        return any(folder.iterdir())
    return folder.exists() or folder.is_symlink()


def check_split_output(folder: Path, force: bool) -> None:
    """As :func:`~explainer.export.check_output`, for the folder of a split export."""
    check_parent(folder)
    check_split_replaceable(folder)
    check_writable(folder)
    if not force and split_exists(folder):
        raise ValueError(_("{path} exists; pass --force to replace it").format(path=shown(folder)))


@contextmanager
def split_target(folder: Path, force: bool) -> Iterator[Path]:
    """Yield an empty hidden folder beside ``folder``; put it in its place when the block succeeds.

    Checked again just before the rename: what appeared at ``folder`` meanwhile is kept.
    """

    def check() -> None:
        check_split_replaceable(folder)
        if not force and split_exists(folder):
            raise ValueError(_("{path} exists; pass --force to replace it").format(path=shown(folder)))

    check()
    with replacing(folder, folder=True, check=check) as temp:
        yield temp
