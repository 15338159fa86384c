"""Export into a temporary beside the target, renamed at the end: never a half-written file.

A lecturer's existing file is replaced only when the new one is complete; an
error, a cancel or Ctrl+C removes the partial output and leaves the old file
as it was. The mechanics are :mod:`explainer.atomic`, shared with sessions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..atomic import replacing, shown
from ..i18n import _
from .targets import check_replaceable, output_kind, target_exists


@contextmanager
def atomic_target(path: Path, force: bool, kind: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` when the block succeeds.

    Parameters
    ----------
    path : Path
        The final file or frames folder (kind by :func:`~explainer.export.options.output_kind`).
    force : bool
        Whether an existing target may be replaced.
    kind : str, optional
        The output kind, if not the one ``path`` names.

    Yields
    ------
    Path
        A hidden path in the same folder, with the target's extension; for a
        frames folder an empty folder, already created.

    Raises
    ------
    ValueError
        If the target exists and ``force`` is false, or is anything this app
        would not have written (see ``check_replaceable``). Checked on entry
        and again just before the rename: what appeared meanwhile is kept.
    """
    path = Path(path)
    kind = kind or output_kind(path)

    def check() -> None:
        check_replaceable(path, kind)
        if not force and target_exists(path, kind):
            raise ValueError(_("{path} exists; pass --force to replace it").format(path=shown(path)))

    check()
    with replacing(path, folder=kind == "frames", check=check) as temp:
        yield temp
