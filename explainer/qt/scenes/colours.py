"""The scenes' colours: one hue per block kind, the same in both themes (Okabe–Ito: colour-blind safe)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from explainer.i18n import N_

from ..style import Theme

# Self, causal and cross attention must never be confused: three far-apart hues.
KIND_COLOURS = {
    "self": "#0072b2",  # blue
    "causal": "#d55e00",  # vermillion
    "cross": "#009e73",  # bluish green
    "rnn": "#cc79a7",  # reddish purple
    "tokens": "#7f8896",  # grey
    "ffn": "#8c7ae6",  # violet
    "output": "#e69f00",  # orange
}
LEGEND_KINDS = (
    ("self", N_("self-attention")),
    ("causal", N_("causal self-attention")),
    ("cross", N_("cross-attention")),
)
RNN_COLOUR, ATTENTION_COLOUR = KIND_COLOURS["rnn"], KIND_COLOURS["self"]


def mix(colour: str | QColor, background: str, share: float) -> QColor:
    """``share`` of ``colour`` over ``background`` (an opaque colour: exports have no alpha)."""
    a, b = QColor(colour), QColor(background)
    return QColor(
        round(a.red() * share + b.red() * (1 - share)),
        round(a.green() * share + b.green() * (1 - share)),
        round(a.blue() * share + b.blue() * (1 - share)),
    )


def block_fill(kind: str, theme: Theme, strong: bool) -> QColor:
    """A block's fill: a tint of its kind's hue (deeper in the dark theme); near the background when faded."""
    share = (0.42 if theme.name == "dark" else 0.26) if strong else 0.08
    return mix(KIND_COLOURS.get(kind, theme.muted), theme.background, share)


def block_border(kind: str, theme: Theme, strong: bool) -> QColor:
    return mix(KIND_COLOURS.get(kind, theme.muted), theme.background, 1.0 if strong else 0.3)
