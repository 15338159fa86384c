"""Learning: the Learn dock wired to the window's model, undo history, focus, walkthrough and α matrix.

The lecturer picks target cells on α (or a preset's intended pattern), may
scramble W_Q and W_K, and presses Learn: every iteration is an ordinary model
edit, so every panel follows; the dock shows the loss curve and what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from explainer.animation import StepKind, Tensor
from explainer.i18n import N_, _, words
from explainer.model import (
    PRESET_PATTERNS,
    AttentionTarget,
    Document,
    History,
    apply_params,
    attention_loss,
    preset_target,
    scramble,
)

from ..focus import Focus
from ..player import Player
from ..style import Appearance
from .panel import LearnPanel
from .run import NO_TARGET, Learner, learned_text, looking_elsewhere, loss_text, step_text
from .targets import TargetCells, TargetView, pairs_text
from .watch import EditWatch

DOCK_WIDTH = 330  # room for the buttons and a readable loss curve; the panels keep the rest


class Learning:
    """The Learn dock and everything it drives; ``dock`` goes into the window, ``actions`` into a menu.

    Parameters
    ----------
    editors
        Returns (widget, what editing it means) for each editor whose use pauses a run.
    status
        Shows a message in the window's status bar.
    presenting
        Whether the board shows the presenter view (learning then frames α large).
    """

    def __init__(
        self,
        window: QMainWindow,
        document: Document,
        history: History,
        focus: Focus,
        player: Player,
        view: TargetView,
        appearance: Appearance,
        editors: Callable[[], Sequence[tuple[QWidget, str]]],
        status: Callable[[str], None],
        presenting: Callable[[], bool] = lambda: False,
    ) -> None:
        self.document, self.model, self.focus, self.player = document, document.model, focus, player
        self.view, self.appearance, self.status, self.presenting = view, appearance, status, presenting
        self.targets = TargetCells(self.model)
        self.learner = Learner(self.model, history, self._target)
        self.panel = LearnPanel(appearance)
        self.window = window
        self.dock = QDockWidget(window)
        self.panel.words.bind(self.dock.setWindowTitle, N_("Learn"))
        self.dock.setObjectName("learn")
        self.dock.setWidget(self.panel)
        self.actions = self.panel.actions_in_menu
        self.watch = EditWatch(editors, self.learner.pause_for)
        self._seed = 0  # each Scramble draws the next seed: a new start, reproducible in order
        self._layout: tuple[object, ...] = ()  # heads and tokens: a preset's pattern fits them or not
        self._sized = False  # the dock gets its width when it first shows
        self._connect()
        self._on_model_changed(None)
        self._on_source_changed(None)

    def _connect(self) -> None:
        p = self.panel
        p.learn_action.triggered.connect(self.toggle)
        p.step_action.triggered.connect(self.step_once)
        p.stop_action.triggered.connect(self.learner.stop)
        p.scramble_action.triggered.connect(self.scramble)
        p.preset_action.triggered.connect(self.use_preset_pattern)
        p.clear_action.triggered.connect(self.clear_target)
        p.head.currentIndexChanged.connect(self._on_head_chosen)
        p.rate.valueChanged.connect(self._on_rate)
        p.iterations.valueChanged.connect(self._on_iterations)
        p.biases.toggled.connect(self._on_biases)
        self.dock.visibilityChanged.connect(self._on_visibility)
        self.targets.changed.connect(self._on_targets_changed)
        self.learner.stepped.connect(self._refresh)
        self.learner.state_changed.connect(self._on_state_changed)
        self.learner.message.connect(self.status)
        self.model.changed.connect(self._on_model_changed)
        self.document.source_changed.connect(self._on_source_changed)
        self.focus.changed.connect(self._on_focus_changed)
        self.appearance.changed.connect(self.panel.restyle)
        words.changed.connect(self._on_language)  # Learn / Pause / Resume in the language chosen

    # ------------------------------------------------------------ actions
    def toggle(self) -> None:
        """Learn / Pause / Resume."""
        self._show_weights()
        self.learner.toggle()
        if self.learner.running:
            count = self.targets.count(self._heads())
            toward = (
                _("Learning W_Q and W_K toward {n} targeted cells of α ({key}: pause)")
                if count > 1
                else _("Learning W_Q and W_K toward {n} targeted cell of α ({key}: pause)")
            )
            self.status(toward.format(n=count, key=self.panel.learn_action.shortcut().toString()))

    def step_once(self) -> None:
        self._show_weights()
        self.learner.step_once()

    def scramble(self) -> None:
        """Random W_Q, W_K for the learning heads (one undo entry), avoiding the target's pattern."""
        self.learner.stop()
        heads = self._heads() or self.targets.heads() or None  # the heads that learn; all without a target
        self._seed += 1
        try:
            avoid = self._target()
            params = scramble(self.model, self._seed, heads=heads, avoid=avoid)
            apply_params(self.model, params)
        except ValueError as error:
            self.status(_("Cannot scramble: {error}").format(error=error))
            return
        self.learner.forget()
        self._refresh()
        self.status(
            _("W_Q and W_K scrambled (seed {seed}): press Learn to watch the pattern emerge").format(
                seed=self._seed
            )
        )

    def use_preset_pattern(self) -> None:
        target, why = self._preset_pattern()
        if target is None:
            self.status(why)
            return
        self.targets.set_target(target)
        self.status(
            _("Target: the pattern {preset} was built to show ({pairs})").format(
                preset=self.document.preset_name, pairs=pairs_text(self.model, self.targets.cells)
            )
        )

    def clear_target(self) -> None:
        self.learner.stop()
        self.targets.clear()
        self.status(_("Target cleared"))

    def pick(self, head: int, query: int, key: int) -> None:
        """A click on α cell (query, key) of ``head``: target it, or untarget it."""
        try:
            self.status(self.targets.toggle(head, query, key))
        except ValueError as error:
            self.status(str(error))

    # ------------------------------------------------------------ reading
    def _heads(self) -> tuple[int, ...] | None:
        """The heads that learn: the chosen one, or None for every head with a target."""
        head = self.panel.chosen_head()
        return None if head is None else (head,)

    def run_to_export(self) -> tuple[AttentionTarget, float, int, bool] | None:
        """The target, learning rate, iterations and biases an exported run uses; None without a target."""
        target = self._target()
        if target is None:
            return None
        learner = self.learner
        return target, learner.learning_rate, learner.iterations, learner.biases

    def _target(self) -> AttentionTarget | None:
        try:
            return self.targets.target(self._heads())
        except ValueError:  # cells that no longer fit are dropped on the next model change
            return None

    def _preset_pattern(self) -> tuple[AttentionTarget | None, str]:
        name = self.document.preset_name
        if name is None or name not in PRESET_PATTERNS:
            return None, _(
                "Only a shipped preset has an intended pattern; this model is {model}: "
                "click the cells of α instead"
            ).format(model=self.document.label)
        try:
            return preset_target(self.model, name), ""
        except ValueError as error:
            return (
                None,
                _(
                    "The sentences no longer fit {preset}'s pattern ({error}): click the cells of α instead"
                ).format(preset=name, error=error),
            )

    # ------------------------------------------------------------ showing
    def _show_weights(self) -> None:
        """α on screen in full: the presenter view frames the last softmax step (α large, the
        targets flagged); the overview goes to the walkthrough's end if α is not shown yet."""
        steps = self.player.timeline.steps
        if self.presenting():
            if steps[self.player.index].kind != StepKind.SOFTMAX:
                head = self.focus.head
                softmax = [
                    k for k, s in enumerate(steps) if s.kind == StepKind.SOFTMAX and s.head in (None, head)
                ]
                if softmax:
                    self.player.go_to_step(softmax[-1])
        elif not bool(np.all(self.player.state.revealed[Tensor.WEIGHTS])):
            self.player.last()

    def _refresh(self, *_args: object) -> None:
        """The dock's text, curve and buttons, from the targets, the run and the model now."""
        p, target, progress = self.panel, self._target(), self.learner.progress
        count = self.targets.count(self._heads())
        if count == 0:
            p.hint.setText(_(NO_TARGET) + ".")
        else:
            rows = sum(int(cells.any(axis=1).sum()) for cells in self._chosen_cells().values())
            hint = {
                (False, False): _(
                    "Target: {cells} cell in {rows} row. Click a cell of α to add or remove it "
                    "(several in a row share the target)."
                ),
                (True, False): _(
                    "Target: {cells} cells in {rows} row. Click a cell of α to add or remove it "
                    "(several in a row share the target)."
                ),
                (True, True): _(
                    "Target: {cells} cells in {rows} rows. Click a cell of α to add or remove it "
                    "(several in a row share the target)."
                ),
                (False, True): _(
                    "Target: {cells} cell in {rows} rows. Click a cell of α to add or remove it "
                    "(several in a row share the target)."
                ),
            }[(count > 1, rows > 1)]
            p.hint.setText(hint.format(cells=count, rows=rows))
        if progress is not None and progress.last is not None:
            p.caption.setText(step_text(progress.last, self.model.n_heads))
        elif target is not None:
            p.caption.setText(
                _("iteration 0: loss {loss}").format(loss=loss_text(attention_loss(self.model, target)))
            )
        else:
            p.caption.setText("")
        p.curve.show_losses(
            progress.losses if progress else [],
            progress.learned_at if progress else None,
            self.learner.iterations,
        )
        if progress is not None and progress.learned_at is not None:
            p.verdict.setText(learned_text(progress.learned_at))
        elif target is not None:
            off, total = looking_elsewhere(self.model.trace.weights, target)
            if off == 0:
                verdict = _("Every targeted row already looks where you asked")
            elif total > 1:
                verdict = _("{off} of {total} targeted rows still look elsewhere").format(
                    off=off, total=total
                )
            else:
                verdict = _("{off} of {total} targeted row still look elsewhere").format(off=off, total=total)
            p.verdict.setText(verdict)
        else:
            p.verdict.setText("")
        self._update_actions(target is not None)

    def _on_language(self, *_args: object) -> None:
        self.panel.show_heads(self.model.n_heads, self.panel.chosen_head())  # "all heads", "head 2"
        self.panel.restyle()  # the loss curve's axis names
        self._on_source_changed(None)  # the Preset pattern tip
        self._refresh()

    def _update_actions(self, has_target: bool) -> None:
        p, learner = self.panel, self.learner
        text = N_("&Pause") if learner.running else N_("&Resume") if learner.paused else N_("&Learn")
        p.learn_action.setText(_(text))
        p.learn_action.setEnabled(has_target or learner.running)
        p.step_action.setEnabled(has_target)
        p.stop_action.setEnabled(learner.running or learner.paused)
        p.clear_action.setEnabled(self.targets.count() > 0)

    def _chosen_cells(self) -> Mapping[int, np.ndarray]:
        heads = self._heads()
        cells = self.targets.cells
        return cells if heads is None else {h: cells[h] for h in heads if h in cells}

    # ------------------------------------------------------------ handlers
    def _on_targets_changed(self) -> None:
        self._show_flags()
        self._target_changed()

    def _target_changed(self) -> None:
        """A run goes on toward the new target; "learned" is about it, not the old one."""
        progress = self.learner.progress
        if progress is not None:
            progress.learned_at = None
        if self._target() is None and (self.learner.running or self.learner.paused):
            self.learner.stop("Learning stopped: there is no target left")
        self._refresh()

    def _show_flags(self) -> None:
        """Targets are flagged on α while the dock shows, or while a run is under way."""
        learning = self.dock.isVisible() or self.learner.running or self.learner.paused
        self.view.show_targets(self.targets.cells if learning else {})

    def _on_state_changed(self) -> None:
        # A run records (pauses keep it recording): watch the editors for a hand reaching in.
        self.watch.set_on(self.learner.running or self.learner.paused)
        self._show_flags()
        self._refresh()

    def _on_visibility(self, visible: bool) -> None:
        self.view.pick_targets(self.pick if visible else None)
        self._show_flags()
        if visible:
            self._refresh()
            self._show_weights()
            if not self._sized and not self.dock.isFloating():
                self._sized = True
                self.window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)

    def _on_model_changed(self, _trace: object) -> None:
        if self.learner.applying:
            return  # an iteration changes only W_Q and W_K; it refreshes once, when done (``stepped``)
        dropped = self.targets.follow_model()
        if dropped:
            self.learner.forget()
            self.status(_("Learning: {what}").format(what=dropped))
        layout = (self.model.n_heads, tuple(self.model.query_tokens), tuple(self.model.key_tokens))
        if layout != self._layout:
            n_heads = self.model.n_heads
            if not self._layout or n_heads != self._layout[0]:
                chosen = self.panel.chosen_head()
                self.panel.show_heads(n_heads, chosen if chosen is not None and chosen < n_heads else None)
            self._layout = layout
            self._on_source_changed(None)
        if self.dock.isVisible():
            self._refresh()

    def _on_source_changed(self, _source: object) -> None:
        target, why = self._preset_pattern()
        self.panel.preset_action.setEnabled(target is not None)
        self.panel.preset_action.setToolTip(
            _("Target the pattern this preset was built to show") if target is not None else why
        )

    def _on_head_chosen(self, _index: int) -> None:
        head = self.panel.chosen_head()
        if head is not None:
            self.focus.set(head=head)  # the head that learns is the one on screen
        self._target_changed()

    def _on_focus_changed(self) -> None:
        chosen = self.panel.chosen_head()
        if chosen is not None and chosen != self.focus.head:
            self.panel.show_heads(self.model.n_heads, self.focus.head)
            self._target_changed()

    def _on_rate(self, value: float) -> None:
        self.learner.learning_rate = value

    def _on_iterations(self, value: int) -> None:
        self.learner.iterations = value

    def _on_biases(self, on: bool) -> None:
        self.learner.biases = on

    # ------------------------------------------------------------ lifetime
    def shutdown(self) -> None:
        """Stop the clock, let go of every signal and close the loss curve (before the window goes)."""
        self.watch.set_on(False)
        self.learner.shutdown()
        self.view.pick_targets(None)
        self.targets.changed.disconnect(self._on_targets_changed)
        self.model.changed.disconnect(self._on_model_changed)
        self.document.source_changed.disconnect(self._on_source_changed)
        self.focus.changed.disconnect(self._on_focus_changed)
        self.appearance.changed.disconnect(self.panel.restyle)
        words.changed.disconnect(self._on_language)
        self.panel.shutdown()
