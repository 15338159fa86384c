"""Soak: a long lecture in one window, 10,000 animation frames and 1,000 random edits.

The edits come from a seeded generator: valid cells, refused values (NaN,
1e7, text, bad indices), new sentences (some refused: empty, 65 tokens),
options, sizes, undo and redo (some from the keyboard). Nothing may raise
but the model's own ValueError for a refused edit, which must change
nothing; the panels must show the current numbers; memory (RSS) must grow
less than 50 MB after a warm-up; ``sys.getrefcount(None)`` must not fall
(PySide6 6.12 released None on every repaint until the interpreter aborted;
see test_none_refcount.py).

Marked ``soak``: it runs in ``make test`` (35 to 45 s on a 2-core machine);
``pytest -m "not soak"`` leaves it out.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from explainer.model import MAX_TOKENS, AttentionModel
from explainer.model.limits import PARAM_NAMES

pytestmark = pytest.mark.soak

SEED = 20240605
FRAMES = 10_000
EDITS = 1_000
FRAMES_PER_EDIT = FRAMES // EDITS
PAINT_EVERY = 2  # frames between processEvents (the repaints); every frame would take ~60 s
FRAME_DT = 1 / 60  # seconds of the walkthrough per frame, as the player advances at 1×
WARM_UP_ROUNDS = 30
MAX_RSS_GROWTH_MB = 50
ALLOWED_NONE_DROP = 50  # as test_none_refcount.py: a few cached references, not one per repaint
WORDS = ("the", "cat", "sat", "on", "a", "mat", "it", "was", "warm", "we", "kono", "eiga", "ga", "kirai")
STATUS = Path("/proc/self/status")


def rss_mb() -> float:
    """The current resident set size (not the peak), in MB."""
    for line in STATUS.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError("no VmRSS in /proc/self/status")


class Lecture:
    """Plays the walkthrough and makes random edits in one window, checking each outcome."""

    def __init__(self, window, qtbot, seed: int = SEED):
        self.window = window
        self.model: AttentionModel = window.model
        self.qtbot = qtbot
        self.pick = random.Random(seed)
        self.rng = np.random.default_rng(seed)
        self.t = 0.0
        self.frames = 0
        self.counts: dict[str, int] = {}
        self.refusals = 0
        self.edits: list[tuple[float, Callable[[], None]]] = [
            (30, self.set_valid_value),
            (12, self.set_refused_value),
            (8, self.set_valid_tokens),
            (5, self.set_refused_tokens),
            (8, self.set_options),
            (2, self.set_dims),
            (3, self.set_refused_param),
            (26, self.undo_or_redo),
            (6, self.keyboard_undo_or_redo),
        ]

    # ------------------------------------------------------------ the loop
    def play(self, frames: int) -> None:
        """``frames`` frames of the walkthrough from where it was, wrapping at the end."""
        player = self.window.player
        for _ in range(frames):
            duration = player.timeline.duration
            self.t = (self.t + FRAME_DT) % duration if duration > 0 else 0.0
            player.seek(self.t)
            self.frames += 1
            if self.frames % PAINT_EVERY == 0:
                QApplication.processEvents()

    def edit(self, round_: int) -> None:
        weights = [w for w, _ in self.edits]
        (action,) = self.pick.choices([a for _, a in self.edits], weights)
        name = action.__name__
        self.counts[name] = self.counts.get(name, 0) + 1
        try:
            action()
        except Exception as error:  # say which edit of which round, then fail
            pytest.fail(f"round {round_}, {name}: unexpected {error!r}")

    def run(self, rounds: int, check_every: int = 100) -> None:
        for round_ in range(rounds):
            self.play(FRAMES_PER_EDIT)
            self.edit(round_)
            if round_ % check_every == 0:
                QApplication.processEvents()
                self.check_view()

    # ------------------------------------------------------------ checks
    def refused(self, edit: Callable[[], object]) -> None:
        """``edit`` raises the model's ValueError and changes nothing."""
        before = self.model.state
        with pytest.raises(ValueError):
            edit()
        assert self.model.state is before
        self.refusals += 1

    def check_view(self) -> None:
        """The panels show the model's current numbers, tokens and step count."""
        window, trace = self.window, self.model.trace
        expected, _, _ = window.scores.displayed(trace, window.player.state)
        assert np.allclose(window.scores.matrix.values, expected, equal_nan=True)
        assert tuple(window.scores.matrix.row_labels) == tuple(self.model.query_tokens)
        steps = len(window.player.timeline.steps)
        assert window.transport.position.text() == f"{window.player.index + 1} / {steps}"
        assert window.transport.head.count() == self.model.n_heads

    # ------------------------------------------------------------ edits
    def _cell(self, name: str) -> tuple[int, ...]:
        return tuple(self.pick.randrange(n) for n in self.model.params[name].shape)

    def set_valid_value(self) -> None:
        name = self.pick.choice(PARAM_NAMES)
        cell = self._cell(name)
        value = float(self.rng.normal(0, 2))
        if self.pick.random() < 0.1:  # the limits and the awkward floats
            value = self.pick.choice((1e6, -1e6, 0.0, -0.0, 5e-324))
        self.model.set_value(name, cell, value)
        written = "x_q" if name == "x_kv" and self.model.self_attention else name
        assert self.model.params[written][cell] == value

    def set_refused_value(self) -> None:
        name = self.pick.choice(PARAM_NAMES)
        shape = self.model.params[name].shape
        bad_value = self.pick.choice(
            (np.nan, np.inf, -np.inf, 1e7, -1e7, 10**400, np.float32(np.nan), "0.5", None, True)
        )
        bad_cells = (
            tuple(n for n in shape),  # one past the end
            tuple(-1 for _ in shape),
            (0,) * (len(shape) + 1),
            (0.5,) * len(shape),
            "0",
        )
        choice = self.pick.randrange(3)
        if choice == 0:
            self.refused(lambda: self.model.set_value(name, self._cell(name), bad_value))
        elif choice == 1:
            cell = self.pick.choice(bad_cells)
            self.refused(lambda: self.model.set_value(name, cell, 0.25))
        else:
            self.refused(lambda: self.model.set_value("w_x", (0, 0, 0), 0.25))

    def _sentence(self, low: int = 1, high: int = 6) -> list[str]:
        return [self.pick.choice(WORDS) for _ in range(self.pick.randint(low, high))]

    def set_valid_tokens(self) -> None:
        queries = self._sentence()
        keys = None if self.model.causal or self.pick.random() < 0.5 else self._sentence()
        self.model.set_tokens(queries, keys)
        assert self.model.query_tokens == queries
        assert self.model.key_tokens == (queries if keys is None else keys)

    def set_refused_tokens(self) -> None:
        bad = self.pick.choice(
            (
                [],
                ["tok"] * (MAX_TOKENS + 1),
                ["ok", "  "],
                ["x" * 41],
                "a plain string",
                ["ok", 3],
            )
        )
        if self.pick.random() < 0.5:
            self.refused(lambda: self.model.set_tokens(bad))
        else:
            self.refused(lambda: self.model.set_tokens(["fine"], bad))
        if self.model.causal:  # causal needs self-attention: keys are refused
            self.refused(lambda: self.model.set_tokens(["a", "b"], ["c"]))

    def set_options(self) -> None:
        causal = self.pick.random() < 0.4
        scale = self.pick.random() < 0.7
        if causal and not self.model.self_attention:
            self.refused(lambda: self.model.set_options(causal=True, scale=scale))
            return
        self.model.set_options(causal=causal, scale=scale)
        assert (self.model.causal, self.model.scale) == (causal, scale)

    def set_dims(self) -> None:
        if self.pick.random() < 0.3:
            bad = self.pick.choice(({"d_model": 0}, {"d_k": 10_000}, {"n_heads": 17}, {"d_v": -1}))
            self.refused(lambda: self.model.set_dims(**bad))
            return
        sizes = {
            "d_model": self.pick.randint(2, 8),
            "d_k": self.pick.randint(1, 4),
            "d_v": self.pick.randint(1, 4),
            "n_heads": self.pick.randint(1, 3),
        }
        self.model.set_dims(**sizes)
        assert (self.model.d_model, self.model.d_k, self.model.d_v, self.model.n_heads) == tuple(
            sizes.values()
        )

    def set_refused_param(self) -> None:
        name = self.pick.choice(PARAM_NAMES)
        shape = self.model.params[name].shape
        bad = self.pick.choice(
            (np.zeros((*shape, 2)), np.full(shape, np.nan), np.full(shape, 2e6), "weights", [[object()]])
        )
        self.refused(lambda: self.model.set_param(name, bad))

    def undo_or_redo(self) -> None:
        history = self.window.history
        if history.can_redo and self.pick.random() < 0.4:
            before = self.model.state
            assert history.redo()
            assert not self.model.state.same_as(before)
            return
        if not history.can_undo:
            return
        before = self.model.state
        assert history.undo()
        assert not self.model.state.same_as(before)
        if self.pick.random() < 0.3:  # undo then redo: back to exactly where it was
            assert history.redo()
            assert self.model.state.same_as(before)

    def keyboard_undo_or_redo(self) -> None:
        history, before = self.window.history, self.model.state
        control = Qt.KeyboardModifier.ControlModifier
        if history.can_redo and self.pick.random() < 0.4:
            self.qtbot.keyClick(self.window, Qt.Key.Key_Z, control | Qt.KeyboardModifier.ShiftModifier)
        elif history.can_undo:
            self.qtbot.keyClick(self.window, Qt.Key.Key_Z, control)
        else:
            return
        assert not self.model.state.same_as(before), "the shortcut did nothing"


class PaintCounter(QObject):
    """Counts the paint events a widget receives: proof that the frames reach the screen."""

    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_ten_thousand_frames_and_a_thousand_random_edits(open_window, qtbot):
    window = open_window("seed-translate")
    window.session.ask = lambda _question: pytest.fail("nothing here closes the window")
    paints = PaintCounter(window.scores.view.viewport())
    lecture = Lecture(window, qtbot)
    lecture.run(WARM_UP_ROUNDS)  # first paints, caches, lazily built objects
    gc.collect()
    QApplication.processEvents()
    rss_before = rss_mb() if STATUS.exists() else None
    none_before = sys.getrefcount(None)
    frames_before, counts_before = lecture.frames, sum(lecture.counts.values())
    start = time.perf_counter()

    lecture.run(EDITS)

    seconds = time.perf_counter() - start
    gc.collect()
    QApplication.processEvents()
    none_drop = none_before - sys.getrefcount(None)
    rss_growth = rss_mb() - rss_before if rss_before is not None else None
    assert lecture.frames - frames_before == FRAMES
    assert sum(lecture.counts.values()) - counts_before == EDITS
    assert lecture.refusals > EDITS // 10, "too few refused edits to call this a robustness test"
    lecture.check_view()
    window.scores.view.viewport().removeEventFilter(paints)
    # Many frames animate other panels only; a few hundred repaints prove the frames are painted.
    assert paints.count > 500, f"only {paints.count} repaints of the scores panel"
    growth = "n/a" if rss_growth is None else f"{rss_growth:+.1f} MB"
    print(
        f"\nsoak: {FRAMES} frames + {EDITS} edits in {seconds:.1f} s; RSS {growth}; "
        f"refcount(None) {-none_drop:+d}; {paints.count} score repaints; "
        f"edits {sorted(lecture.counts.items())}; refused {lecture.refusals}"
    )
    if rss_growth is not None:
        assert rss_growth < MAX_RSS_GROWTH_MB, f"RSS grew {rss_growth:.1f} MB"
    if sys.version_info < (3, 12):  # None is immortal from 3.12 (PEP 683): its count cannot fall
        assert none_drop <= ALLOWED_NONE_DROP, f"sys.getrefcount(None) fell by {none_drop}"
