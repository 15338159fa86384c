"""An export process interrupted from outside: Ctrl+C cleans up; a killed one is cleaned up next time."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from export_helpers import make_frames

from explainer.export import export_video, probe

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

ROOT = Path(__file__).resolve().parents[2]
# A slow export (a frame every 20 ms, like a renderer): long enough to interrupt midway.
SLOW_EXPORT = """
import signal, sys, time, numpy as np
# Ctrl+C as in a terminal: run from a background job, the test inherits SIGINT ignored.
signal.signal(signal.SIGINT, signal.default_int_handler)
from pathlib import Path
from explainer.export import export_video
def frames():
    for k in range(500):
        time.sleep(0.02)
        yield np.full((48, 64, 3), k % 256, np.uint8)
export_video(frames(), Path(sys.argv[1]), fps=30, total=500, force=sys.argv[2] == "force")
"""


def start_slow_export(target: Path, force: bool = False) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", SLOW_EXPORT, str(target), "force" if force else "-"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    # Wait until it is writing: its partial file has appeared beside the target.
    while not list(target.parent.glob(f".{target.name}.partial-*")):
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "the export never started"
        time.sleep(0.02)
    time.sleep(0.2)
    return process


def test_ctrl_c_leaves_no_partial_and_the_old_file(tmp_path):
    target = tmp_path / "talk.mp4"
    target.write_bytes(b"old lecture")
    process = start_slow_export(target, force=True)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode != 0
    assert b"KeyboardInterrupt" in stderr
    assert [p.name for p in tmp_path.iterdir()] == ["talk.mp4"]
    assert target.read_bytes() == b"old lecture"


def test_a_killed_export_is_cleaned_up_by_the_next_one(tmp_path):
    target = tmp_path / "talk.mp4"
    process = start_slow_export(target)
    process.kill()  # SIGKILL: no chance to clean up
    process.communicate(timeout=20)
    partials = list(tmp_path.glob(".talk.mp4.partial-*"))
    assert partials, "a killed run leaves its partial"
    assert not target.exists()
    # ffmpeg, orphaned, sees the end of its input and exits by itself; give it a moment.
    time.sleep(0.3)
    export_video(make_frames(3), target, fps=10, total=3)
    assert [p.name for p in tmp_path.iterdir()] == ["talk.mp4"]
    assert probe(target)["frames"] == 3
