"""Qt tests run offscreen: no display needed, and no window flashes on a desktop."""

import os

# Before anything imports Qt: the platform plugin is chosen when QApplication starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
