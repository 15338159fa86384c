"""OnScreen: what the lecturer sees now (step, detail, head, focus, theme, text size), read and set as one.

Sessions save it, exports start from it: they get this small object, not the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from explainer.session import ViewSettings

from .focus import Focus
from .player import Player
from .style import Appearance


@dataclass(frozen=True)
class OnScreen:
    """The player, the shared focus and the appearance of one window (or one export)."""

    player: Player
    focus: Focus
    appearance: Appearance
    view: Callable[[], str] = lambda: "overview"  # the board's view now: presenter or overview

    def settings(self) -> ViewSettings:
        """The view as a session saves it."""
        return ViewSettings(
            step=self.player.index,
            detail=self.player.timeline.detail,
            head=min(self.focus.head, self.player.model.n_heads - 1),
            theme=self.appearance.theme.name,
            font_scale=self.appearance.font_scale,
            focus_query=self.focus.query,
            focus_key=self.focus.key,
        )

    def apply(self, view: ViewSettings) -> None:
        """Show ``view``: detail first (it decides the steps), then the step, then the focus."""
        self.player.set_detail(view.detail)
        self.appearance.set_theme(view.theme)
        self.appearance.set_font_scale(view.font_scale)
        self.player.go_to_step(view.step)
        self.focus.set(head=view.head, query=view.focus_query, key=view.focus_key)
