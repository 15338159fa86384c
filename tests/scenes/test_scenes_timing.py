"""The timing of n RNN steps against one attention product: structure, progress, cancel, caption.

How fast either one is belongs to benchmarks; these tests check what is measured and said.
"""

from __future__ import annotations

import re

import pytest

from explainer.scenes import SIZES, TimingPoint, format_seconds, measure_timings, timing_caption

SMALL = (4, 8, 16)


def test_one_point_per_size_with_both_series_measured() -> None:
    points = measure_timings(SMALL, d_model=8, repeats=1)
    assert [p.n for p in points] == list(SMALL)
    for point in points:
        assert point.rnn_seconds > 0 and point.attention_seconds > 0
        assert point.rnn_steps == point.n and point.attention_steps == 1


def test_the_default_sizes_double_from_8_to_1024() -> None:
    assert SIZES == (8, 16, 32, 64, 128, 256, 512, 1024)


def test_progress_is_reported_after_each_size() -> None:
    calls: list[tuple[int, int]] = []
    measure_timings(SMALL, d_model=8, repeats=1, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_cancel_stops_early_and_keeps_what_was_measured() -> None:
    calls: list[tuple[int, int]] = []
    points = measure_timings(
        SMALL,
        d_model=8,
        repeats=1,
        progress=lambda d, t: calls.append((d, t)),
        cancelled=lambda: len(calls) >= 2,
    )
    assert [p.n for p in points] == [4, 8]
    assert measure_timings(SMALL, d_model=8, cancelled=lambda: True) == []


@pytest.mark.parametrize(("kwargs", "words"), [({"repeats": 0}, "repeats"), ({"d_model": 0}, "d_model")])
def test_bad_arguments_are_refused(kwargs, words) -> None:
    with pytest.raises(ValueError, match=words):
        measure_timings(SMALL, **kwargs)


@pytest.mark.parametrize(
    ("seconds", "printed"), [(6.14e-3, "6.14 ms"), (2.3e-5, "23.0 µs"), (1.234, "1.23 s"), (0.1234, "123 ms")]
)
def test_durations_print_with_their_unit(seconds: float, printed: str) -> None:
    assert format_seconds(seconds) == printed


def ratio_in(caption: str, n: int) -> float:
    return float(re.search(rf"{n:,} tokens[^(]*\(≈ ([0-9.]+)×", caption).group(1))


def test_the_caption_reads_the_measured_figures() -> None:
    points = measure_timings(SMALL, d_model=8, repeats=1)
    caption = timing_caption(points)
    last, first = points[-1], points[0]
    for seconds in (last.rnn_seconds, last.attention_seconds, first.rnn_seconds, first.attention_seconds):
        assert format_seconds(seconds) in caption
    assert f"at {last.n:,} tokens" in caption and f"{last.n:,} steps" in caption


def test_the_caption_says_which_was_faster_and_by_how_much() -> None:
    slow_start = [
        TimingPoint(8, 2.0e-5, 5.0e-5),
        TimingPoint(64, 1.6e-4, 1.2e-4),
        TimingPoint(1024, 6.1e-3, 2.3e-3),
    ]
    caption = timing_caption(slow_start)
    assert ratio_in(caption, 1024) == round(6.1e-3 / 2.3e-3, 1)
    assert "faster" in caption.split("At 8")[0]
    assert "At 8 tokens: RNN 20.0 µs, attention 50.0 µs" in caption
    assert ratio_in(caption, 8) == round(5.0e-5 / 2.0e-5, 1) and "slower" in caption.split("At 8")[1]
    assert "From 64 tokens on, attention was faster." in caption

    slow_end = [
        TimingPoint(8, 2.0e-5, 1.0e-5),
        TimingPoint(64, 1.6e-4, 1.0e-4),
        TimingPoint(1024, 3e-3, 9e-3),
    ]
    caption = timing_caption(slow_end)
    assert ratio_in(caption, 1024) == 3.0 and "slower" in caption.split("At 8")[0]
    assert "faster up to 64 tokens" in caption

    even = timing_caption([TimingPoint(1024, 2.57e-3, 2.55e-3)])
    assert "about the same" in even and "faster" not in even and "slower" not in even
    assert timing_caption([]) == "Nothing measured yet."
