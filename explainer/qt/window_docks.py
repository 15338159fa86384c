"""The window's docks: the editors, the heads overview, the pretrained panel and the Learn dock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from explainer.i18n import N_, _

from .learning import Learning
from .panels.heads import HeadsPanel
from .panels.softmax import SoftmaxPanel
from .pretrained_panel import PretrainedPanel

if TYPE_CHECKING:
    from .main_window import MainWindow


@dataclass(frozen=True)
class Docks:
    """The window's docks, by name (each hidden until asked for)."""

    tokens: QDockWidget
    weights: QDockWidget
    heads: QDockWidget
    pretrained: QDockWidget
    learn: QDockWidget

    def all(self) -> tuple[QDockWidget, ...]:
        return (self.tokens, self.weights, self.heads, self.pretrained, self.learn)


def build_docks(window: MainWindow) -> Docks:
    """Make every dock (hidden until asked for) and the panels in them; the window keeps both."""
    tokens = _dock(window, N_("Sentences and sizes"))
    tokens.setObjectName("tokens")
    tokens.setWidget(window.token_editor)
    weights = _dock(window, N_("Weights"))
    weights.setObjectName("weights")
    weights.setWidget(window.weight_editor)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, tokens)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, weights)
    window.resizeDocks([tokens, weights], [320, 320], Qt.Orientation.Horizontal)
    heads = _dock(window, N_("All heads"))
    heads.setObjectName("heads")
    window.heads = HeadsPanel(window.model, window.focus, window.player, window.appearance)
    heads.setWidget(window.heads)
    window.board.add_view(window.heads)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, heads)
    pretrained = _dock(window, N_("Pretrained model"))
    pretrained.setObjectName("pretrained")
    window.pretrained = PretrainedPanel(window.document, window.focus, replace=window.show_pretrained)
    pretrained.setWidget(window.pretrained)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, pretrained)
    assert isinstance(window.softmax, SoftmaxPanel)  # where targets are picked and ringed
    window.learning = Learning(
        window,
        window.document,
        window.history,
        window.focus,
        window.player,
        window.softmax,
        window.appearance,
        editors=lambda: (
            (window.weight_editor, _("you are editing the weights")),
            (window.token_editor, _("you are editing the sentences")),
            (window.pretrained, _("you are opening a pretrained model")),
        ),
        status=window.show_status,
        presenting=lambda: window.board.view == "presenter",
    )
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.learning.dock)
    window.softmax.drill_with(window.drill_into)  # a click on α: that weight worked out alone
    docks = Docks(tokens, weights, heads, pretrained, window.learning.dock)
    for dock in docks.all():
        dock.hide()  # the panels get the whole window until the lecturer asks for an editor
    return docks


def _dock(window: MainWindow, title: str) -> QDockWidget:
    dock = QDockWidget(window)
    window.words.bind(dock.setWindowTitle, title)  # its Edit-menu toggle follows the title
    return dock
