"""Pure easing functions: map linear progress 0..1 to eased progress 0..1."""

from __future__ import annotations

from collections.abc import Callable

Easing = Callable[[float], float]


def clamp01(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def linear(x: float) -> float:
    return clamp01(x)


def ease_in_out_cubic(x: float) -> float:
    """Slow start, slow end: the default for cells filling in and rows lighting up."""
    x = clamp01(x)
    return 4 * x**3 if x < 0.5 else 1 - (-2 * x + 2) ** 3 / 2


def ease_out_cubic(x: float) -> float:
    """Fast start, gentle landing: bars growing, vectors sliding into a sum."""
    x = clamp01(x)
    return 1 - (1 - x) ** 3


def smoothstep(x: float) -> float:
    x = clamp01(x)
    return x * x * (3 - 2 * x)


EASINGS: dict[str, Easing] = {
    "linear": linear,
    "ease-in-out-cubic": ease_in_out_cubic,
    "ease-out-cubic": ease_out_cubic,
    "smoothstep": smoothstep,
}
