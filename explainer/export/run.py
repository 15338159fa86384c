"""export_video: frames in, a finished file out, or no file at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from ..atomic import shown
from ..i18n import _
from .atomic import atomic_target
from .errors import ExportCancelled, ExportError
from .options import STILL_KINDS, check_fps, check_output, output_kind
from .split import check_split_output, split_target
from .writers import FrameWriter, writer_for

__all__ = ["ExportCancelled", "ExportError", "Frame", "export_clips", "export_video"]

# A picture, or a picture and how many frames it stays (a hold: rendered once).
Frame = np.ndarray | tuple[np.ndarray, int]


def export_video(
    frames: Iterable[Frame],
    path: Path,
    *,
    fps: float,
    total: int,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write ``frames`` to ``path`` as an MP4, a GIF, a folder or a zip of PNG frames.

    The output appears at ``path`` only when complete: it is written under a
    hidden temporary name beside it and renamed at the end. Cancelling, an
    error or Ctrl+C leaves no file behind and any existing file untouched.

    Parameters
    ----------
    frames : iterable of numpy.ndarray or (numpy.ndarray, int)
        ``(height, width, 3)`` uint8 RGB frames, all the same size; pulled one at
        a time, so a generator renders each frame only when it is needed. A pair
        ``(frame, n)`` is a picture held for ``n`` frames: a video repeats it, a
        GIF shows it once for all of them.
    path : Path
        The output; its extension chooses the format (see ``output_kind``).
    fps : float
        Frames per second of the output, 1 to 120.
    total : int
        How many frames ``frames`` makes (a held picture counts its frames), for ``progress``.
    force : bool
        Replace an existing output.
    progress : callable, optional
        ``progress(done, total)`` after each frame written.
    cancelled : callable, optional
        Polled before each frame is pulled from ``frames``; returning True stops
        the export with :class:`ExportCancelled`.

    Returns
    -------
    Path
        ``path``, now complete.

    Raises
    ------
    ValueError
        Bad options: unsupported extension, missing or read-only folder, an
        existing output without ``force``, an odd MP4 size, no frames.
    ExportCancelled
        ``cancelled()`` returned True.
    ExportError
        The encoder failed; the message ends with what ffmpeg printed. A failure
        while frames are still coming (a full disk) stops the export before the
        next frame is rendered.
    """
    path = Path(path)
    fps = check_fps(fps)
    kind = output_kind(path)
    if kind in STILL_KINDS:
        raise ValueError(
            _("{name}: a .{kind} is a still of one step; export animations as .mp4, .gif …").format(
                name=shown(path.name), kind=kind
            )
        )
    check_output(path, force)
    with atomic_target(path, force) as temp:
        _encode(frames, writer_for(temp, fps, kind=kind), path.name, _Progress(total, progress), cancelled)
    return path


def export_clips(
    clips: Iterable[tuple[str, Iterable[Frame]]],
    folder: Path,
    *,
    fps: float,
    total: int,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write each of ``clips`` (a file name and its frames) into ``folder``, which appears whole at the end.

    As :func:`export_video`, for the one-file-per-step export (see
    :mod:`explainer.export.split`): ``total`` and ``progress`` count the frames
    of every clip; a cancel, an error or Ctrl+C leaves no folder behind and an
    existing one untouched.

    Returns
    -------
    Path
        ``folder``, now holding every clip.
    """
    folder = Path(folder)
    fps = check_fps(fps)
    check_split_output(folder, force)
    counter = _Progress(total, progress)
    with split_target(folder, force) as temp:
        for name, frames in clips:
            _encode(frames, writer_for(temp / name, fps), name, counter, cancelled, target=f"{folder.name}/")
    return folder


class _Progress:
    """Frames done so far, over one file or many, reported as ``progress(done, total)``."""

    def __init__(self, total: int, report: Callable[[int, int], None] | None):
        self.done, self.total, self.report = 0, total, report

    def add(self, frames: int) -> None:
        self.done += frames
        if self.report is not None:
            self.report(self.done, self.total)


def _encode(
    frames: Iterable[Frame],
    writer: FrameWriter,
    name: str,
    progress: _Progress,
    cancelled: Callable[[], bool] | None,
    target: str | None = None,
) -> None:
    """Pull ``frames`` one at a time into ``writer`` and finish it; abort it on any exception.

    ``name`` is the file's, ``target`` what the user asked for (default: that file).
    """
    opened = False
    try:
        iterator = iter(frames)
        while True:
            # Before pulling the next frame: rendering it is the slow part.
            if cancelled is not None and cancelled():
                raise ExportCancelled(f"export of {shown(target or name)} cancelled; nothing was written")
            if opened:
                writer.check()  # the encoder failed (a full disk …): stop now, not after every frame
            item = next(iterator, None)
            if item is None:
                break
            frame, repeat = item if isinstance(item, tuple) else (item, 1)
            if not opened:
                height, width = frame.shape[:2]
                writer.open(width, height)
                opened = True
            writer.write(frame, repeat)
            progress.add(repeat)
        if not opened:
            raise ValueError(_("{name}: no frames to export").format(name=shown(name)))
        writer.close()
    except BaseException:
        if opened:
            writer.abort()
        raise
