"""A terminal progress bar for headless exports: frames done, frames per second, time left."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from ..i18n import N_, _

BAR_WIDTH = 24
# Plain (non-TTY) output: a line at each quarter, so a CI log shows progress
# without one line per frame.
PLAIN_STEPS = 4


# Rough rendering speed for the estimate said before an export: frames per second
# at 1280x720 (measured 50 on two cores), slower in proportion to the pixels.
NOMINAL_RATE_720P = 50.0
MAX_RATE = 100.0


def plan_text(
    frames: int, fps: float, size: tuple[int, int], pictures: int | None = None, files: int = 1
) -> str:
    """What an export is about to do, said before the first frame: frames, video length, a rough time.

    ``"export: 2,119 frames (1:10 of video at 30 fps), 1280x720; rendering takes about 0:42"``.
    ``pictures`` is how many of the frames are rendered (a held picture is
    rendered once; default: all); ``files`` > 1 says how many clips they make.
    """
    width, height = size
    rate = min(MAX_RATE, NOMINAL_RATE_720P * 1280 * 720 / (width * height))
    length = format_seconds((frames - 1) / fps)
    rendering = format_seconds(max(1.0, (frames if pictures is None else pictures) / rate))
    fields = {
        "clips": f"{files:,}",
        "frames": f"{frames:,}",
        "length": length,
        "fps": f"{fps:g}",
        "size": f"{width}x{height}",
        "rendering": rendering,
    }
    if files > 1:
        return _(
            "export: {clips} clips, {frames} frames ({length} of video at {fps} fps), {size}; "
            "rendering takes about {rendering}"
        ).format(**fields)
    return _(
        "export: {frames} frames ({length} of video at {fps} fps), {size}; rendering takes about {rendering}"
    ).format(**fields)


def format_seconds(seconds: float) -> str:
    """``0:42``, ``12:05``, ``1:02:03``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TerminalProgress:
    """``progress(done, total)`` callback printing one updating line to a terminal.

    Parameters
    ----------
    stream : TextIO, optional
        Where to print; standard error by default, so the bar does not mix with
        output a script may capture.
    label : str
        Printed before the bar (``"export"``), in the language in use when it is marked.
    interval : float
        Minimum seconds between redraws: redrawing every frame would cost more
        than the frame.
    clock : callable
        Seconds, monotonic; tests pass a fake one.
    unit : str
        What is counted (``"frames"``, ``"stills"``).

    Notes
    -----
    On a terminal the line is redrawn in place with ``\\r`` and ends with a
    newline when ``done == total`` (or on :meth:`close`). Elsewhere (a log
    file, a pipe) it prints a plain line at each quarter instead.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        label: str = N_("export"),
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        unit: str = N_("frames"),
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.unit = unit
        self.interval = interval
        self.clock = clock
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self._start: float | None = None
        self._first = 0
        self._last_draw = -float("inf")
        self._plain_next = 0
        self._open_line = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self._start is None:
            # The first callback comes after the first frame: count from here, and
            # the ETA is not skewed by start-up (Qt, ffmpeg launch).
            self._start = now
            self._first = done
        finished = done >= total
        if self.tty:
            if finished or now - self._last_draw >= self.interval:
                self._last_draw = now
                self.stream.write("\r" + self.line(done, total, now))
                self._open_line = True
                if finished:
                    self.close()
                else:
                    self.stream.flush()
        elif finished or done >= self._plain_next:
            self.stream.write(self.line(done, total, now) + "\n")
            self.stream.flush()
            self._plain_next = done + max(1, total // PLAIN_STEPS)

    def line(self, done: int, total: int, now: float) -> str:
        """The text of the line: label, bar, ``done/total frames``, rate, time left."""
        assert self._start is not None
        elapsed = now - self._start
        rate = (done - self._first) / elapsed if elapsed > 0 and done > self._first else 0.0
        if done >= total:
            eta = _("done in {time}").format(time=format_seconds(elapsed))
        elif rate > 0:
            eta = _("{time} left").format(time=format_seconds((total - done) / rate))
        else:
            eta = _("{time} left").format(time="--:--")
        filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        width = len(str(total))
        unit = _(self.unit)  # "frames" and "stills" are marked; another unit is shown as given
        per_second = "fps" if self.unit == "frames" else f"{unit}/s"
        speed = f"{rate:5.1f} {per_second}" if rate else f"  --- {per_second}"
        return f"{_(self.label)} [{bar}] {done:>{width}}/{total} {unit}  {speed}  {eta}"

    def close(self) -> None:
        """End the in-place line (after a cancel or an error, the bar is left as it was)."""
        if self._open_line:
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False
