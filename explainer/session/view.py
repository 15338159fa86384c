"""ViewSettings: what the window showed (step, detail, head, theme, layout, text size, focus)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from numbers import Integral

import numpy as np

from ..animation.steps import DEFAULT_DETAIL, DETAIL_MODES
from ..i18n import _
from .errors import FieldProblem, check_fields

# The board's panels (explainer.qt.board.ALL_PANELS), kept as data: this package never imports Qt.
PANEL_NAMES = ("embeddings", "projections", "scores", "softmax", "weighted_sum", "output")
THEMES = ("light", "dark")
# The text sizes the window offers (Appearance.set_font_scale clamps to this range).
FONT_SCALE_RANGE = (0.6, 3.0)
MAX_STEP = 2**31 - 1
_REALS = (int, float, np.integer, np.floating)  # NumPy numbers from a caller; JSON gives int/float


@dataclass(frozen=True)
class ViewSettings:
    """How a session is shown; saved with the model, validated when a session is loaded.

    Parameters
    ----------
    step : int
        The current walkthrough step, 0-based. The step count depends on the
        model and ``detail``, so the window clamps it to its timeline.
    detail : str
        One of ``explainer.animation.DETAIL_MODES``.
    head : int
        The head shown, 0-based; less than the model's ``n_heads``.
    theme : str
        ``"light"`` or ``"dark"``.
    layout : tuple of str
        The panels shown, a non-empty subset of :data:`PANEL_NAMES` without repeats.
    font_scale : float
        Text size factor, within :data:`FONT_SCALE_RANGE`.
    focus_query, focus_key : int or None
        The focused query row and key column (0-based), or None.
    """

    step: int = 0
    detail: str = DEFAULT_DETAIL
    head: int = 0
    theme: str = "light"
    layout: tuple[str, ...] = PANEL_NAMES
    font_scale: float = 1.0
    focus_query: int | None = None
    focus_key: int | None = None

    def __post_init__(self) -> None:
        # A list from JSON or a caller becomes a tuple, so the settings stay hashable and frozen.
        if isinstance(self.layout, list):
            object.__setattr__(self, "layout", tuple(self.layout))


VIEW_FIELDS = tuple(f.name for f in fields(ViewSettings))


def _whole(field: str, value: object, low: int, high: int) -> int:
    # Integral also takes NumPy integers from a caller; JSON only ever gives int.
    if isinstance(value, bool) or not isinstance(value, Integral) or not low <= int(value) <= high:
        raise FieldProblem(field, _("a whole number from {low} to {high}").format(low=low, high=high), value)
    return int(value)


def _optional(field: str, value: object, count: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= int(value) < count:
        raise FieldProblem(field, _("null or a whole number from 0 to {last}").format(last=count - 1), value)
    return int(value)


def check_view(raw: Mapping[str, object], n_heads: int, n_q: int, n_k: int) -> ViewSettings:
    """Validate view fields against a model of the given sizes.

    Parameters
    ----------
    raw : mapping
        Exactly the fields of :class:`ViewSettings` (a decoded JSON object, or
        ``dataclasses.asdict`` of a ViewSettings).
    n_heads, n_q, n_k : int
        The model's heads, query tokens and key tokens.

    Returns
    -------
    ViewSettings
        With plain ``int`` / ``float`` / ``tuple`` values, ready for JSON.

    Raises
    ------
    FieldProblem
        Naming the field (``view.head``) and what was expected.
    """
    check_fields("view.", raw, VIEW_FIELDS)
    step = _whole("view.step", raw["step"], 0, MAX_STEP)
    head = _whole("view.head", raw["head"], 0, n_heads - 1)
    focus_query = _optional("view.focus_query", raw["focus_query"], n_q)
    focus_key = _optional("view.focus_key", raw["focus_key"], n_k)
    detail, theme = raw["detail"], raw["theme"]
    if not isinstance(detail, str) or detail not in DETAIL_MODES:
        raise FieldProblem("view.detail", _("one of {names}").format(names=", ".join(DETAIL_MODES)), detail)
    if not isinstance(theme, str) or theme not in THEMES:
        raise FieldProblem("view.theme", _("one of {names}").format(names=", ".join(THEMES)), theme)
    low, high = FONT_SCALE_RANGE
    scale = raw["font_scale"]
    # Compared as given: float() of a 400-digit JSON integer would overflow.
    if isinstance(scale, bool) or not isinstance(scale, _REALS) or not low <= scale <= high:
        raise FieldProblem(
            "view.font_scale", _("a number from {low} to {high}").format(low=low, high=high), scale
        )
    layout = raw["layout"]
    if not isinstance(layout, (list, tuple)) or not layout:
        raise FieldProblem("view.layout", _("a non-empty list of panel names"), layout)
    for index, panel in enumerate(layout):
        if not isinstance(panel, str) or panel not in PANEL_NAMES:
            raise FieldProblem(
                f"view.layout[{index}]", _("one of {names}").format(names=", ".join(PANEL_NAMES)), panel
            )
        if panel in layout[:index]:
            raise FieldProblem(f"view.layout[{index}]", _("each panel once"), panel)
    return ViewSettings(step, detail, head, theme, tuple(layout), float(scale), focus_query, focus_key)
