"""The shared focus: which head, query and key every panel lights up."""

from __future__ import annotations

from psygnal import Signal


class Focus:
    """Head, query ``i`` and key ``j`` shared by all panels (None: nothing chosen).

    ``changed`` emits only when something really changes.
    """

    changed = Signal()

    def __init__(self) -> None:
        self.head = 0
        self.query: int | None = None
        self.key: int | None = None

    def set(self, *, head: int | None = None, query: int | None = -1, key: int | None = -1) -> None:
        """Update some fields; -1 means "leave as is" so None can clear a field."""
        new = (
            self.head if head is None else head,
            self.query if query == -1 else query,
            self.key if key == -1 else key,
        )
        if new != (self.head, self.query, self.key):
            self.head, self.query, self.key = new
            self.changed.emit()

    def clamp(self, n_heads: int, n_q: int, n_k: int) -> None:
        """Keep the focus inside a model that just changed size."""
        self.set(
            head=min(self.head, n_heads - 1),
            query=None if self.query is None or self.query >= n_q else self.query,
            key=None if self.key is None or self.key >= n_k else self.key,
        )
