"""One draw per view per frame: a step change, a tick, a hover, an edit or a new look.

Before the board owned redrawing, a step change drew each panel twice (once
for the step's new focus, once for the frame) and a theme change once per
signal each panel had subscribed to.
"""

from __future__ import annotations

from collections import Counter

import pytest

from explainer.qt.main_window import MainWindow


class DrawCounter:
    """Counts ``draw`` calls per view of the window's board (the heads overview included)."""

    def __init__(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch):
        self.counts: Counter[str] = Counter()
        self.names = []
        for view in window.board.views:
            name = type(view).__name__
            self.names.append(name)
            original = view.draw

            def counted(*args, _original=original, _name=name, **kwargs):
                self.counts[_name] += 1
                return _original(*args, **kwargs)

            monkeypatch.setattr(view, "draw", counted)

    def take(self) -> dict[str, int]:
        counts = {name: self.counts[name] for name in self.names}
        self.counts.clear()
        return counts

    def once_each(self) -> dict[str, int]:
        return dict.fromkeys(self.names, 1)


@pytest.fixture
def counted(open_window, monkeypatch):
    window = open_window("seed-causal")  # two heads: the heads overview and the concat panel draw too
    counter = DrawCounter(window, monkeypatch)
    assert len(counter.names) == 8  # caption, six panels, the heads overview
    return window, counter


def test_a_step_change_draws_each_view_once(counted) -> None:
    window, counter = counted
    for step in (3, 4, 10, 25, 2):
        window.player.go_to_step(step)
        assert window.player.index == step
        assert counter.take() == counter.once_each(), f"step {step + 1}"


def test_a_step_change_that_moves_the_focus_still_draws_once(counted) -> None:
    window, counter = counted
    steps = window.player.timeline.steps
    second_head = next(i for i, s in enumerate(steps) if s.head == 1)
    window.player.go_to_step(second_head)
    assert window.focus.head == 1  # the focus did change with the step
    assert counter.take() == counter.once_each()


def test_a_playback_tick_draws_each_view_once(counted) -> None:
    window, counter = counted
    start = window.player.timeline.start(5)
    for fraction in (0.1, 0.2, 0.5, 0.9):
        window.player.seek(start + fraction * window.player.timeline.steps[5].duration)
        assert counter.take() == counter.once_each()


def test_a_hover_an_edit_and_a_new_theme_each_draw_once(counted) -> None:
    window, counter = counted
    window.focus.set(query=2, key=1)
    assert counter.take() == counter.once_each()
    window.model.set_value("w_q", (0, 0, 0), 0.75)
    assert counter.take() == counter.once_each()
    window.appearance.set_theme("dark")
    assert counter.take() == counter.once_each()
    window.appearance.set_font_scale(1.3)
    assert counter.take() == counter.once_each()


def test_nothing_changed_draws_nothing(counted) -> None:
    window, counter = counted
    window.focus.set(query=window.focus.query, key=window.focus.key)
    window.appearance.set_theme(window.appearance.theme.name)
    window.model.set_value("w_q", (0, 0, 0), float(window.model.params["w_q"][0, 0, 0]))
    assert sum(counter.take().values()) == 0
