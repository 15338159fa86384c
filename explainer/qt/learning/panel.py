"""LearnPanel: the Learn dock's widgets (target, scramble, learn / step / stop, rate, count, loss curve).

It only shows and asks; :class:`~explainer.qt.learning.mode.Learning` does the work.
The buttons are the Learn menu's actions, so their keys, tips and enabled states agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explainer.i18n import N_, _
from explainer.model.learn import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE

from ..style import Appearance
from ..words import Retranslator, bind, bound_label
from .loss_curve import LossCurve

# Keys free in the window (checked against every shortcut the menus define).
LEARN_KEY = "Ctrl+Shift+L"
STEP_KEY = "Ctrl+Shift+I"
STOP_KEY = "Ctrl+Shift+K"
MIN_RATE, MAX_RATE = 0.001, 10.0
MAX_ITERATIONS = 100_000


class LearnPanel(QWidget):
    """The controls and read-outs of learning; the actions are shared with the Learn menu."""

    def __init__(self, appearance: Appearance) -> None:
        super().__init__()
        self.appearance = appearance
        self.words = Retranslator()  # the actions' texts in the language chosen
        self.preset_action = self._action(
            N_("&Preset pattern"), "", N_("Target the pattern this preset was built to show")
        )
        self.clear_action = self._action(N_("&Clear target"), "", N_("Remove every targeted cell"))
        self.scramble_action = self._action(
            N_("&Scramble W_Q, W_K"),
            "",
            N_(
                "Random W_Q and W_K (same scale; a new seed each press), so the class sees the pattern "
                "emerge: one undo entry"
            ),
        )
        self.learn_action = self._action(
            N_("&Learn"), LEARN_KEY, N_("Run gradient descent on W_Q and W_K, one iteration per frame")
        )
        self.step_action = self._action(N_("S&tep one iteration"), STEP_KEY, N_("One iteration, then pause"))
        stop_tip = N_("End the run: the whole run is one undo entry")
        self.stop_action = self._action(N_("St&op"), STOP_KEY, stop_tip)
        self.actions_in_menu = (
            self.learn_action,
            self.step_action,
            self.stop_action,
            None,
            self.scramble_action,
            self.preset_action,
            self.clear_action,
        )
        self.head = QComboBox()
        bind(
            self.head,
            self.head.setToolTip,
            N_("Which head learns: the one shown, or every head with a target"),
        )
        self.rate = QDoubleSpinBox()
        self.rate.setRange(MIN_RATE, MAX_RATE)
        self.rate.setDecimals(3)
        self.rate.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.rate.setValue(DEFAULT_LEARNING_RATE)
        bind(
            self.rate,
            self.rate.setToolTip,
            lambda: _("Step size of gradient descent, {low} to {high}").format(
                low=f"{MIN_RATE:g}", high=f"{MAX_RATE:g}"
            ),
        )
        self.iterations = QSpinBox()
        self.iterations.setRange(1, MAX_ITERATIONS)
        self.iterations.setValue(DEFAULT_ITERATIONS)
        bind(
            self.iterations,
            self.iterations.setToolTip,
            N_("How many iterations a run takes at most (one per frame: 60 a second)"),
        )
        self.biases = QCheckBox()
        bind(self.biases, self.biases.setText, N_("b_Q, b_K learn too"))
        bind(
            self.biases,
            self.biases.setToolTip,
            N_("Let the query and key biases learn as well (W_V and W_O never change)"),
        )
        self.hint = self._label()
        self.caption = self._label()
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict = self._label()
        self.curve = LossCurve(appearance)
        self._lay_out()
        self.restyle()

    def _action(self, text: str, key: str, tip: str) -> QAction:
        action = QAction(self)
        self.words.bind(action.setText, text)
        if key:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.words.bind(action.setToolTip, (lambda: f"{_(tip)} ({key})") if key else tip)
        return action

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    @staticmethod
    def _button(action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _lay_out(self) -> None:
        target = QGridLayout()  # what to learn, and a fresh start to learn it from
        target.addWidget(self._button(self.preset_action), 0, 0)
        target.addWidget(self._button(self.clear_action), 0, 1)
        target.addWidget(self._button(self.scramble_action), 1, 0, 1, 2)
        self.form = QFormLayout()
        self.form.addRow(bound_label(N_("Head")), self.head)
        self.form.addRow(bound_label(N_("Learning rate")), self.rate)
        self.form.addRow(bound_label(N_("Iterations")), self.iterations)
        self.form.addRow("", self.biases)
        run = QGridLayout()
        for column, action in enumerate((self.learn_action, self.step_action, self.stop_action)):
            run.addWidget(self._button(action), 0, column)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(target)
        layout.addLayout(self.form)
        layout.addLayout(run)
        layout.addWidget(self.curve, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.verdict)

    def show_heads(self, n_heads: int, chosen: int | None) -> None:
        """The head box: "all heads" then each head (from 1); its row shows only with several heads."""
        self.head.blockSignals(True)
        self.head.clear()
        self.head.addItem(_("all heads"), None)
        for h in range(n_heads):
            self.head.addItem(_("head {head}").format(head=h + 1), h)
        self.head.setCurrentIndex(0 if chosen is None else chosen + 1)
        self.head.blockSignals(False)
        self.form.setRowVisible(self.head, n_heads > 1)

    def chosen_head(self) -> int | None:
        data = self.head.currentData()
        return data if isinstance(data, int) else None

    def restyle(self) -> None:
        theme = self.appearance.theme
        # The form's labels and the check box in the theme's text colour (dark theme: light text).
        self.setStyleSheet(f"QLabel, QCheckBox {{ color: {theme.text}; }}")
        self.verdict.setStyleSheet(f"color: {theme.step}; font-weight: bold;")
        self.caption.setStyleSheet(f"color: {theme.text};")
        self.hint.setStyleSheet(f"color: {theme.muted};")
        self.curve.restyle()

    def shutdown(self) -> None:
        self.words.shutdown()
        self.curve.shutdown()
