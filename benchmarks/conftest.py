"""Benchmarks that open windows run offscreen, like the Qt tests (`make bench` sets it too)."""

import os
import tempfile

# Before anything imports Qt: the platform plugin is chosen when QApplication starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# As the app does (explainer/cli.py main): one BLAS thread (small matrices, 2 cores shared with the GUI).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Settings (the remembered view, recent files) and autosaves in a throwaway folder, as in the tests:
# the windows read the user's settings, so one presenter view remembered from using the app made
# every benchmark window open in the presenter view instead of the overview they measure.
_SANDBOX = tempfile.mkdtemp(prefix="attention-explainer-bench-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_SANDBOX, "data")
