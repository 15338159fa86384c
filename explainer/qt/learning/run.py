"""Learner: gradient descent on the window's model, one iteration per 60 Hz frame.

Each iteration is :func:`learning_step` on the model's current weights, put back
with :func:`apply_params`: an ordinary edit, so every panel follows. A run, from
Learn to Stop or to its last iteration, is one undo entry (a history group that
a pause keeps open). An edit that is not ours (the weight editor, the sentences,
undo) pauses the run and closes its entry first, so that edit is an undo entry
of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from psygnal import Signal
from PySide6.QtCore import QTimer

from explainer.i18n import N_, _
from explainer.model import (
    AttentionModel,
    AttentionTarget,
    History,
    LearnStep,
    apply_params,
    attention_loss,
    learning_step,
)
from explainer.model.learn import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE

FRAME_MS = 16  # one iteration per frame: the run looks like an animation, not a slideshow
# A step that moves no weight by more than this changes nothing on screen (numbers show
# 2 decimals) and never will again: the run has converged.
CONVERGED_CHANGE = 1e-9
NO_TARGET = N_("No target yet: click the cells of α each query should attend to, or press Preset pattern")


@dataclass
class Progress:
    """What a run has done: the loss curve (from iteration 0) and when the pattern appeared."""

    losses: list[float]
    last: LearnStep | None = None
    learned_at: int | None = None

    @property
    def iteration(self) -> int:
        return len(self.losses) - 1


class Learner:
    """Runs, pauses, steps and stops learning toward ``target()`` on ``model``.

    Signals: ``stepped`` (a :class:`LearnStep`) after each iteration is applied,
    ``state_changed`` when it starts, pauses or stops, ``message`` (text for the
    status bar).
    """

    stepped = Signal(object)
    state_changed = Signal()
    message = Signal(str)

    def __init__(
        self, model: AttentionModel, history: History, target: Callable[[], AttentionTarget | None]
    ) -> None:
        self.model, self.history, self._target = model, history, target
        self.learning_rate = DEFAULT_LEARNING_RATE
        self.iterations = DEFAULT_ITERATIONS
        self.biases = False
        self.progress: Progress | None = None  # None: no run yet (or a new one is to start)
        self._group_open = False  # our history group: the run's one undo entry
        self._ended = True  # the last run is over (finished, stopped, or none yet)
        self._applying = False  # the model edit under way is ours
        self._timer = QTimer()
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.tick)
        model.changed.connect(self._on_model_changed)

    # ------------------------------------------------------------ state
    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def applying(self) -> bool:
        """The model edit under way is one of ours (an iteration or nothing else)."""
        return self._applying

    @property
    def paused(self) -> bool:
        """A run is under way but not ticking (Pause, Step, or an edit by hand)."""
        return self.progress is not None and not self._ended and not self.running

    # ------------------------------------------------------------ transport
    def toggle(self) -> None:
        """Learn, or pause a run that is learning (the Learn / Pause button)."""
        if self.running:
            self.pause()
        else:
            self.learn()

    def learn(self) -> None:
        """Start a run, or resume the paused one."""
        if self.running or not self._begin():
            return
        self._timer.start()
        self.state_changed.emit()

    def pause(self) -> None:
        if self.running:
            self._timer.stop()
            self.state_changed.emit()

    def step_once(self) -> None:
        """One iteration, then stay paused (starts a run if there is none)."""
        self.pause()
        if self._begin():
            self._iterate()
            self.state_changed.emit()

    def tick(self) -> None:
        """One frame of a run: its next iteration, or its end (the timer calls this; benchmarks too)."""
        if self.progress is None or self._ended:
            self._timer.stop()
        elif self.progress.iteration >= self.iterations:  # the count was lowered during the run
            self._finish(_("{n} iterations").format(n=self.iterations))
        else:
            self._iterate()

    def stop(self, why: str = "") -> None:
        """End the run: its edits become one undo entry."""
        if self._end():
            assert self.progress is not None
            self.message.emit(
                why
                or _("Learning stopped at iteration {n}: Ctrl+Z undoes the whole run").format(
                    n=self.progress.iteration
                )
            )
            self.state_changed.emit()

    def forget(self) -> None:
        """End the run and drop its curve (the sentences it belonged to are gone)."""
        self._end()
        if self.progress is not None:
            self.progress = None
            self.state_changed.emit()

    def pause_for(self, reason: str) -> None:
        """Something else is about to edit the model: pause, and close the run's undo entry first.

        The run goes on from the edited weights when Learn is pressed again (a new undo entry).
        """
        was_running = self.running
        self._timer.stop()
        self._close_group()
        if was_running:
            self.message.emit(_("Learning paused: {reason} (Learn goes on from there)").format(reason=reason))
            self.state_changed.emit()

    def shutdown(self) -> None:
        self._timer.stop()
        self._close_group()
        self.model.changed.disconnect(self._on_model_changed)

    # ------------------------------------------------------------ internals
    def _begin(self) -> bool:
        """Make sure a run is open (a new one after Stop or the last iteration); False without a target."""
        target = self._target()
        if target is None:
            self.message.emit(_(NO_TARGET))
            return False
        if self.progress is None or self._ended or self.progress.iteration >= self.iterations:
            self._close_group()  # a run paused past a lowered count: its entry ends, a new one starts
            self.progress = Progress([attention_loss(self.model, target)])
            self._ended = False
        if not self._group_open:
            self.history.begin_group()
            self._group_open = True
        return True

    def _iterate(self) -> None:
        assert self.progress is not None
        target = self._target()
        if target is None:
            self.stop()
            return
        iteration = self.progress.iteration + 1
        try:
            step = learning_step(
                self.model, target, learning_rate=self.learning_rate, biases=self.biases, iteration=iteration
            )
            self._applying = True
            try:
                apply_params(self.model, step.params)
            finally:
                self._applying = False
        except ValueError as error:  # the learning rate was too large: the weights ran away
            self.stop(_("Learning stopped: {error}").format(error=error))
            return
        progress = self.progress
        progress.losses.append(step.loss if math.isfinite(step.loss) else float("inf"))
        progress.last = step
        if step.learned and progress.learned_at is None:
            progress.learned_at = iteration
            self.message.emit(learned_text(iteration))
        self.stepped.emit(step)
        if progress.iteration >= self.iterations:
            self._finish(_("{n} iterations").format(n=self.iterations))
        elif step.largest_change < CONVERGED_CHANGE:
            self._finish(_("the weights stopped changing"))

    def _finish(self, why: str) -> None:
        self._end()
        assert self.progress is not None
        self.message.emit(
            _("Learning finished after {why} (loss {loss}): Ctrl+Z undoes the whole run").format(
                why=why, loss=loss_text(self.progress.losses[-1])
            )
        )
        self.state_changed.emit()

    def _end(self) -> bool:
        """Stop ticking and close the run's undo entry; False when no run was under way."""
        was_running = self.running
        self._timer.stop()
        if self.progress is None or self._ended:
            if was_running:
                self.state_changed.emit()
            return False
        self._ended = True
        self._close_group()
        return True

    def _close_group(self) -> None:
        if self._group_open:
            self._group_open = False
            self.history.end_group()

    def _on_model_changed(self, _trace: object) -> None:
        if self._applying:
            return
        # Not ours (undo, a preset, a notebook): the run's entry ends here. An edit made
        # through the editors already paused us before it began (see pause_for).
        self.pause_for(_("the weights changed outside the run"))


def learned_text(iteration: int) -> str:
    return _("Learned at iteration {n}: every targeted row looks where you asked").format(n=iteration)


def loss_text(loss: float) -> str:
    return f"{loss:.3g}" if loss >= 0.001 else f"{loss:.2e}"


def largest_change_text(step: LearnStep, n_heads: int) -> str:
    """``W_Q[2, 3] by 0.041``: the weight that moved most, counted from 1 as the editor does."""
    name, cell = step.largest_change_at
    letter = name[-1].upper()
    label = f"W_{letter}" if name.startswith("w") else f"b_{letter}"
    head, *rest = cell
    where = f"[{', '.join(str(i + 1) for i in rest)}]"
    of_head = _(" (head {head})").format(head=head + 1) if n_heads > 1 else ""
    weight, change = f"{label}{where}{of_head}", f"{step.largest_change:.2g}"
    return _("{weight} by {change}").format(weight=weight, change=change)


def step_text(step: LearnStep, n_heads: int) -> str:
    """The dock's caption of an iteration: ``iteration 27: loss 0.574, largest change W_Q[2, 3] by 0.041``."""
    return _("iteration {n}: loss {loss}, largest change {change}").format(
        n=step.iteration, loss=loss_text(step.loss), change=largest_change_text(step, n_heads)
    )


def looking_elsewhere(weights: np.ndarray, target: AttentionTarget) -> tuple[int, int]:
    """(targeted rows whose largest α is off their targets, targeted rows) at ``weights`` (a trace's α)."""
    off = total = 0
    for head, rows in target.rows.items():
        for i in np.flatnonzero(target.targeted(head)):
            total += 1
            off += int(rows[i, int(np.argmax(weights[head, i]))] <= 0)
    return off, total
