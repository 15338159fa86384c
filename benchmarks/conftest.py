"""Benchmarks that open windows run offscreen, like the Qt tests (`make bench` sets it too)."""

import os

# Before anything imports Qt: the platform plugin is chosen when QApplication starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# As the app does (explainer/cli.py main): one BLAS thread (small matrices, 2 cores shared with the GUI).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
