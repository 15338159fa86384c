"""The window's export actions: the animation, the still and the learning run (File and Learn menus)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from explainer.export import DEFAULT_FINAL_HOLD, Pacing
from explainer.i18n import _
from explainer.model import AttentionModel

if TYPE_CHECKING:
    from .main_window import MainWindow


def export_animation(window: MainWindow) -> None:
    from .export_dialog import ExportDialog

    if window.scenes.current is not None:
        export_scene(window, window.scenes.current, still=False)
        return
    if window.views.current is not None:
        export_view(window, window.views.current, still=False)
        return
    window.player.pause()
    window.learning.learner.pause()  # the weights hold still while they are exported
    ExportDialog(window, window.document, window.on_screen, window.show_status).exec()


def export_learning_run(window: MainWindow) -> None:
    """Export a learning run toward the Learn dock's target, from the weights on screen."""
    from .export_dialog import VIDEO_FILTER
    from .export_job import ExportOptions
    from .export_progress import run_with_progress
    from .learn_export import LearnRun, export_learning

    chosen = window.learning.run_to_export()
    if chosen is None:
        window.show_status(_("Export learning run: pick a target first (Edit ▸ Learn, then click α cells)"))
        return
    target, rate, iterations, biases = chosen
    window.learning.learner.pause()
    name, _filter = QFileDialog.getSaveFileName(
        window, _("Export learning run"), str(Path.home() / "learning.mp4"), _(VIDEO_FILTER)
    )
    if not name:
        return
    run = LearnRun(target, rate, iterations, scramble_seed=None, biases=biases)
    options = ExportOptions(theme=window.appearance.theme.name, pacing=Pacing(final_hold=DEFAULT_FINAL_HOLD))

    def learning(model: AttentionModel, out: Path, opts: ExportOptions, *progress: Any, **kw: Any) -> Path:
        return export_learning(model, out, run, opts, *progress, **kw)

    run_with_progress(window, window.model, Path(name), options, window.show_status, export_with=learning)


def export_still(window: MainWindow) -> None:
    from .export_dialog import export_still as export_still_image

    if window.scenes.current is not None:
        export_scene(window, window.scenes.current, still=True)
        return
    if window.views.current is not None:
        export_view(window, window.views.current, still=True)
        return
    window.player.pause()
    window.learning.learner.pause()
    size = (window.board.width() // 2 * 2, window.board.height() // 2 * 2)
    export_still_image(window, window.document, window.on_screen, size, window.show_status)


def export_scene(window: MainWindow, name: str, still: bool) -> None:
    """The scene on screen as a video (every step, as it plays) or a still of the step on screen."""
    from .export_job import ExportOptions
    from .export_progress import run_with_progress
    from .scene_export import export_scene as export_scene_file
    from .scene_host import SCENE_TITLES

    clock = window.active_clock()
    clock.pause()
    chosen = _ask_target(window, _("Export “{title}”").format(title=_(SCENE_TITLES[name])), name, still)
    if chosen is None:
        return
    options = ExportOptions(
        theme=window.appearance.theme.name,
        pacing=Pacing(final_hold=DEFAULT_FINAL_HOLD),
        still_step=clock.index if still else None,
    )
    timings = window.scenes.timings.get(name)

    def scene(
        _model: AttentionModel,
        out: Path,
        opts: ExportOptions,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
        keep_responsive: bool = False,
    ) -> Path:
        return export_scene_file(name, out, opts, progress, cancelled, keep_responsive, timings=timings)

    run_with_progress(window, window.model, chosen, options, window.show_status, export_with=scene)


def export_view(window: MainWindow, view: str, still: bool) -> None:
    """The head view or the model view on screen: a PNG / SVG still, or a video (as ``export --view``)."""
    from .export_job import ExportOptions
    from .export_progress import run_with_progress
    from .head_view import export_head_view
    from .view_export import export_model_view

    model_page, shown_run = window.views.model_page, window.views.shown_run
    if view == "model" and (model_page is None or shown_run is None):
        window.show_status(_("The model view shows no real checkpoint: nothing to export"))
        return
    title = _("Export the head view") if view == "head" else _("Export the model view")
    chosen = _ask_target(window, title, f"{view}-view", still)
    if chosen is None:
        return
    options = ExportOptions(theme=window.appearance.theme.name)
    head_page, run = window.views.head_page, window.pretrained.run
    heads = list(head_page.view.heads) if head_page is not None else None
    pinned = head_page.view.pinned if head_page is not None else None  # a still keeps the word clicked
    layer = getattr(window.document.source, "layer", 0)

    def write(
        model: AttentionModel,
        out: Path,
        opts: ExportOptions,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
        keep_responsive: bool = False,
    ) -> Path:
        if view == "model" and model_page is not None and shown_run is not None:
            # What the page shows: its run and its selection (the arrows move it).
            return export_model_view(shown_run, out, opts, model_page.view.selection, progress)
        source = None if run is None else _("Layer {n}").format(n=layer + 1)
        return export_head_view(
            model,
            out,
            size=opts.size,
            theme=opts.theme,
            heads=heads,
            token=pinned,
            force=opts.force,
            source=source,
            progress=progress,
            cancelled=cancelled,
            keep_responsive=keep_responsive,
        )

    run_with_progress(window, window.model, chosen, options, window.show_status, export_with=write)


def _ask_target(window: MainWindow, title: str, stem: str, still: bool) -> Path | None:
    """Where to write a still (.png / .svg) or a video of what is on screen; None when cancelled."""
    from .export_dialog import STILL_FILTER, VIDEO_FILTER

    suffix, filters = (".png", _(STILL_FILTER)) if still else (".mp4", _(VIDEO_FILTER))
    chosen, _filter = QFileDialog.getSaveFileName(
        window, title, str(Path.home() / f"{stem}{suffix}"), filters
    )
    return Path(chosen) if chosen else None
