"""The one QApplication, Qt's messages, and closing widgets before the interpreter exits.

Below everything else in explainer.qt (the window, export, screenshots use it) so that
offscreen rendering never needs the main window module.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from importlib.resources import files

from PySide6.QtCore import QCoreApplication, QEvent, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication, QWidget

from .malloc_reuse import keep_freed_memory

__all__ = ["APP_NAME", "application", "dispose", "settle_memory"]

APP_NAME = "Attention Explainer"
CJK_FONT = "NotoSansCJKkr-Subset.otf"  # Hangul, kana, the presets' kanji (tools/make_cjk_font.py)

# Qt's offscreen platform says this on every window it shows; it is noise, not a fault.
QUIET_MESSAGES = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
)


def _message_handler(kind: QtMsgType, _context: object, message: str) -> None:
    if message in QUIET_MESSAGES:
        return
    print(message, file=sys.stderr)


def application(argv: Sequence[str] = ("attention-explainer",)) -> QApplication:
    """The one QApplication, created on first use."""
    qInstallMessageHandler(_message_handler)
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv))
        app.setApplicationName(APP_NAME)
        keep_freed_memory()
        add_shipped_fonts(app)
    assert isinstance(app, QApplication)
    return app


def settle_memory() -> None:
    """Collect garbage once, then leave the objects alive now out of later collections.

    A window holds some 100,000 Python objects; a full collection walks them all
    (50 ms here) at a moment Python picks, e.g. in the middle of an edit's frame.
    Frozen objects are still freed when their last reference goes.
    """
    global _settled
    _settled = True
    gc.unfreeze()
    gc.collect()
    gc.freeze()


_settled = False  # settle_memory has frozen a window's objects: disposing one must unfreeze


def add_shipped_fonts(app: QApplication) -> None:
    """Register the shipped CJK font and put it behind the default family.

    Latin text keeps the system's font; a character it lacks (Hangul, kana, the
    presets' kanji) falls back to the shipped one, in the window and in every
    export, on a machine with no CJK font of its own.
    """
    data = (files("explainer.resources") / "fonts" / CJK_FONT).read_bytes()  # works from a wheel too
    font_id = QFontDatabase.addApplicationFontFromData(data)
    if font_id < 0:
        print(f"{APP_NAME}: cannot load {CJK_FONT}: Korean and Japanese show as boxes", file=sys.stderr)
        return
    font = app.font()
    # The family the default resolves to ("Sans Serif" is an alias), so Latin text keeps its look.
    font.setFamilies([QFontInfo(font).family(), *QFontDatabase.applicationFontFamilies(font_id)])
    app.setFont(font)


def dispose(widget: QWidget) -> None:
    """Close and delete ``widget`` now, not at interpreter exit.

    pyqtgraph widgets still alive when Python finalizes can segfault, so the
    deferred delete is flushed here while the QApplication still exists.
    """
    if hasattr(widget, "force_close"):
        widget.force_close = True  # no "save changes?" question: the caller is done with it
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    release_wrappers()


def release_wrappers() -> None:
    """Free the Python side of deleted widgets now, at a quiet moment.

    A window's Python objects form reference cycles (signal handlers, panels and
    their items), so only the cyclic GC frees them. Left to itself it runs at
    the next large allocation, which can fall inside pyqtgraph building another
    window's items, and freeing dead wrappers there has crashed the interpreter.
    """
    if not _settled:  # nothing of a window frozen: a plain collection, frozen objects skipped
        gc.collect()
        return
    gc.unfreeze()  # what settle_memory froze is collectable again …
    gc.collect()
    gc.freeze()  # … and what is still alive stays out of later collections
