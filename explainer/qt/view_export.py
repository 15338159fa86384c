"""``export --view model``: a real checkpoint's model view as a still, or a video touring its heads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from explainer.export import STILL_KINDS, check_output, check_size, export_video, output_kind, plan_text

from .application import application, dispose
from .export_job import ExportOptions, Progress
from .model_view import ModelViewPage, model_view_title, save_model_view_png, save_model_view_svg
from .pixels import widget_rgb
from .style import THEME_STYLES, Appearance

if TYPE_CHECKING:
    from explainer.real import BertRun

SECONDS_PER_HEAD = 0.6  # a tour of 72 heads is 43 s: long enough to point at one, short enough to watch


def export_model_view(
    run: BertRun,
    out: Path,
    options: ExportOptions,
    selected: tuple[int, int] = (0, 0),
    progress: Progress | None = None,
    announce: Callable[[str], None] | None = None,
) -> Path:
    """Every layer × head of ``run``: a .png / .svg with ``selected`` outlined, or a video
    (.mp4, .gif, frames) that outlines each head in turn, layer by layer."""
    from explainer.real import all_attentions

    kind = output_kind(out)
    check_output(out, options.force)
    check_size(options.size, kind)
    attentions = all_attentions(run)
    checkpoint = run.checkpoint
    title = model_view_title(checkpoint.name, checkpoint.n_layers, attentions.shape[1], run.text)
    if kind in STILL_KINDS:
        save = save_model_view_svg if kind == "svg" else save_model_view_png
        written = save(
            attentions,
            run.tokens,
            out,
            options.size,
            options.theme,
            title,
            selected=selected,
            force=options.force,
        )
        if progress is not None:
            progress(1, 1)
        return written
    heads = [(layer, head) for layer in range(attentions.shape[0]) for head in range(attentions.shape[1])]
    hold = max(1, round(SECONDS_PER_HEAD * options.fps))
    total = hold * len(heads)
    if announce is not None:
        announce(plan_text(total, options.fps, options.size, len(heads)))
    application()
    page = ModelViewPage(Appearance(theme=THEME_STYLES[options.theme]))
    try:
        page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        page.resize(*options.size)
        page.show_attentions(attentions, run.tokens, title)
        page.show()

        def frames() -> Iterator[tuple[np.ndarray, int]]:
            for layer, head in heads:
                page.select(layer, head)
                yield _picture(page, options.size), hold

        return export_video(
            frames(), out, fps=options.fps, total=total, force=options.force, progress=progress
        )
    finally:
        page.shutdown()
        dispose(page)


def _picture(page: QWidget, size: tuple[int, int]) -> np.ndarray:
    return widget_rgb(page, size, page.palette().window().color())
