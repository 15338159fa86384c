"""Running the ffmpeg binary that imageio-ffmpeg ships (no system ffmpeg needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from fractions import Fraction
from typing import IO, Any

import imageio_ffmpeg

# How much of ffmpeg's stderr an error message quotes: the cause is in the last lines.
TAIL_LINES = 8


def ffmpeg_exe() -> str:
    """The ffmpeg binary: ``IMAGEIO_FFMPEG_EXE`` if set, else the one imageio-ffmpeg ships.

    Looked up on every call (not at import) so tests can point it at a failing program.
    """
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def local(path: str | os.PathLike[str]) -> str:
    """A local path as ffmpeg must get it: ``file:`` and absolute.

    ffmpeg reads ``tcp:``, ``pipe:``, ``http:`` … at the start of a name as a
    protocol, so a relative path under a folder named ``tcp:`` would connect
    to the address in it; after ``file:`` nothing else is interpreted.
    """
    return "file:" + os.path.abspath(path)


def rate(fps: float) -> str:
    """``fps`` as the exact fraction ffmpeg takes for ``-r`` (``30``, ``30000/1001``)."""
    # A float like 29.97 is meant as NTSC's 30000/1001; a small denominator finds it.
    value = Fraction(fps).limit_denominator(1001)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def session_kwargs() -> dict[str, Any]:
    """Popen arguments that keep ffmpeg out of the terminal's process group.

    Ctrl+C then reaches only Python, which aborts ffmpeg and removes the partial
    file itself, instead of ffmpeg quitting on its own and leaving a broken pipe.
    """
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def tail(stream: IO[bytes], lines: int = TAIL_LINES) -> str:
    """The last ``lines`` non-empty lines of a temporary file ffmpeg wrote its stderr to."""
    stream.flush()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    # The end of the log is enough, and a long run's log can be large.
    stream.seek(max(0, size - 16384))
    text = stream.read().decode("utf-8", "replace").replace("\r", "\n")
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])
