"""The RNN scene as a person sees it: states appear one step at a time, outputs all at once, the chart."""

from __future__ import annotations

import numpy as np
import pytest
from scene_helpers import close, painted_now

from explainer.qt.items.cell_text import format_number
from explainer.qt.scenes import RnnView
from explainer.qt.scenes.timing_chart import ATTENTION_SERIES, RNN_SERIES
from explainer.qt.style import Appearance
from explainer.scenes import measure_timings, rnn_numbers, rnn_timeline


@pytest.fixture
def view(qtbot):
    widget = RnnView(Appearance())
    widget.resize(1280, 620)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    close(widget)


def texts_of(widget: RnnView, owner: str) -> list[str]:
    return [p.text for p in widget.painted if p.owner == owner]


def shows_numbers(widget: RnnView, owner: str, values: np.ndarray) -> bool:
    """Whether every number of ``values`` (2 decimals) is written in ``owner``'s box."""
    written = " ".join(texts_of(widget, owner)).split()
    return all(format_number(float(v)) in written for v in values)


def test_each_state_shows_its_numbers_from_its_own_step_on(view):
    numbers = view.numbers
    timeline = rnn_timeline(numbers)
    names = [step.name for step in timeline.steps]
    for index in range(len(timeline.steps)):
        view.set_frame(timeline.state_at(timeline.start(index) + 0.01))
        painted_now(view)
        for t in range(1, numbers.n + 1):
            computed = index >= names.index(f"rnn-{t}")
            assert shows_numbers(view, f"h{t}", numbers.h[t - 1]) == computed, (names[index], t)
            if not computed:  # an unrevealed state is an empty box with its name only
                assert texts_of(view, f"h{t}") == [f"h{'₀₁₂₃₄₅₆₇₈₉'[t]}"]


def test_the_attention_outputs_appear_together_at_the_attention_step(view):
    numbers = view.numbers
    timeline = rnn_timeline(numbers)
    attention = [step.name for step in timeline.steps].index("attention")
    for index in range(len(timeline.steps)):
        view.set_frame(timeline.state_at(timeline.start(index) + 0.01))
        painted_now(view)
        shown = [shows_numbers(view, f"out{t}", numbers.out[t - 1]) for t in range(1, numbers.n + 1)]
        assert shown == [index >= attention] * numbers.n


def test_the_lit_state_is_outlined_and_the_recurrence_flows(view):
    timeline = rnn_timeline(view.numbers)
    index = [step.name for step in timeline.steps].index("rnn-2")
    frame = timeline.state_at(timeline.start(index) + timeline.steps[index].duration / 2)
    view.set_frame(frame)
    image = view.grab().toImage()
    box = view.boxes()["h2"]
    edge = image.pixelColor(int(box.left() + 1), int(box.center().y()))
    assert edge.name() == view.appearance.theme.text  # the step's outline, in the text colour
    assert frame.step.flows == ("h1->h2",)


def test_the_chains_step_writes_n_steps_against_1(view):
    timeline = rnn_timeline(view.numbers)
    index = [step.name for step in timeline.steps].index("chains")
    view.set_frame(timeline.state_at(timeline.start(index) + 0.01))
    painted_now(view)
    counts = {p.owner: p for p in view.painted if p.what == "count"}
    assert f"{view.numbers.n} steps" in counts["chain-rnn"].text
    assert "1 step" in counts["chain-attention"].text
    assert min(p.px for p in counts.values()) >= 20  # written large
    view.set_frame(timeline.state_at(0.0))
    painted_now(view)
    assert not [p for p in view.painted if p.what == "count"]


def test_the_chart_has_one_point_per_n_in_both_series(view):
    points = measure_timings(sizes=(8, 16, 32), repeats=1)
    view.set_timings(points)
    chart = view.chart
    assert chart.getPlotItem().getAxis("bottom").logMode and chart.getPlotItem().getAxis("left").logMode
    for curve, seconds in (
        (chart.rnn_curve, [p.rnn_seconds for p in points]),
        (chart.attention_curve, [p.attention_seconds for p in points]),
    ):
        x, y = curve.getOriginalDataset()
        assert list(x) == [p.n for p in points]
        assert np.allclose(y, np.array(seconds) * 1000)  # milliseconds
    names = [label.text for _sample, label in chart.legend.items]
    assert names == [RNN_SERIES, ATTENTION_SERIES]


def test_the_view_uses_the_numbers_it_is_given(qtbot):
    numbers = rnn_numbers(("this", "is", "an", "example", "too"))
    widget = RnnView(Appearance(), numbers)
    try:
        widget.resize(1280, 620)
        timeline = rnn_timeline(numbers)
        widget.set_frame(timeline.state_at(timeline.duration))
        painted_now(widget)
        assert shows_numbers(widget, "h5", numbers.h[4])
        assert any("“example”" in text for text in texts_of(widget, "x4"))
    finally:
        close(widget)
