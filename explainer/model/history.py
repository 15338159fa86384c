"""Undo / redo of ModelState snapshots for one AttentionModel (Qt-free)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from psygnal import Signal

from ..i18n import _
from .attention import AttentionModel
from .state import CellEdit, ModelState
from .undo_entry import UndoEntry, rebuild, record

DEFAULT_LIMIT = 500
# A new seed of a real 12-head BERT layer keeps ~20 MB: a count cap alone could
# hold gigabytes, so the oldest entries also go when this budget is exceeded.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


class History:
    """Undo and redo every effective edit of ``model``.

    Parameters
    ----------
    model : AttentionModel
        The model to follow; each ``model.changed`` emission records the
        state before it as one undo entry.
    limit : int
        At most this many undo entries; the oldest are dropped first.
    max_bytes : int
        Memory budget for the undo entries (an entry keeps the cells an edit
        changed, or whole arrays where most changed); the oldest entries go
        first, the newest always stays.

    Notes
    -----
    ``changed`` (no arguments) emits whenever ``can_undo`` / ``can_redo``
    may have changed. ``with history.group():`` (or ``begin_group`` /
    ``end_group`` around a mouse drag) turns many edits into one entry.
    """

    changed = Signal()

    def __init__(
        self, model: AttentionModel, *, limit: int = DEFAULT_LIMIT, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(_("limit: expected a whole number >= 1, got {value}").format(value=repr(limit)))
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError(
                _("max_bytes: expected a whole number >= 1, got {value}").format(value=repr(max_bytes))
            )
        self.model = model
        self.limit = limit
        self.max_bytes = max_bytes
        # Each entry rebuilds its state from the one above it; the top one (undo or redo) from
        # _chain, the very state it was recorded against (not the model's, which a change
        # no one recorded may have moved on: an edit group ending where it began).
        self._undo: deque[UndoEntry] = deque()
        self._redo: list[UndoEntry] = []
        self._current = model.state  # model.changed tells us the new state only
        self._chain = model.state
        self._restoring = False
        self._group_depth = 0
        self._group_start: ModelState | None = None
        model.changed.connect(self._on_model_changed)

    # ------------------------------------------------------------------ reading
    @property
    def can_undo(self) -> bool:
        return bool(self._undo) or self._group_pending()

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_count(self) -> int:
        """Number of undo entries (an open group with edits counts as one)."""
        return len(self._undo) + int(self._group_pending())

    @property
    def redo_count(self) -> int:
        return len(self._redo)

    # ------------------------------------------------------------------ acting
    def undo(self) -> bool:
        """Go back one entry; False when there is nothing to undo."""
        self._close_group()
        if not self._undo:
            return False
        target = rebuild(self._undo[-1], self._chain)
        self._undo.pop()
        self._redo.append(record(self.model.state, target))
        self._chain = target
        self._restore(target)
        return True

    def redo(self) -> bool:
        """Go forward one entry; False when there is nothing to redo."""
        self._close_group()
        if not self._redo:
            return False
        target = rebuild(self._redo[-1], self._chain)
        self._redo.pop()
        self._push(self.model.state, target)
        self._restore(target)
        return True

    def clear(self) -> None:
        """Forget every entry (e.g. after loading a preset): the current state is the new start."""
        self._undo.clear()
        self._redo.clear()
        self._current = self._chain = self.model.state
        if self._group_depth:
            self._group_start = self._current
        self.changed.emit()

    def begin_group(self) -> None:
        """Start a group: every edit until the matching :meth:`end_group` is one entry."""
        if self._group_depth == 0:
            self._group_start = self.model.state
        self._group_depth += 1

    def end_group(self) -> None:
        """End a group; an unmatched call (the group was closed by undo) does nothing."""
        if self._group_depth == 0:
            return
        self._group_depth -= 1
        if self._group_depth == 0:
            self._close_group()

    @contextmanager
    def group(self) -> Iterator[None]:
        """``with history.group():`` — the edits inside become one undo entry."""
        self.begin_group()
        try:
            yield
        finally:
            self.end_group()

    def close(self) -> None:
        """Stop following the model."""
        self.model.changed.disconnect(self._on_model_changed)

    # ------------------------------------------------------------------ helpers
    def _on_model_changed(self, _trace: object) -> None:
        previous, self._current = self._current, self.model.state
        if self._restoring or self._group_depth:
            return  # our own restore, or a group that records once at its end
        self._push(previous, self._current, self.model.last_edit)
        self._redo.clear()
        self.changed.emit()

    def _group_pending(self) -> bool:
        return self._group_start is not None and not self._group_start.same_as(self.model.state)

    def _close_group(self) -> None:
        """Record an open group's start state (if anything changed) and end it."""
        start, self._group_start = self._group_start, None
        self._group_depth = 0
        if start is not None and not start.same_as(self.model.state):
            self._push(start, self.model.state)
            self._redo.clear()
            self.changed.emit()

    def _restore(self, state: ModelState) -> None:
        self._restoring = True
        try:
            self.model.restore(state)
        finally:
            self._restoring = False
        self._current = self.model.state
        self.changed.emit()

    def _push(self, earlier: ModelState, later: ModelState, edit: CellEdit | None = None) -> None:
        """Record ``earlier`` as the new top entry; ``later`` is the state it is undone from."""
        self._undo.append(record(earlier, later, edit))
        self._chain = later
        while len(self._undo) > self.limit or (len(self._undo) > 1 and self._bytes() > self.max_bytes):
            self._undo.popleft()  # each entry needs only the one above it: the oldest can go alone

    def _bytes(self) -> int:
        return sum(entry.nbytes for entry in (*self._undo, *self._redo))
