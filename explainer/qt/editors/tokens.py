"""TokenEditor: sentences, attention mode, sizes and the 1/√d_k switch."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from explainer.i18n import N_, _
from explainer.model import MAX_D_K, MAX_D_MODEL, MAX_HEADS, Document, ModelState
from explainer.model.designed_rows import preset_rows
from explainer.model.state import token_embedding

from ..words import bind
from .lifetime import still_alive

MODES = (
    ("self", N_("self-attention")),
    ("cross", N_("cross-attention")),
    ("causal", N_("causal self-attention")),
)
WEIGHT_NAMES = ("w_q", "w_k", "w_v", "w_o", "b_q", "b_k", "b_v", "b_o")
ERROR_STYLE = "color: #c0392b;"
LOSE_EDITS_QUESTION = N_(
    "Changing the sizes draws new random weights: your edits to the weights "
    "(and, if d_model changes, to the embeddings) will be replaced. "
    "Undo can bring them back. Change the sizes?"
)


class TokenEditor(QWidget):
    """Edit the sentences, the mode (self / cross / causal), the sizes and the scaling.

    Parameters
    ----------
    document : Document
        Sentences go through :meth:`Document.set_tokens` (a word of the preset
        typed again gets its designed row back), other edits through the model's
        setters; the fields follow ``document.model.changed`` (e.g. a preset
        load or an undo) without echoing back.
    ask : callable, optional
        ``ask(question) -> bool``, called before a size change would replace
        edited weights; False keeps the model as it is. Default: a
        ``QMessageBox.question``.
    parent : QWidget, optional
        Qt parent.

    Notes
    -----
    Bad input (an empty sentence, too many tokens, a too-long token) shows
    the model's message in red next to the field, and the field goes back to
    the model's value; ``refused(str)`` (Qt signal) carries the same text.
    After loading a preset, call :meth:`mark_clean` so that a later size
    change does not ask about the preset's own weights.
    """

    refused = Signal(str)

    def __init__(
        self,
        document: Document,
        ask: Callable[[str], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.model = model = document.model
        self.ask = ask if ask is not None else self._ask_with_dialog
        # Clean = as loaded or as a size change drew them. Weights and embeddings are
        # tracked apart: a d_k change redraws the weights but keeps edited embeddings.
        self._clean_weights = self._clean_embeddings = model.state
        self._shown: dict[str, object] = {}  # what the fields last showed of the model
        self._build()
        self._sync()
        self._connect()

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        self.query_edit = QLineEdit()
        bind(
            self.query_edit,
            self.query_edit.setToolTip,
            N_("The query sentence (decoder side); words split on spaces. Enter applies."),
        )
        self.key_edit = QLineEdit()
        bind(
            self.key_edit,
            self.key_edit.setToolTip,
            N_("The key / value sentence (encoder side) for cross-attention"),
        )
        self.mode_combo = QComboBox()
        for index, (mode, text) in enumerate(MODES):
            self.mode_combo.addItem(text, mode)
            bind(self.mode_combo, partial(self.mode_combo.setItemText, index), text)
        bind(
            self.mode_combo,
            self.mode_combo.setToolTip,
            N_(
                "self: one sentence attends to itself (encoder); cross: queries from one sentence,\n"
                "keys and values from another (decoder → encoder); causal: self-attention where\n"
                "no token sees later ones (decoder-only)"
            ),
        )
        self.d_model_spin = self._spin(MAX_D_MODEL, N_("d_model: length of each embedding row"))
        self.d_k_spin = self._spin(MAX_D_K, N_("d_k (= d_v): length of each query, key and value"))
        self.heads_spin = self._spin(MAX_HEADS, N_("Number of attention heads"))
        self.scale_check = QCheckBox()
        bind(self.scale_check, self.scale_check.setText, N_("Scale scores by 1/√d_k"))
        bind(
            self.scale_check,
            self.scale_check.setToolTip,
            N_("Switch off to see the softmax saturate for large d_k"),
        )
        self.messages = {which: self._message_label() for which in ("queries", "keys", "options")}

        form = QFormLayout(self)
        form.addRow(_label(N_("Queries")), self.query_edit)
        form.addRow(self.messages["queries"])
        form.addRow(_label(N_("Keys / values")), self.key_edit)
        form.addRow(self.messages["keys"])
        self._key_row = 2
        form.addRow(_label(N_("Mode")), self.mode_combo)
        form.addRow("d_model", self.d_model_spin)
        form.addRow("d_k", self.d_k_spin)
        form.addRow(_label(N_("Heads")), self.heads_spin)
        form.addRow(self.scale_check)
        form.addRow(self.messages["options"])
        self.form = form

    @staticmethod
    def _spin(maximum: int, tip: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(1, maximum)
        bind(spin, spin.setToolTip, tip)
        # Only Enter, focus-out or the arrows apply: typing "64" must not try d = 6 first.
        spin.setKeyboardTracking(False)
        return spin

    @staticmethod
    def _message_label() -> QLabel:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    # ------------------------------------------------------------ wiring
    def _connect(self) -> None:
        self.model.changed.connect(self._on_model_changed)
        self.query_edit.editingFinished.connect(self._on_queries)
        self.key_edit.editingFinished.connect(self._on_keys)
        self.mode_combo.currentIndexChanged.connect(self._on_mode)
        for spin in (self.d_model_spin, self.d_k_spin, self.heads_spin):
            spin.valueChanged.connect(self._on_sizes)
        self.scale_check.toggled.connect(self._on_scale)

    def shutdown(self) -> None:
        """Stop following the model."""
        self.model.changed.disconnect(self._on_model_changed)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # ------------------------------------------------------------ public
    def mark_clean(self) -> None:
        """Take the model's current state as unedited (call after loading a preset)."""
        self._clean_weights = self._clean_embeddings = self.model.state

    def message_text(self, which: str = "queries") -> str:
        """The red message next to ``"queries"``, ``"keys"`` or ``"options"`` ('' if none)."""
        return self.messages[which].text()

    def would_lose_edits(self, d_model: int | None = None) -> bool:
        """True when a size change (to ``d_model``) would replace edited numbers.

        Weights and biases count as edited when they differ from the last
        preset load / size change; embeddings only matter when d_model
        changes, and a row counts as edited when it differs from the clean row
        of the same token (or, for a new token, its derived row). Token and
        option changes survive a size change, so they do not count.
        """
        state, clean = self.model.state, self._clean_weights
        for name in WEIGHT_NAMES:
            now, then = state.params[name], clean.params[name]
            if now.shape != then.shape or not np.array_equal(now, then):
                return True
        if d_model is None or d_model == self.model.d_model:
            return False
        designed = preset_rows(self.document.preset_name, self.model.d_model)
        return _embeddings_edited(state, self._clean_embeddings, self.model.seed, designed)

    # ------------------------------------------------------------ model → widget
    def _on_model_changed(self, _trace: object) -> None:
        if still_alive(self, self.model.changed, self._on_model_changed):
            self._sync()

    def _sync(self) -> None:
        """Show the model; a field changes only when its model value did (no echo, no lost typing)."""
        m = self.model
        values: dict[str, object] = {
            "queries": m.query_tokens,
            "mode": m.mode,
            "d_model": m.d_model,
            "d_k": m.d_k,
            "heads": m.n_heads,
            "scale": m.scale,
        }
        if m.mode == "cross":
            values["keys"] = m.key_tokens  # in self mode the key field keeps the last keys typed
        elif "keys" not in self._shown:
            values["keys"] = m.key_tokens
        changed = {k: v for k, v in values.items() if self._shown.get(k) != v}
        self._shown.update(values)
        widgets = (self.query_edit, self.key_edit, self.mode_combo, self.scale_check)
        spins = {"d_model": self.d_model_spin, "d_k": self.d_k_spin, "heads": self.heads_spin}
        for widget in (*widgets, *spins.values()):
            widget.blockSignals(True)
        try:
            if "queries" in changed:
                self.query_edit.setText(" ".join(m.query_tokens))
            if "keys" in changed:
                self.key_edit.setText(" ".join(m.key_tokens))
            if "mode" in changed:
                self.mode_combo.setCurrentIndex(self.mode_combo.findData(m.mode))
            for name, spin in spins.items():
                if name in changed:
                    spin.setValue(int(values[name]))  # type: ignore[call-overload]
            if "scale" in changed:
                self.scale_check.setChecked(m.scale)
        finally:
            for widget in (*widgets, *spins.values()):
                widget.blockSignals(False)
        cross = m.mode == "cross"
        self.form.setRowVisible(self._key_row, cross)
        self.messages["keys"].setVisible(cross and bool(self.messages["keys"].text()))

    def _restore_fields(self, *names: str) -> None:
        """Put these fields back to the model's value (after a refused edit or a "no")."""
        for name in names:
            self._shown.pop(name, None)
        self._sync()

    # ------------------------------------------------------------ widget → model
    def _apply(self, which: str, edit: Callable[[], None], fields: tuple[str, ...]) -> bool:
        """Run ``edit``; on ValueError leave the model and ``fields`` as they were, show why."""
        before = self.model.state
        try:
            with self.model.batch():
                try:
                    edit()
                except ValueError:
                    self.model.restore(before)  # undo a half-done mode switch; no emission
                    raise
        except ValueError as error:
            self.messages[which].setText(str(error))
            self.messages[which].setVisible(True)
            self._restore_fields(*fields)
            self.refused.emit(str(error))
            return False
        self.messages[which].clear()
        self.messages[which].setVisible(False)
        return True

    def _on_queries(self) -> None:
        queries = self.query_edit.text().split()
        keys = self.model.key_tokens if self.model.mode == "cross" else None
        if self._apply("queries", lambda: self.document.set_tokens(queries, keys), ("queries",)):
            self._restore_fields("queries")  # as the model stored them: extra spaces collapsed

    def _on_keys(self) -> None:
        if self.model.mode != "cross":
            return  # the field is hidden; its text waits for a switch to cross
        keys = self.key_edit.text().split()
        if self._apply("keys", lambda: self.document.set_tokens(self.model.query_tokens, keys), ("keys",)):
            self._restore_fields("keys")

    def _on_mode(self, _index: int) -> None:
        mode = self.mode_combo.currentData()
        queries = self.model.query_tokens
        if mode == "cross":
            # The last key sentence typed, or the queries themselves as a start.
            keys = self.key_edit.text().split() or queries

            def edit() -> None:
                self.model.set_options(causal=False)  # causal needs self-attention: drop it first
                self.document.set_tokens(queries, keys)

        else:

            def edit() -> None:
                self.document.set_tokens(queries)
                self.model.set_options(causal=mode == "causal")

        self._apply("options", edit, ("mode", "keys"))

    def _on_sizes(self, _value: int) -> None:
        m = self.model
        d_model, d_k, heads = self.d_model_spin.value(), self.d_k_spin.value(), self.heads_spin.value()
        if (d_model, d_k, heads) == (m.d_model, m.d_k, m.n_heads):
            return
        sizes = ("d_model", "d_k", "heads")
        if self.would_lose_edits(d_model) and not self.ask(_(LOSE_EDITS_QUESTION)):
            self._restore_fields(*sizes)
            return
        d_v = d_k if d_k != m.d_k else m.d_v  # d_v follows d_k

        def edit() -> None:
            m.set_dims(d_model=d_model, d_k=d_k, d_v=d_v, n_heads=heads)

        d_model_before = m.d_model
        if self._apply("options", edit, sizes):
            self._clean_weights = m.state
            if m.d_model != d_model_before:  # embeddings were derived afresh
                self._clean_embeddings = m.state

    def _on_scale(self, checked: bool) -> None:
        self._apply("options", lambda: self.model.set_options(scale=checked), ("scale",))

    def _ask_with_dialog(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            _("Change sizes?"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def _label(text: str) -> QLabel:
    """A form's label whose text (marked with N_) follows the language."""
    label = QLabel()
    bind(label, label.setText, text)
    return label


def _embeddings_edited(
    state: ModelState, base: ModelState, seed: int, designed: Mapping[str, np.ndarray] | None
) -> bool:
    """Whether any embedding row differs from its token's clean rows (or designed, or derived row)."""
    clean: dict[str, list[np.ndarray]] = {}
    base_keys = base.query_tokens if base.key_tokens is None else base.key_tokens
    for tokens, rows in ((base.query_tokens, base.params["x_q"]), (base_keys, base.params["x_kv"])):
        for token, row in zip(tokens, rows, strict=True):
            clean.setdefault(token, []).append(row)
    keys = state.query_tokens if state.key_tokens is None else state.key_tokens
    d_model = state.params["x_q"].shape[1]
    for tokens, rows in ((state.query_tokens, state.params["x_q"]), (keys, state.params["x_kv"])):
        for token, row in zip(tokens, rows, strict=True):
            candidates = [
                *clean.get(token, []),
                *(designed or {}).get(token, []),
                token_embedding(token, d_model, seed),
            ]
            if not any(c.shape == row.shape and np.array_equal(c, row) for c in candidates):
                return True
    return False
