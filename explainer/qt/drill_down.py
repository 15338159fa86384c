"""A drill-down in the window: one α worked out alone, in the presenter view, with a bar back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from explainer.i18n import N_, _

from .back_bar import BackBar

if TYPE_CHECKING:
    from .main_window import MainWindow


class DrillDown:
    """Opens and leaves the player's cell walkthrough; the view the user had comes back after."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.bar = BackBar(self.leave)
        self._view_before: str | None = None
        # A drill can also end without us: another detail chosen, or an edit that masks the cell.
        # Checked on the frame, not the new timeline: by then the player's state matches it.
        window.player.frame_changed.connect(self._on_frame)

    def shutdown(self) -> None:
        self.window.player.frame_changed.disconnect(self._on_frame)

    def _on_frame(self, _state: object) -> None:
        if self.window.player.drill is None and self._view_before is not None:
            self._ended()

    def open(self, head: int, query: int, key: int) -> None:
        """Work out α(query, key) of ``head``; a masked cell is refused in the status bar."""
        window, player, model = self.window, self.window.player, self.window.model
        try:
            player.drill_into((head, query, key))
        except ValueError as error:
            window.show_status(str(error))
            return
        self._view_before = self._view_before or window.board.view
        self._show_view("presenter")  # the cell's numbers large, beside what they come from
        q, k = model.query_tokens[query], model.key_tokens[key]
        steps, several_heads = len(player.timeline.steps), model.n_heads > 1

        def title() -> str:
            if several_heads:
                return _(
                    "α({query}, {key}) of head {head} worked out in {steps} steps: → plays the next"
                ).format(query=q, key=k, head=head + 1, steps=steps)
            return _("α({query}, {key}) worked out in {steps} steps: → plays the next").format(
                query=q, key=k, steps=steps
            )

        self.bar.show_door(title, N_("the whole walkthrough"))
        player.next_step()

    def leave(self) -> None:
        if self.window.player.drill is not None:
            self.window.player.drill_into(None)  # its first frame ends the drill here (_on_frame)
        if self._view_before is not None:
            self._ended()

    def _ended(self) -> None:
        """The whole walkthrough is back: the bar goes, the view the user had comes back."""
        view, self._view_before = self._view_before, None
        self.bar.hide()
        if view:
            self._show_view(view)

    def _show_view(self, view: str) -> None:
        if self.window.board.view != view:  # not remembered: the drill's view is borrowed
            self.window.board.set_view(view)
            self.window.presenter_action.setChecked(view == "presenter")
