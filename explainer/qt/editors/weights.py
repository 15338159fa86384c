"""WeightEditor: tables of every parameter, edited by typing, dragging or the wheel."""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QProxyStyle,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explainer.i18n import N_, _
from explainer.model import AttentionModel, Document, History

from ..words import bind, follow
from .lifetime import still_alive
from .param_table import TITLES, ParamTableModel
from .scrub import CellScrubber

# (tab title, parameters shown on it); the X_kv tab hides in self-attention.
PAGES = (
    ("X_q", ("x_q",)),
    ("X_kv", ("x_kv",)),
    ("W_Q", ("w_q",)),
    ("W_K", ("w_k",)),
    ("W_V", ("w_v",)),
    ("W_O", ("w_o",)),
    (N_("Biases"), ("b_q", "b_k", "b_v", "b_o")),
)
X_KV_TAB = 1
WEIGHTS = ("w_q", "w_k", "w_v", "w_o")
ERROR_STYLE = "color: #c0392b;"


class UnclippedTabText(QProxyStyle):
    """Tab titles drawn whole, underscores included.

    Fusion gives an unselected tab's text a rectangle shorter than a line of
    text and clips to it: the "_" under the baseline was cut, "W_Q" read "W Q".
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__()  # over the application's style, whichever it is
        self.setParent(parent)  # deleted with the editor; a widget falls back to the app's style

    def drawItemText(
        self,
        painter: QPainter,
        rect: QRect,
        flags: int,
        palette: QPalette | Qt.GlobalColor | QColor,
        enabled: bool,
        text: str,
        /,
        textRole: QPalette.ColorRole = QPalette.ColorRole.NoRole,
    ) -> None:
        flags |= int(Qt.TextFlag.TextDontClip)
        super().drawItemText(painter, rect, flags, palette, enabled, text, textRole)


class WeightEditor(QWidget):
    """Every parameter of the document's model as editable tables, one tab per matrix.

    Parameters
    ----------
    document : Document
        Edits go through its model's setters; the tables follow ``model.changed``
        (values, token names and shapes). Reset goes back to its preset, if it came from one.
    history : History
        A mouse drag or a run of wheel notches on one cell is one undo entry.
    parent : QWidget, optional
        Qt parent (the main window puts the editor in a dock).

    Notes
    -----
    ``refused(str)`` (Qt signal) carries the message shown in red when typed
    text or a value is not applied; ``head_changed(int)`` fires when the user
    picks another head for W_Q / W_K / W_V. Call :meth:`shutdown` (or close
    the widget) to disconnect from the model.
    """

    refused = Signal(str)
    head_changed = Signal(int)

    def __init__(self, document: Document, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document, self.model, self.history = document, document.model, history
        self.scrubber = CellScrubber(history, self)
        self.tables: dict[str, ParamTableModel] = {}
        self.views: dict[str, QTableView] = {}
        self.tabs = QTabWidget()
        self._tab_style = UnclippedTabText(self)
        self.tabs.tabBar().setStyle(self._tab_style)
        for index, (title, names) in enumerate(PAGES):
            self.tabs.addTab(self._page(names), title)
            if title == PAGES[-1][0]:  # the one tab named by a word, not a symbol
                bind(self.tabs, partial(self.tabs.setTabText, index), title)
        self._build_controls()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._head_row)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._button_row)
        layout.addWidget(self.message)
        self.tabs.currentChanged.connect(self._on_tab)
        self._sync()
        self._connect()
        follow(self, self._write_head_count)

    # ------------------------------------------------------------ building
    def _page(self, names: tuple[str, ...]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        for name in names:
            table = ParamTableModel(self.model, name, self)
            table.refused.connect(self._show_error)
            table.applied.connect(self._clear_error)
            view = QTableView()
            view.setModel(table)
            # No SelectedClicked: the release that ends a scrub must not open an editor.
            view.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.AnyKeyPressed
            )
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.horizontalHeader().setDefaultSectionSize(64)
            view.verticalHeader().setDefaultSectionSize(22)
            self.scrubber.attach(view)
            self.tables[name], self.views[name] = table, view
            if len(names) > 1:
                layout.addWidget(QLabel(TITLES[name]))
            layout.addWidget(view, 1)
        return page

    def _build_controls(self) -> None:
        self.head_spin = QSpinBox()
        bind(self.head_spin, self.head_spin.setToolTip, N_("Which head of W_Q, W_K and W_V the tables show"))
        self.head_spin.valueChanged.connect(self._on_head)
        self.head_count = QLabel()
        self._head_row = QHBoxLayout()
        head_label = QLabel()
        bind(head_label, head_label.setText, N_("Head"))
        for head_widget in (head_label, self.head_spin, self.head_count):
            self._head_row.addWidget(head_widget)
        self._head_row.addStretch(1)

        self.randomize_button = _button(
            N_("Randomize"),
            N_(
                "Draw new W_Q, W_K, W_V and W_O (all heads) from the seed and zero the biases;\n"
                "the embeddings stay. The same seed gives the same weights."
            ),
        )
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setValue(min(self.model.seed, 2**31 - 1))
        bind(self.seed_spin, self.seed_spin.setToolTip, N_("Seed for Randomize"))
        self.identity_button = _button(
            N_("Identity"),
            N_("Set the matrix on this tab (for W_Q, W_K, W_V: the shown head) to ones on the diagonal"),
        )
        self.zero_button = _button(
            N_("Zero"),
            N_("Set the matrix on this tab to zeros (W_Q, W_K, W_V: the shown head; Biases: all four)"),
        )
        self.reset_button = _button(
            N_("Reset to preset"), N_("Put back the tokens, options and weights of the loaded preset")
        )
        self.randomize_button.clicked.connect(self._on_randomize)
        self.identity_button.clicked.connect(self._on_identity)
        self.zero_button.clicked.connect(self._on_zero)
        self.reset_button.clicked.connect(self._on_reset)
        self._button_row = QHBoxLayout()
        for widget in (
            self.randomize_button,
            self.seed_spin,
            self.identity_button,
            self.zero_button,
            self.reset_button,
        ):
            self._button_row.addWidget(widget)
        self._button_row.addStretch(1)

        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)

    # ------------------------------------------------------------ wiring
    def _connect(self) -> None:
        self.model.changed.connect(self._on_model_changed)
        self.document.source_changed.connect(self._on_source_changed)

    def shutdown(self) -> None:
        """Apply a pending drag, close its undo group and stop following the model."""
        self.scrubber.finish()
        self.model.changed.disconnect(self._on_model_changed)
        self.document.source_changed.disconnect(self._on_source_changed)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # ------------------------------------------------------------ reading
    @property
    def head(self) -> int:
        """The head of W_Q / W_K / W_V the tables show."""
        return self.head_spin.value() - 1  # the spin box counts from 1, as the panels do

    def set_head(self, head: int) -> None:
        """Show another head (e.g. to follow the panels' focus); out-of-range heads are clamped.

        A model → widget update: no ``head_changed`` echo back to the focus.
        """
        self.head_spin.blockSignals(True)
        self.head_spin.setValue(max(0, min(head, self.model.n_heads - 1)) + 1)
        self.head_spin.blockSignals(False)
        for table in self.tables.values():
            table.set_head(self.head)

    def current_names(self) -> tuple[str, ...]:
        """The parameter names on the visible tab."""
        return PAGES[self.tabs.currentIndex()][1]

    def message_text(self) -> str:
        """The red message the user sees ('' when there is none)."""
        return self.message.text()

    # ------------------------------------------------------------ model → widget
    def _on_model_changed(self, _trace: object) -> None:
        if still_alive(self, self.model.changed, self._on_model_changed):
            self._sync()

    def _on_source_changed(self, _source: object) -> None:
        if still_alive(self, self.document.source_changed, self._on_source_changed):
            self.reset_button.setEnabled(self._shipped_preset() is not None)

    def _sync(self) -> None:
        """Follow the model without echo: only setters with Qt signals blocked."""
        n_heads = self.model.n_heads
        self.head_spin.blockSignals(True)
        self.head_spin.setRange(1, n_heads)
        self.head_spin.blockSignals(False)
        self.head_spin.setEnabled(n_heads > 1)
        self._write_head_count()
        for table in self.tables.values():
            table.set_head(self.head)
            table.refresh()
        self_attention = self.model.self_attention
        self.tabs.setTabText(0, "X" if self_attention else "X_q")
        self.tabs.setTabVisible(X_KV_TAB, not self_attention)
        self.reset_button.setEnabled(self._shipped_preset() is not None)
        self.seed_spin.blockSignals(True)
        self.seed_spin.setValue(min(self.model.seed, 2**31 - 1))  # undo and sessions bring seeds back
        self.seed_spin.blockSignals(False)
        self._on_tab(self.tabs.currentIndex())

    def _write_head_count(self) -> None:
        self.head_count.setText(_("of {n}").format(n=self.model.n_heads))

    # ------------------------------------------------------------ widget → model
    def _on_tab(self, _index: int) -> None:
        self.identity_button.setEnabled(self.current_names()[0] in WEIGHTS)

    def _on_head(self, _value: int) -> None:
        head = self.head
        for table in self.tables.values():
            table.set_head(head)
        self.head_changed.emit(head)

    def _edit_current(self, make: str) -> None:
        """Apply zeros or an identity to the current tab's matrices as one edit (one undo entry)."""
        try:
            with self.model.batch():
                for name in self.current_names():
                    array = np.array(self.model.params[name])
                    target = array[self.head] if array.ndim == 3 else array
                    target[...] = np.eye(*target.shape) if make == "identity" else 0.0
                    self.model.set_param(name, array)
        except ValueError as error:
            self._show_error(str(error))
            return
        self._clear_error()

    def _on_identity(self) -> None:
        self._edit_current("identity")

    def _on_zero(self) -> None:
        self._edit_current("zero")

    def _on_randomize(self) -> None:
        try:
            self.model.randomize(self.seed_spin.value())
        except ValueError as error:
            self._show_error(str(error))
            return
        self._clear_error()

    def _shipped_preset(self) -> str | None:
        """The shipped preset the numbers came from (a name a session brought may be anything)."""
        name = self.document.preset_name
        return name if name in AttentionModel.preset_names() else None

    def _on_reset(self) -> None:
        name = self._shipped_preset()
        if name is None:
            return
        try:
            self.model.restore(AttentionModel.from_preset(name).state)
        except (ValueError, OSError) as error:  # PresetError is a ValueError
            self._show_error(str(error))
            return
        self._clear_error()

    # ------------------------------------------------------------ messages
    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.refused.emit(text)

    def _clear_error(self) -> None:
        self.message.clear()
        self.message.setVisible(False)


def _button(text: str, tip: str) -> QPushButton:
    """A button whose text and tip (marked with N_) follow the language."""
    button = QPushButton()
    bind(button, button.setText, text)
    bind(button, button.setToolTip, tip)
    return button
