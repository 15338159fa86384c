"""``python main.py`` in a real X window, driven by real key presses: the lecture's walkthrough.

Everything else in tests/qt runs offscreen in this process. Here the app runs as
a user starts it: its own process, Qt's xcb platform, an X server (Xvfb, no
window manager) and keys sent through that server with xdotool (XTEST), so the
keyboard reaches the app the way a presenter clicker's does. HOME and the XDG
folders point into tmp_path: the developer's settings, recent files and
autosave are neither read nor written, and no crash-recovery question appears.

What the user sees is read from Xvfb's framebuffer (``-fbdir``: the screen as
a file), so the test can tell whether the keys moved the walkthrough.
"""

from __future__ import annotations

import hashlib
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explainer.animation import DEFAULT_DETAIL, Timeline
from explainer.model import AttentionModel
from explainer.model.presets import DEFAULT_PRESET

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "xdotool")
SKIP_REASON = (
    "needs Xvfb and xdotool to run the app in a real X window "
    "(make test installs them: scripts/ensure_system_deps.sh test python3)"
)
QUIET_FOR = 1.0  # s the screen must stay the same to count as settled: longer than a cursor blink
# Left out of the app's environment: another display, another session's X cookie.
NOT_PASSED = ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "XAUTHORITY", "DISPLAY")

pytestmark = pytest.mark.skipif(any(shutil.which(tool) is None for tool in TOOLS), reason=SKIP_REASON)


class RealWindow:
    """Xvfb on a free display, the app on it, and xdotool to press keys; ``close()`` ends both."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.screen_dir = tmp_path / "screen"
        self.screen_dir.mkdir()
        self.logs = {name: tmp_path / f"{name}.log" for name in ("xvfb", "stdout", "stderr")}
        self.xvfb: subprocess.Popen | None = None
        self.app: subprocess.Popen | None = None
        self.env: dict[str, str] = {}

    # ------------------------------------------------------------ start and stop
    def start_x(self, timeout: float = 20) -> None:
        """Start Xvfb; ``-displayfd`` picks a free display and names it once it accepts clients."""
        read_end, write_end = os.pipe()
        screen = ["-screen", "0", "1280x800x24", "-fbdir", str(self.screen_dir)]
        try:
            with self.logs["xvfb"].open("wb") as log:
                self.xvfb = subprocess.Popen(
                    ["Xvfb", "-displayfd", str(write_end), *screen, "-nolisten", "tcp"],
                    pass_fds=(write_end,),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
            os.close(write_end)
            write_end = -1
            number = b""
            deadline = time.monotonic() + timeout
            while not number.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([read_end], [], [], left)[0]:
                    raise AssertionError(f"Xvfb not ready after {timeout} s: {self._log('xvfb')}")
                chunk = os.read(read_end, 64)
                if not chunk:  # Xvfb exited without naming a display
                    raise AssertionError(f"Xvfb did not start: {self._log('xvfb')}")
                number += chunk
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)
        self.display = f":{int(number)}"

    def start_app(self) -> None:
        folders = {
            "HOME": "home",
            "XDG_CONFIG_HOME": "config",
            "XDG_DATA_HOME": "data",
            "XDG_CACHE_HOME": "cache",
            "XDG_RUNTIME_DIR": "runtime",
        }
        env = {k: v for k, v in os.environ.items() if k not in NOT_PASSED}
        for variable, name in folders.items():
            folder = self.tmp_path / name
            folder.mkdir(mode=0o700)  # Qt refuses a runtime folder others can read
            env[variable] = str(folder)
        env["DISPLAY"] = self.display
        self.env = env
        with self.logs["stdout"].open("wb") as out, self.logs["stderr"].open("wb") as err:
            self.app = subprocess.Popen(
                [sys.executable, "main.py"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )

    def close(self) -> None:
        """Kill what is still running (a test that passed has nothing left but Xvfb)."""
        for process in (self.app, self.xvfb):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    # ------------------------------------------------------------ the X side
    def xdotool(self, *args: str, timeout: float = 30) -> str:
        try:
            done = subprocess.run(
                ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"xdotool {' '.join(args)}: no answer in {timeout} s; {self.app_state()}"
            ) from None
        assert done.returncode == 0, f"xdotool {' '.join(args)}: {done.stderr.strip()}; {self.app_state()}"
        return done.stdout

    def keys(self, *keys: str) -> None:
        """Press and release each key in turn (XTEST: real events, to the focused window)."""
        self.xdotool("key", "--delay", "40", *keys)

    def screen(self) -> str:
        """A digest of the whole screen as Xvfb holds it (an XWD image: header, then the pixels)."""
        return hashlib.sha256((self.screen_dir / "Xvfb_screen0").read_bytes()).hexdigest()

    def settled(self, timeout: float = 15) -> str:
        """The screen once it has not changed for QUIET_FOR seconds (animations done)."""
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= QUIET_FOR:
                return now
        raise AssertionError(f"the screen kept changing for {timeout} s; {self.app_state()}")

    def changes_from(self, before: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while self.screen() == before:
            assert time.monotonic() < deadline, (
                f"the screen did not change in {timeout} s; {self.app_state()}"
            )
            time.sleep(0.02)

    # ------------------------------------------------------------ reports
    def _log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace").strip() or "(empty log)"

    def app_state(self) -> str:
        code = None if self.app is None else self.app.poll()
        running = "app running" if code is None else f"app exited with {code}"
        return f"{running}; app stderr: {self._log('stderr')}"


@pytest.fixture
def real_window(tmp_path):
    real = RealWindow(tmp_path)
    try:
        real.start_x()
        yield real
    finally:
        real.close()


def test_a_lecturer_steps_through_the_walkthrough_with_real_keys_and_quits(real_window):
    steps = len(Timeline(AttentionModel.from_preset(DEFAULT_PRESET).trace, DEFAULT_DETAIL).steps)
    real = real_window
    real.start_app()

    found = real.xdotool("search", "--sync", "--onlyvisible", "--name", "^Attention Explainer")
    (window,) = found.split()
    assert real.xdotool("getwindowname", window).strip() == f"Attention Explainer — {DEFAULT_PRESET}"
    real.xdotool("windowfocus", "--sync", window)  # no window manager: nothing else gives it the keys
    opened = real.settled()

    # A presenter clicker: Next until past the last step, each press skipping the running one.
    real.keys(*["Right"] * (steps + 3))
    walked = real.settled()
    assert walked != opened, "Right moved nothing on the screen"
    real.keys("End")
    assert real.settled() == walked, f"{steps + 3} × Right did not end on the last step, as End does"
    real.keys("Home")
    first = real.settled()
    assert first != walked, "Home did not leave the last step"

    real.keys("space")  # play ...
    real.changes_from(first)
    real.keys("space")  # ... and stop: the picture holds still, between the first and last steps
    paused = real.settled(timeout=5)
    assert paused not in (first, walked)

    real.keys("ctrl+q")
    assert real.app is not None
    try:
        code = real.app.wait(timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"Ctrl+Q did not end the app in 30 s; {real.app_state()}") from None
    assert code == 0, real.app_state()
    assert real.logs["stderr"].read_text(errors="replace") == ""
    assert real.logs["stdout"].read_text(errors="replace") == ""
