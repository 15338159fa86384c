"""The head view's line rasteriser: every line as opaque as its α, unbroken, laid over as paint is."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.qt.head_view.raster import SUB, lines_alpha, premultiplied_argb

SHAPE = (60, 40)  # rows, cols
X_FROM, X_TO = 2.0, 38.0


def one_line(y_from: float, y_to: float, level: int) -> np.ndarray:
    return lines_alpha(np.array([y_from]), np.array([y_to]), np.array([level]), X_FROM, X_TO, SHAPE)


def test_a_level_line_on_pixel_centres_fills_one_row_at_its_alpha():
    cover = one_line(10.5, 10.5, 128)
    assert np.allclose(cover[10, 2:38], 128 / 255, atol=1e-6)
    assert np.count_nonzero(cover) == 36, "nothing outside the row between the columns"


def test_lines_of_one_colour_cover_as_paint_laid_over():
    # Three lines through the same row: 1 − (1 − a)(1 − b)(1 − c), in any order.
    levels = np.array([51, 102, 204])
    cover = lines_alpha(np.full(3, 20.5), np.full(3, 20.5), levels, X_FROM, X_TO, SHAPE)
    expected = 1 - np.prod(1 - levels / 255)
    assert np.allclose(cover[20, 2:38], expected, atol=1e-6)
    reversed_ = lines_alpha(np.full(3, 20.5), np.full(3, 20.5), levels[::-1], X_FROM, X_TO, SHAPE)
    assert np.array_equal(cover, reversed_)


def test_a_full_line_is_opaque():
    assert one_line(30.5, 30.5, 255)[30, 20] > 1 - 1e-5


@settings(max_examples=60, deadline=None)
@given(
    y_from=st.floats(1.0, 58.0),
    y_to=st.floats(1.0, 58.0),
    level=st.integers(1, 255),
)
def test_every_line_is_unbroken_and_as_opaque_as_its_alpha(y_from, y_to, level):
    """Each column a gentle line crosses (each row, a steep one) holds its α, shared by two pixels."""
    cover = one_line(y_from, y_to, level).astype(float)
    alpha = level / 255
    # Shared by its place in 1/SUB: the two pixels' sum is a·(c + 1 − c) up to that rounding.
    tolerance = alpha / SUB + 1e-6
    if abs(y_to - y_from) <= X_TO - X_FROM:
        sums = cover[:, 2:38].sum(axis=0)
    else:
        low, high = sorted((y_from, y_to))
        inside = [r for r in range(SHAPE[0]) if low <= r + 0.5 <= high]
        sums = cover[inside].sum(axis=1)
    assert len(sums) > 0
    assert np.all(np.abs(sums - alpha) <= tolerance), (sums.min(), sums.max(), alpha)


def test_no_line_covers_nothing():
    empty = np.array([])
    cover = lines_alpha(empty, empty, np.array([], int), X_FROM, X_TO, SHAPE)
    assert cover.shape == SHAPE and not cover.any()


def test_pixels_are_premultiplied_words_of_the_colour():
    cover = np.array([[0.0, 0.5, 1.0]], np.float32)
    words = premultiplied_argb((200, 100, 50), cover)
    a, r, g, b = (words >> 24) & 255, (words >> 16) & 255, (words >> 8) & 255, words & 255
    assert a.tolist() == [[0, 128, 255]]
    assert (r.tolist(), g.tolist(), b.tolist()) == ([[0, 100, 200]], [[0, 50, 100]], [[0, 25, 50]])
    assert np.all((r <= a) & (g <= a) & (b <= a)), "a channel above its alpha is no premultiplied pixel"
