"""One export, as the CLI and the dialog run it: options → offscreen frames → file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from explainer.animation import DEFAULT_DETAIL, Timeline
from explainer.export import (
    check_frame_count,
    check_output,
    check_size,
    export_video,
    frame_count,
    frame_state,
    frame_states,
    output_kind,
    select_steps,
)
from explainer.export.atomic import atomic_target
from explainer.model import AttentionModel, Lesson

from .board import ALL_PANELS
from .offscreen import FrameRenderer

Progress = Callable[[int, int], None]


@dataclass
class ExportOptions:
    """What to export and how; ``head`` and ``still_step`` count from 0."""

    size: tuple[int, int] = (1280, 720)
    fps: float = 30.0
    steps: str | None = None  # "3-17", 1-based as the app shows
    from_kind: str | None = None
    to_kind: str | None = None
    still_step: int | None = None  # for .png / .svg: the step shown finished (default: the last)
    still_focus: tuple[int | None, int | None] | None = None  # for stills: the lit (query, key) on screen
    head: int | None = None
    detail: str = DEFAULT_DETAIL
    theme: str = "light"
    captions: bool = True
    layout: tuple[str, ...] = field(default=ALL_PANELS)
    force: bool = False
    lesson: Lesson | None = None  # the preset's title, description and worked query, as in the window


def export(
    model: AttentionModel,
    out: Path,
    options: ExportOptions,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    keep_responsive: bool = False,
    announce: Callable[[int], None] | None = None,
) -> Path:
    """Render ``model``'s walkthrough offscreen and write ``out`` (format by extension).

    ``announce(frames)`` is called once the number of frames is known, before
    the first is rendered. Raises ValueError for bad options (more than
    ``MAX_FRAMES`` frames included; nothing written), ExportError when the
    encoder fails and ExportCancelled on cancel (no file left behind either way).
    """
    kind = output_kind(out)
    check_output(out, options.force)
    snapshot = AttentionModel.from_state(model.state)  # edits during the export don't leak in
    check_size(options.size, kind)
    with FrameRenderer(
        snapshot,
        size=options.size,
        theme=options.theme,
        captions=options.captions,
        layout=options.layout,
        detail=options.detail,
        head=options.head,
        lesson=options.lesson,
    ) as renderer:
        timeline = renderer.timeline
        indices = select_steps(timeline, options.steps, options.from_kind, options.to_kind)
        if options.head is not None and options.steps is None and options.from_kind is None:
            indices = _head_range(timeline, options.head, indices)
        if kind in ("png", "svg"):
            index = indices[-1] if options.still_step is None else options.still_step
            if not 0 <= index < len(timeline.steps):
                raise ValueError(f"step: expected 1 to {len(timeline.steps)}, got {index + 1}")
            finished = frame_state(
                timeline,
                timeline.start(index + 1) if index + 1 < len(timeline.steps) else timeline.duration,
                range(index, index + 1),
            )
            if options.still_focus is not None:
                # Reach the step first (a new step lights its own query and key), then light
                # what the lecturer clicked: the still shows what the window shows.
                renderer.render(finished)
                query, key = options.still_focus
                renderer.focus.set(query=query, key=key)
            with atomic_target(out, options.force) as temporary:
                (renderer.save_png if kind == "png" else renderer.save_svg)(finished, temporary)
            if progress:
                progress(1, 1)
            return out
        total = frame_count(timeline, indices, options.fps)
        check_frame_count(total, options.fps)
        if announce is not None:
            announce(total)

        def frames() -> Iterator[np.ndarray]:
            for state in frame_states(timeline, indices, options.fps):
                yield renderer.render(state)
                if keep_responsive:  # the dialog's Cancel and the window stay live
                    QCoreApplication.processEvents()

        return export_video(
            frames(),
            out,
            fps=options.fps,
            total=total,
            force=options.force,
            progress=progress,
            cancelled=cancelled,
        )


def _head_range(timeline: Timeline, head: int, indices: range) -> range:
    """With a chosen head: that head's steps only (the panels show that head)."""
    mine = [i for i in indices if timeline.steps[i].head == head]
    return range(mine[0], mine[-1] + 1) if mine else indices
