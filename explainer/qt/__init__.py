"""The Qt front end: the only package that imports PySide6 and pyqtgraph."""

from .app import build_window, dispose, run_app

__all__ = ["build_window", "dispose", "run_app"]
