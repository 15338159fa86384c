"""What one step of the walkthrough is: a kind, where it applies, a caption, a duration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError

from explainer.i18n import _

from .kinds import StepKind

STEP_KINDS: tuple[str, ...] = tuple(kind.value for kind in StepKind)

DETAIL_MODES = ("full", "first-query", "rows", "matrix")
DEFAULT_DETAIL = "first-query"

# Seconds per step at 1× speed, by granularity: one cell, one row, a whole matrix.
DURATIONS = {"cell": 1.2, "row": 1.6, "matrix": 2.5, "stage": 2.5, "embed": 3.0}


class Step:
    """One step of the walkthrough: ``kind``, ``head``, ``query``, ``key``, ``caption``, ``duration``.

    ``kind`` is a :class:`StepKind` (a string given is converted; an unknown one is a ValueError).

    ``head``, ``query`` and ``key`` are indices, or None where the step covers
    all of them (``query=None`` on a ``dot`` step: the whole score matrix).
    ``caption`` may be given as a function: it is then written on first use, so
    a real model's thousands of steps cost nothing until one is shown.
    """

    __slots__ = ("_caption", "duration", "head", "key", "kind", "query")
    kind: StepKind
    head: int | None
    query: int | None
    key: int | None
    duration: float
    _caption: str | Callable[[], str]

    def __init__(
        self,
        kind: StepKind | str,
        head: int | None,
        query: int | None,
        key: int | None,
        caption: str | Callable[[], str],
        duration: float,
    ) -> None:
        for name, value in zip(
            ("kind", "head", "query", "key", "_caption", "duration"),
            (StepKind(kind), head, query, key, caption, duration),
            strict=True,
        ):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}: a Step does not change")

    @property
    def caption(self) -> str:
        if not isinstance(self._caption, str):
            object.__setattr__(self, "_caption", self._caption())  # written once, then kept
        assert isinstance(self._caption, str)
        return self._caption

    @property
    def granularity(self) -> str:
        return Step.scope(self.query, self.key)

    @staticmethod
    def scope(query: int | None, key: int | None) -> str:
        """``"cell"``, ``"row"`` or ``"matrix"``: how much a step with this query and key covers."""
        if query is None:
            return "matrix"
        return "row" if key is None else "cell"

    def _key(self) -> tuple[object, ...]:
        return (self.kind, self.head, self.query, self.key, self.caption, self.duration)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Step) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Step(kind={self.kind!r}, head={self.head!r}, query={self.query!r}, key={self.key!r}, "
            f"caption={self.caption!r}, duration={self.duration!r})"
        )


def cells(detail: str, n_q: int, n_k: int, worked: int = 0) -> list[tuple[int | None, int | None]]:
    """The (query, key) pairs a per-cell stage walks through in ``detail`` mode.

    ``first-query`` works query ``worked`` key by key (the lecture's "hate") and
    takes every other query a row at a time, in sentence order.
    """
    if detail == "full":
        return [(i, j) for i in range(n_q) for j in range(n_k)]
    if detail == "first-query":
        return [(i, j) for i in range(n_q) for j in (range(n_k) if i == worked else [None])]
    if detail == "rows":
        return [(i, None) for i in range(n_q)]
    if detail == "matrix":
        return [(None, None)]
    raise ValueError(
        _("detail: expected one of {modes}, got {detail}").format(
            modes=", ".join(DETAIL_MODES), detail=repr(detail)
        )
    )
