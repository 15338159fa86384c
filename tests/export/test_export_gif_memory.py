"""A GIF's memory does not grow with its length (issue 15, defect 6).

One ffmpeg graph (split → palettegen → paletteuse) held every frame until the
palette existed: 4.9 GB for the default preset at 720p. Here every ffmpeg the
export runs is wrapped so that its peak resident memory is recorded.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np
import pytest

from explainer.export import export_video, probe
from explainer.export import ffmpeg as ffmpeg_module

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="os.wait4 and a script as ffmpeg")

WIDTH, HEIGHT, FRAMES = 640, 360, 600  # 396 MiB of RGB frames
WRAPPER = """#!{python}
import os, subprocess, sys
child = subprocess.Popen([{real!r}, *sys.argv[1:]])
_, status, usage = os.wait4(child.pid, 0)
with open({log!r}, "a") as log:
    log.write(f"{{usage.ru_maxrss}}\\n")  # kB on Linux
sys.exit(os.waitstatus_to_exitcode(status))
"""


def slide_frames() -> Iterator[np.ndarray]:
    """A still background with a block that moves and changes colour, as a walkthrough does."""
    base = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    base[..., 1] = (np.arange(WIDTH) * 255 // WIDTH)[None, :]
    for k in range(FRAMES):
        frame = base.copy()
        left = (k * 3) % (WIDTH - 80)
        frame[40:120, left : left + 80] = (k * 7 % 256, 30, 200)
        yield frame


def test_a_long_gif_does_not_hold_its_frames_in_memory(tmp_path, monkeypatch):
    log = tmp_path / "peaks.txt"
    wrapper = tmp_path / "ffmpeg-measured"
    wrapper.write_text(WRAPPER.format(python=sys.executable, real=ffmpeg_module.ffmpeg_exe(), log=str(log)))
    wrapper.chmod(0o755)
    monkeypatch.setattr(ffmpeg_module, "ffmpeg_exe", lambda: str(wrapper))
    out = tmp_path / "out"
    out.mkdir()
    path = export_video(slide_frames(), out / "talk.gif", fps=30, total=FRAMES)
    peaks_mb = [int(line) / 1024 for line in log.read_text().split()]
    held_mb = WIDTH * HEIGHT * 3 * FRAMES / 2**20
    # Before: one ffmpeg of 604 MB here. Now each pass streams its frames (about 55 MB).
    assert max(peaks_mb) < held_mb / 3, f"ffmpeg peaks {peaks_mb} MB for {held_mb:.0f} MB of frames"
    assert [p.name for p in out.iterdir()] == ["talk.gif"]  # the passes' temporaries are gone
    info = probe(path)
    assert (info["codec"], info["width"], info["height"], info["frames"]) == ("gif", WIDTH, HEIGHT, FRAMES)
