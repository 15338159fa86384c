"""What the head view tests share: models with many heads and tokens, painting now, pixels, lines."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

from explainer.model import AttentionModel
from explainer.qt.application import dispose
from explainer.qt.head_view import HeadView

WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "the",
    "lazy",
    "dog",
    "while",
    "a",
    "small",
    "cat",
    "sleeps",
    "near",
    "the",
    "warm",
    "fire",
    "in",
    "an",
    "old",
    "stone",
    "house",
    "by",
    "the",
    "river",
]
OTHER_WORDS = [
    "le",
    "renard",
    "brun",
    "saute",
    "par",
    "dessus",
    "le",
    "chien",
    "paresseux",
    "pendant",
    "qu",
    "un",
    "petit",
    "chat",
    "dort",
    "pres",
    "du",
    "feu",
    "dans",
    "une",
    "vieille",
    "maison",
    "de",
    "pierre",
    "au",
    "bord",
    "de",
    "la",
    "riviere",
]


def many_heads(
    n_heads: int = 12, n_q: int = 20, n_k: int | None = None, causal: bool = False
) -> AttentionModel:
    """A model with ``n_heads`` heads on ``n_q`` query words (self-attention), or ``n_k`` other key words."""
    model = AttentionModel.from_preset("seed-causal" if causal else "seed-self")
    model.set_dims(n_heads=n_heads, d_model=48, d_k=8, seed=3)
    model.set_tokens(WORDS[:n_q], None if n_k is None else OTHER_WORDS[:n_k])
    return model


def painted_now(widget: QWidget) -> None:
    """Paint ``widget`` now (a grab paints it as the screen would)."""
    QApplication.processEvents()
    widget.grab()


def close(widget: QWidget) -> None:
    widget.shutdown()  # type: ignore[attr-defined]
    dispose(widget)


def colour_at(widget: QWidget, point: QPointF) -> QColor:
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def distance(a: QColor, b: QColor) -> int:
    return sum(abs(x - y) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def drawn_pairs(view: HeadView) -> dict[tuple[int, int, int], float]:
    """The lines of the last paint: (head, i, j) → opacity, each pair once."""
    pairs = {(line.head, line.i, line.j): line.alpha for line in view.lines}
    assert len(pairs) == len(view.lines), "a pair drawn twice"
    return pairs


def visible(alpha: float) -> bool:
    """Whether a line of opacity ``alpha`` has at least one alpha byte (anything less shows nothing)."""
    return round(alpha * 255) >= 1
