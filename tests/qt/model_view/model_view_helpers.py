"""What the model view tests share: attentions of any shape, a view shown at a size, its pixels."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from explainer.qt.model_view import ModelView
from explainer.qt.style import THEME_STYLES, Appearance


def synthetic_attentions(n_layers: int, n_heads: int, n: int, seed: int = 0) -> np.ndarray:
    """Random rows that sum to 1, sharp enough to use the whole colour scale."""
    scores = np.random.default_rng(seed).normal(0.0, 2.5, (n_layers, n_heads, n, n))
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def tokens_of(n: int) -> tuple[str, ...]:
    return ("[CLS]", *(f"w{i}" for i in range(1, n - 1)), "[SEP]")


def shown_view(qtbot, attentions: np.ndarray, size=(1280, 720), theme="light") -> ModelView:  # type: ignore[no-untyped-def]
    view = ModelView(Appearance(theme=THEME_STYLES[theme]))
    qtbot.addWidget(view, before_close_func=lambda v: v.shutdown())
    view.resize(*size)
    view.set_attentions(attentions, tokens_of(attentions.shape[2]))
    view.show()
    qtbot.waitExposed(view)
    return view


def grabbed(view: ModelView) -> QImage:
    """The view as the screen shows it (painting it records thumbnails and labels)."""
    QApplication.processEvents()
    return view.grab().toImage()


def pixel(image: QImage, x: float, y: float) -> QColor:
    return image.pixelColor(int(x), int(y))


def cell_centre(rect: QRectF, n: int, i: int, j: int) -> tuple[float, float]:
    """The middle of token cell (query i, key j) of a thumbnail drawn in ``rect``."""
    return rect.left() + (j + 0.5) * rect.width() / n, rect.top() + (i + 0.5) * rect.height() / n


def close_colours(a: QColor, b: QColor, tolerance: int = 1) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))
