"""export_video: frames in, a finished file out, or no file at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from ..atomic import shown
from .atomic import atomic_target
from .errors import ExportCancelled, ExportError
from .options import STILL_KINDS, check_fps, check_output, output_kind
from .writers import writer_for

__all__ = ["ExportCancelled", "ExportError", "export_video"]


def export_video(
    frames: Iterable[np.ndarray],
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
    frames : iterable of numpy.ndarray
        ``(height, width, 3)`` uint8 RGB frames, all the same size; pulled one at
        a time, so a generator renders each frame only when it is needed.
    path : Path
        The output; its extension chooses the format (see ``output_kind``).
    fps : float
        Frames per second of the output, 1 to 120.
    total : int
        How many frames ``frames`` yields, for ``progress``.
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
            f"{shown(path.name)}: a .{kind} is a still of one step; export animations as .mp4, .gif …"
        )
    check_output(path, force)
    with atomic_target(path, force) as temp:
        writer = writer_for(temp, fps, kind=kind)
        opened = False
        try:
            done = 0
            iterator = iter(frames)
            while True:
                # Before pulling the next frame: rendering it is the slow part.
                if cancelled is not None and cancelled():
                    raise ExportCancelled(f"export of {shown(path.name)} cancelled; nothing was written")
                if opened:
                    writer.check()  # the encoder failed (a full disk …): stop now, not after every frame
                frame = next(iterator, None)
                if frame is None:
                    break
                if not opened:
                    height, width = frame.shape[:2]
                    writer.open(width, height, fps)
                    opened = True
                writer.write(frame)
                done += 1
                if progress is not None:
                    progress(done, total)
            if not opened:
                raise ValueError(f"{shown(path.name)}: no frames to export")
            writer.close()
        except BaseException:
            if opened:
                writer.abort()
            raise
    return path
