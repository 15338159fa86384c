"""Benchmarks that open windows run offscreen, like the Qt tests (`make bench` sets it too)."""

import os

# Before anything imports Qt: the platform plugin is chosen when QApplication starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# As main.py does for the app: one BLAS thread (small matrices, 2 cores shared with the GUI).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
