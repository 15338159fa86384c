"""What the scene tests share: the views made and disposed, and checks of the text they painted."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication, QWidget

from explainer.qt.application import dispose
from explainer.qt.scenes.text_fit import PaintedText
from explainer.scenes import SceneFrame, SceneStep

SIZES = ((1280, 720), (1920, 1080))
THEMES = ("light", "dark")


def frame_of(step: SceneStep, progress: float = 1.0, previous: SceneStep | None = None) -> SceneFrame:
    """A frame of ``step`` at ``progress`` (linear easing: positions follow progress exactly)."""
    return SceneFrame(0.0, 0, step, progress, progress, previous)


def painted_now(widget: QWidget) -> None:
    """Paint ``widget`` now (a grab paints it as the screen would)."""
    QApplication.processEvents()
    widget.grab()


def close(widget: QWidget) -> None:
    shutdown = getattr(widget, "shutdown", None)
    if shutdown is not None:
        shutdown()
    dispose(widget)


def text_problems(
    painted: Iterable[PaintedText], bounds: QRectF, least_px: int, least_for: dict[str, int] | None = None
) -> list[str]:
    """Every text that is too small (``least_px``, or ``least_for[what]``), cut, outside ``bounds`` or
    overlapping another text."""
    least_for = least_for or {}
    texts = [p for p in painted if p.text.strip()]
    problems = []
    for p in texts:
        least = least_for.get(p.what, least_px)
        if p.px < least:
            problems.append(f"{p.owner} {p.what} {p.text!r}: {p.px} px < {least}")
        if not p.fits:
            problems.append(f"{p.owner} {p.what} {p.text!r}: cut (does not fit its box at {p.px} px)")
        if not bounds.adjusted(-0.5, -0.5, 0.5, 0.5).contains(p.rect):
            problems.append(f"{p.owner} {p.what} {p.text!r}: {p.rect} outside {bounds}")
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            overlap = a.rect.adjusted(0.5, 0.5, -0.5, -0.5).intersected(b.rect.adjusted(0.5, 0.5, -0.5, -0.5))
            if not overlap.isEmpty():
                problems.append(f"{a.owner} {a.text!r} overlaps {b.owner} {b.text!r}")
    return problems
