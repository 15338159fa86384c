"""An encoder that fails midway (a full disk, ffmpeg gone) stops the export at once (issue 15, defect 9).

A full disk is simulated without root or a mount: the ffmpeg child gets RLIMIT_FSIZE (with
SIGXFSZ ignored), so its writes beyond the limit fail with EFBIG, as they would with ENOSPC.
"""

from __future__ import annotations

import resource
import signal
import sys
import time
from collections.abc import Iterator

import numpy as np
import pytest

from explainer.export import ExportError, export_video
from explainer.export import ffmpeg as ffmpeg_module

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits and shell scripts")

TOTAL = 300
WIDTH, HEIGHT = 160, 120


class Frames:
    """Frames of noise (so every format's output grows quickly), counting how many were made."""

    def __init__(self) -> None:
        self.made = 0
        self.rng = np.random.default_rng(1)

    def __iter__(self) -> Iterator[np.ndarray]:
        for _ in range(TOTAL):
            self.made += 1
            yield self.rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)


def disk_full_after(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """Every file ffmpeg writes fails beyond ``limit`` bytes (EFBIG), as on a full disk."""
    original = ffmpeg_module.session_kwargs

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing ffmpeg
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    monkeypatch.setattr(ffmpeg_module, "session_kwargs", lambda: {**original(), "preexec_fn": limited})


# Where the disk fills: MP4 and GIF midway (their output grows, in one file); PNG frames
# are a file each, smaller than the limit, so there it is full from the first frame on.
@pytest.mark.parametrize(
    ("name", "limit"),
    [("talk.mp4", 200_000), ("talk.gif", 200_000), ("frames", 20_000), ("talk.zip", 20_000)],
)
def test_a_disk_that_fills_up_stops_the_export_within_a_few_frames(tmp_path, monkeypatch, name, limit):
    # Before: the GIF (written only once every frame was in) failed after all 300 frames.
    disk_full_after(monkeypatch, limit)  # about 4 frames of noise in one MP4 or GIF
    frames = Frames()
    with pytest.raises(ExportError, match=r"^[\w ]+ export failed: file too large \(ffmpeg exited") as info:
        export_video(frames, tmp_path / name, fps=30, total=TOTAL)
    # The MP4's encoder holds a few dozen frames (lookahead, B-frames, threads) before it writes.
    assert frames.made < TOTAL // 4, f"{frames.made} of {TOTAL} frames made before the failure was noticed"
    assert "File too large" in str(info.value)
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_an_encoder_that_dies_is_noticed_before_the_next_frame_is_made(tmp_path, monkeypatch):
    stop_after = 5
    script = tmp_path / "ffmpeg-dies"
    frame_bytes = WIDTH * HEIGHT * 3
    script.write_text(
        f"#!/bin/sh\nhead -c {stop_after * frame_bytes} >/dev/null\necho 'lost the disk' >&2\nexit 1\n"
    )
    script.chmod(0o755)
    monkeypatch.setattr(ffmpeg_module, "ffmpeg_exe", lambda: str(script))
    out = tmp_path / "out"
    out.mkdir()
    frames = Frames()
    waited: list[int] = []

    def progress(done: int, _total: int) -> None:
        if done == stop_after:  # the encoder has all it will read; let it exit while "rendering"
            waited.append(done)
            time.sleep(0.5)

    with pytest.raises(
        ExportError, match=r"^MP4 export failed: ffmpeg exited with status 1:\nlost the disk$"
    ):
        export_video(frames, out / "talk.mp4", fps=30, total=TOTAL, progress=progress)
    assert waited == [stop_after]
    assert frames.made == stop_after  # not one frame rendered for an encoder that is gone
    assert list(out.iterdir()) == []
