"""Frame writers: RGB frames in, an MP4, a GIF, a folder or a zip of PNG frames out.

Every writer pipes raw RGB frames into the ffmpeg binary imageio-ffmpeg ships,
so the encoding runs in ffmpeg's own process, overlapping with the rendering
of the next frame, and nothing is stored on disk before it is encoded (the
zip's PNGs and the GIF's lossless first pass excepted: a zip is written once
its members exist, a GIF once its palette does). A failing ffmpeg (a full
disk) is noticed before the next frame is rendered.
"""

from __future__ import annotations

import abc
import contextlib
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import IO

import numpy as np

from ..i18n import N_, _
from . import ffmpeg
from .errors import ExportError
from .gif_timing import delays, set_delays
from .options import check_fps, output_kind

FRAME_PATTERN = "frame_%05d.png"
# What ffmpeg prints when the output cannot be written: said first, so the first line tells.
OUTPUT_FAILURES = (
    "No space left on device",
    "Disk quota exceeded",
    "File too large",
    "Read-only file system",
    "Permission denied",
    "Input/output error",
)


class FrameWriter(abc.ABC):
    """Writes a sequence of equally sized RGB frames to one output.

    Call :meth:`open` once, :meth:`write` per frame, then :meth:`close` to
    finish the output, or :meth:`abort` to stop and discard it.
    """

    def __init__(self, path: Path, fps: float):
        self.path = Path(path)
        self.fps = check_fps(fps)
        self.size: tuple[int, int] | None = None
        self.frames = 0

    @abc.abstractmethod
    def open(self, width: int, height: int, fps: float | None = None) -> None:
        """Start the output for frames of ``width`` x ``height`` at ``fps`` (default: the writer's)."""

    @abc.abstractmethod
    def write(self, frame: np.ndarray, repeat: int = 1) -> None:
        """Append ``frame`` (an ``(height, width, 3)`` uint8 RGB array), shown for ``repeat`` frames."""

    @abc.abstractmethod
    def close(self) -> None:
        """Finish the output; raises :class:`ExportError` if it could not be completed."""

    @abc.abstractmethod
    def abort(self) -> None:
        """Stop at once and release everything; the output is left incomplete. Never raises."""

    def check(self) -> None:  # noqa: B027 (optional: a writer that cannot fail midway has nothing to check)
        """Raise :class:`ExportError` if the output has failed already (called before each frame is made)."""

    def _check_repeat(self, repeat: int) -> None:
        if repeat < 1:
            raise ValueError(
                _("frame {n}: expected to hold it 1 frame or more, got {repeat}").format(
                    n=self.frames + 1, repeat=repeat
                )
            )

    def _checked(self, frame: np.ndarray, repeat: int = 1) -> np.ndarray:
        if self.size is None:
            raise RuntimeError("open() the writer before writing frames")
        self._check_repeat(repeat)
        width, height = self.size
        if frame.dtype != np.uint8 or frame.shape != (height, width, 3):
            raise ValueError(
                _("frame {n}: expected a ({height}, {width}, 3) uint8 RGB array, got {shape} {dtype}").format(
                    n=self.frames + 1, height=height, width=width, shape=frame.shape, dtype=frame.dtype
                )
            )
        return np.ascontiguousarray(frame)


class FfmpegWriter(FrameWriter):
    """Pipes frames as rawvideo rgb24 into ffmpeg's stdin; subclasses give the output arguments."""

    label = "ffmpeg"

    def __init__(self, path: Path, fps: float):
        super().__init__(path, fps)
        self._process: subprocess.Popen[bytes] | None = None
        self._stdin: IO[bytes] | None = None
        self._log: IO[bytes] | None = None

    @abc.abstractmethod
    def output_args(self, width: int, height: int) -> list[str]:
        """ffmpeg's output options and output, after the rawvideo input."""

    def open(self, width: int, height: int, fps: float | None = None) -> None:
        if fps is not None:
            self.fps = check_fps(fps)
        if width < 1 or height < 1:
            raise ValueError(
                _("frame size: expected a positive width and height, got {size}").format(
                    size=f"{width}x{height}"
                )
            )
        output = self.output_args(width, height)
        raw = ("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}")
        self._start([*raw, "-r", ffmpeg.rate(self.fps), "-i", "pipe:0", *output], stdin=True)
        self._stdin = self._process.stdin if self._process is not None else None
        self.size = (width, height)

    def _start(self, arguments: list[str], stdin: bool) -> None:
        """Run ffmpeg with ``arguments``, its stderr to a temporary log; ``stdin``: frames are piped in."""
        exe = ffmpeg.ffmpeg_exe()
        command = [exe, "-hide_banner", "-nostats", "-loglevel", "error", "-y", *arguments]
        # stderr goes to a file, not a pipe: nobody reads a pipe while frames are
        # written, and a full stderr pipe would block ffmpeg and then us.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (lives until close/abort)
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                **ffmpeg.session_kwargs(),
            )
        except OSError as error:
            self._release()
            raise ExportError(
                _("{label}: cannot run ffmpeg ({exe}): {error}").format(
                    label=_(self.label), exe=exe, error=error
                )
            ) from error

    def write(self, frame: np.ndarray, repeat: int = 1) -> None:
        frame = self._checked(frame, repeat)
        assert self._stdin is not None
        try:
            for _frame in range(repeat):  # a held picture is every one of its frames in a video
                self._stdin.write(frame.data)
        except OSError as error:  # BrokenPipeError: ffmpeg quit
            self._fail(error)
        self.frames += repeat

    def check(self) -> None:
        # ffmpeg exits as soon as its output fails (a full disk, a vanished folder):
        # stop before the next frame is rendered rather than at the next write.
        if self._process is not None and self._process.poll() is not None:
            self._fail(None)

    def close(self) -> None:
        if self._process is None:
            raise RuntimeError("open() the writer before closing it")
        try:
            assert self._stdin is not None
            self._stdin.close()  # end of input: ffmpeg flushes the encoder and finishes the file
        except OSError as error:
            self._fail(error)
        status = self._process.wait()
        if status != 0:
            self._fail(None)
        self._release()

    def abort(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
        if self._stdin is not None:
            # A broken pipe here only means ffmpeg is gone already, which is the point.
            with contextlib.suppress(OSError):
                self._stdin.close()
        if process is not None:
            process.wait()
        self._release()

    def _fail(self, error: OSError | None) -> None:
        """Wait for ffmpeg to exit, then raise ExportError with what it printed."""
        assert self._process is not None and self._log is not None
        if self._stdin is not None:
            with contextlib.suppress(OSError):
                self._stdin.close()
        try:
            status = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            status = self._process.wait()
        log = ffmpeg.tail(self._log)
        self._release()
        if status:
            reason = _("ffmpeg exited with status {status}").format(status=status)
        elif error:
            reason = _("ffmpeg stopped reading ({error})").format(error=error)
        else:
            reason = _("ffmpeg stopped before the last frame")
        cause = next((cause for cause in OUTPUT_FAILURES if cause in log), None)
        if cause:  # ffmpeg's own words for it, as it printed them
            reason = f"{cause.lower()} ({reason})"
        message = _("{label} export failed: {reason}").format(label=_(self.label), reason=reason)
        raise ExportError(f"{message}:\n{log}" if log else message) from error

    def _release(self) -> None:
        if self._log is not None:
            self._log.close()
        self._process = self._stdin = self._log = None


class Mp4Writer(FfmpegWriter):
    """H.264 in yuv420p, tagged BT.709: plays in PowerPoint, Keynote, Google Slides and browsers."""

    label = "MP4"
    crf = 18  # visually lossless for flat UI colours and text; files stay small
    preset = "veryfast"  # about 150 frames/s at 720p on 2 cores: the renderer, not x264, sets the pace

    def output_args(self, width: int, height: int) -> list[str]:
        if width % 2 or height % 2:
            raise ValueError(
                _("size: an MP4 (H.264, yuv420p) needs an even width and height, got {size}").format(
                    size=f"{width}x{height}"
                )
            )
        # Convert with the BT.709 matrix and say so: untagged HD video is decoded as
        # BT.709 by browsers and slide software, and ffmpeg's default is BT.601,
        # which shifts every colour of the panels.
        tags = "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709"
        return [
            *("-vf", f"scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,{tags}"),
            *("-c:v", "libx264", "-preset", self.preset, "-crf", str(self.crf), "-pix_fmt", "yuv420p"),
            *("-movflags", "+faststart", "-an"),
            # The output rate equals the input rate: one frame in, one frame out.
            *("-r", ffmpeg.rate(self.fps), "-f", "mp4", ffmpeg.local(self.path)),
        ]


class GifWriter(FfmpegWriter):
    """An animated GIF with one palette made for the whole animation, looping forever.

    Two passes, so that memory stays bounded however long the animation: the
    first stores the frames losslessly in a temporary file beside the output
    (H.264 RGB at QP 0: flat panels take a few kB a frame) while palettegen
    counts every frame's colours; the second maps that file's frames onto the
    palette. A picture written with ``repeat`` is stored once and shown as one
    image for all its frames. A single ffmpeg graph (split → palettegen → paletteuse) would hold
    every frame in memory until the palette exists: 4.9 GB for the default
    preset at 720p.
    """

    label = "GIF"

    def __init__(self, path: Path, fps: float):
        super().__init__(path, fps)
        # How many frames each image lasts: a held picture is one image with a long
        # delay, set once ffmpeg has written the file (see gif_timing).
        self.durations: list[int] = []
        # Named after the output (itself a partial-<pid> temporary): a killed run's
        # leftovers are removed with it by the next export of the same target.
        self.frames_path = self.path.with_name(self.path.name + ".frames.nut")
        self.palette_path = self.path.with_name(self.path.name + ".palette.png")

    def output_args(self, width: int, height: int) -> list[str]:
        return [
            *("-filter_complex", "split[frames][stats];[stats]palettegen=stats_mode=full[palette]"),
            *("-map", "[frames]", "-c:v", "libx264rgb", "-preset", "ultrafast", "-qp", "0"),
            *("-f", "nut", ffmpeg.local(self.frames_path)),
            *("-map", "[palette]", "-frames:v", "1", "-update", "1", "-f", "image2"),
            ffmpeg.local(self.palette_path),
        ]

    def write(self, frame: np.ndarray, repeat: int = 1) -> None:
        self._check_repeat(repeat)
        super().write(frame)
        self.durations.append(repeat)
        self.frames += repeat - 1

    def close(self) -> None:
        try:
            super().close()
            # diff_mode=rectangle dithers only the changed part of each frame, so the
            # panels that do not move do not shimmer from frame to frame.
            self._start(
                [
                    *("-r", ffmpeg.rate(self.fps), "-i", ffmpeg.local(self.frames_path)),
                    *("-i", ffmpeg.local(self.palette_path)),
                    *("-filter_complex", "[0:v][1:v]paletteuse=diff_mode=rectangle"),
                    *("-loop", "0", "-f", "gif", ffmpeg.local(self.path)),
                ],
                stdin=False,
            )
            assert self._process is not None
            if self._process.wait() != 0:
                self._fail(None)
            self._release()
            # Every image for as long as it was given, the last one included: ffmpeg
            # would give the last the delay of the one before (a looping GIF would jump
            # back 1/fps after reaching its finished picture).
            set_delays(self.path, delays(self.durations, self.fps))
        finally:
            self._remove_passes()

    def abort(self) -> None:
        super().abort()
        self._remove_passes()

    def _remove_passes(self) -> None:
        for temporary in (self.frames_path, self.palette_path):
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


class FramesWriter(FfmpegWriter):
    """Numbered PNG frames ``frame_00001.png`` … in the folder ``path`` (created if missing)."""

    label = N_("PNG frames")  # looked up where a message shows it

    def output_args(self, width: int, height: int) -> list[str]:
        self.path.mkdir(exist_ok=True)
        # image2 reads % in the output name as a pattern: a literal one is doubled.
        # Absolute first (ffmpeg gets file: paths), so a % in the working folder is doubled too.
        folder = str(self.path.absolute()).replace("%", "%%")
        return [
            *("-c:v", "png", "-pix_fmt", "rgb24", "-f", "image2", "-start_number", "1"),
            ffmpeg.local(Path(folder) / FRAME_PATTERN),
        ]


class ZipWriter(FramesWriter):
    """The same numbered PNG frames in a ``.zip``; the PNGs are written to a folder beside it first."""

    label = "ZIP"

    def __init__(self, path: Path, fps: float):
        self.zip_path = Path(path)
        # Beside the zip, named after it: a killed run's leftovers match the same
        # partial-name pattern the zip's own temporary does, and are cleaned with it.
        super().__init__(self.zip_path.with_name(self.zip_path.name + ".frames"), fps)

    def close(self) -> None:
        try:
            super().close()
            members = sorted(self.path.glob("frame_*.png"))
            # PNG is compressed already: deflating it again costs time and saves nothing.
            with zipfile.ZipFile(self.zip_path, "w", compression=zipfile.ZIP_STORED) as archive:
                for member in members:
                    archive.write(member, member.name)
        finally:
            shutil.rmtree(self.path, ignore_errors=True)

    def abort(self) -> None:
        super().abort()
        shutil.rmtree(self.path, ignore_errors=True)


WRITERS: dict[str, type[FfmpegWriter]] = {
    "mp4": Mp4Writer,
    "gif": GifWriter,
    "frames": FramesWriter,
    "zip": ZipWriter,
}


def writer_for(path: Path, fps: float, kind: str | None = None) -> FrameWriter:
    """The writer for ``path``'s kind (``mp4``, ``gif``, ``zip`` or ``frames``).

    Parameters
    ----------
    path : Path
        Where to write; usually the temporary path from
        :func:`~explainer.export.atomic.atomic_target`.
    fps : float
        Frames per second, 1 to 120.
    kind : str, optional
        The output kind, when ``path`` (a temporary name) does not show it.

    Raises
    ------
    ValueError
        For a still (``.png``, ``.svg``) or an unsupported extension.
    """
    kind = kind or output_kind(Path(path))
    if kind not in WRITERS:
        raise ValueError(
            _("a .{kind} is a still of one step, not an animation; export it as a still").format(kind=kind)
        )
    return WRITERS[kind](Path(path), fps)
