"""The script both start-up benchmarks run in a new process: ``python main.py ARGS`` to its first paint.

The runner puts ``START`` (time.perf_counter() at the script's start) and ``ARGS`` before it.
"""

# Quits as soon as a panel has painted once, so the process time is start-up to first paint.
FIRST_PAINT = """
import runpy, sys, time
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from explainer.qt.app import application

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched.parent(), pg.GraphicsView):
            if not hasattr(self, "at"):
                self.at = time.perf_counter()
                QTimer.singleShot(0, application().quit)
        return False

first_paint = FirstPaint()
application().installEventFilter(first_paint)
sys.argv = ["main.py", *ARGS]
try:
    runpy.run_path("main.py", run_name="__main__")
finally:
    print(f"first paint {first_paint.at - START:.3f} s after the script started", file=sys.stderr)
"""
