"""The window's process reuses the memory a frame freed: no page fault per 4 KB, every frame."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

# Eight 1 MB arrays alive at once, made and freed every frame, as a head view's paint does.
FRAMES = textwrap.dedent(
    """
    import ctypes, resource, sys
    import numpy as np
    try:
        ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        print("no glibc")
        raise SystemExit
    if sys.argv[1] == "application":
        from explainer.qt.application import application
        application()
    def frame():
        arrays = [np.ones(1 << 17) for _ in range(8)]
        return sum(a.sum() for a in arrays)
    for _ in range(3):
        frame()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(20):
        frame()
    print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 20)
    """
)


def faults_per_frame(process: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-c", FRAMES, process]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    if done.stdout.strip() == "no glibc":
        pytest.skip("no glibc: its malloc is left as it is")
    return float(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_the_window_process_reuses_freed_memory():
    # glibc alone hands the 8 MB back to the kernel each frame and faults it in again (2,016 here).
    assert faults_per_frame("plain") > 500
    assert faults_per_frame("application") < 20
