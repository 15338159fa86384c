"""One export, as the CLI and the dialog run it: options → offscreen frames → file (or one per step)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from explainer.animation import DEFAULT_DETAIL, FrameState, Timeline
from explainer.atomic import shown
from explainer.export import (
    STILL_KINDS,
    ExportCancelled,
    FrameSchedule,
    Pacing,
    check_frame_count,
    check_output,
    check_size,
    check_split_output,
    clip_names,
    export_clips,
    export_video,
    finished_state,
    output_kind,
    plan_text,
    select_steps,
    split_folder,
)
from explainer.export.atomic import atomic_target
from explainer.export.split import split_target
from explainer.i18n import _
from explainer.model import AttentionModel, Lesson

from .board import ALL_PANELS
from .offscreen import FrameRenderer

Progress = Callable[[int, int], None]


@dataclass
class ExportOptions:
    """What to export and how; ``head`` and ``still_step`` count from 0.

    ``pacing`` defaults to the walkthrough as the app plays it, holding nothing;
    the command line and the dialog hold the last frame for ``DEFAULT_FINAL_HOLD``.
    ``split``: one file per step in a folder named after ``out`` (see
    :mod:`explainer.export.split`).
    """

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
    pacing: Pacing = field(default_factory=Pacing)
    split: bool = False
    view: str = "presenter"  # the step's panels large; "overview": every panel at once
    text_scale: float | None = None  # the window's text size (Ctrl+=); None: 1


def renderer_for(model: AttentionModel, options: ExportOptions) -> FrameRenderer:
    """The offscreen board that draws ``model`` as ``options`` ask (size, theme, view, …)."""
    return FrameRenderer(
        model,
        size=options.size,
        theme=options.theme,
        captions=options.captions,
        layout=options.layout,
        detail=options.detail,
        head=options.head,
        lesson=options.lesson,
        view=options.view,
        text_scale=options.text_scale,
    )


def export(
    model: AttentionModel,
    out: Path,
    options: ExportOptions,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    keep_responsive: bool = False,
    announce: Callable[[str], None] | None = None,
) -> Path:
    """Render ``model``'s walkthrough offscreen and write ``out`` (format by extension).

    ``announce(text)`` is called once the number of frames is known, before the
    first is rendered, with a line saying how many and how long (see
    :func:`~explainer.export.plan_text`). Returns what was written: ``out``, or
    with ``options.split`` the folder of one file per step. Raises ValueError for
    bad options (more than ``MAX_FRAMES`` frames included; nothing written),
    ExportError when the encoder fails and ExportCancelled on cancel (no file left
    behind either way).
    """
    kind = output_kind(out)
    if options.split:
        if options.still_step is not None:
            raise ValueError(_("split: one file per step is written; a single --step does not go with it"))
        check_split_output(split_folder(out), options.force)
    else:
        check_output(out, options.force)
    snapshot = AttentionModel.from_state(model.state)  # edits during the export don't leak in
    check_size(options.size, kind)
    with renderer_for(snapshot, options) as renderer:
        job = _Job(renderer, options, progress, cancelled, keep_responsive, announce)
        timeline = renderer.timeline
        indices = select_steps(timeline, options.steps, options.from_kind, options.to_kind)
        if options.head is not None and options.steps is None and options.from_kind is None:
            indices = _head_range(timeline, options.head, indices)
        if options.split:
            if kind in STILL_KINDS:
                return job.stills(indices, out)
            return job.clips(indices, out)
        if kind in STILL_KINDS:
            return job.still(indices, out)
        return job.video(indices, out)


@dataclass
class _Job:
    """An export under way: the renderer and what to tell whom."""

    renderer: FrameRenderer
    options: ExportOptions
    progress: Progress | None
    cancelled: Callable[[], bool] | None
    keep_responsive: bool
    announce: Callable[[str], None] | None

    def video(self, indices: range, out: Path) -> Path:
        schedule = FrameSchedule(self.renderer.timeline, indices, self.options.fps, self.options.pacing)
        self._plan(schedule.frames, schedule.pictures)
        return export_video(
            self._frames(schedule),
            out,
            fps=self.options.fps,
            total=schedule.frames,
            force=self.options.force,
            progress=self.progress,
            cancelled=self.cancelled,
        )

    def clips(self, indices: range, out: Path) -> Path:
        """One clip per step: its animation, then its finished state for the end hold."""
        timeline = self.renderer.timeline
        schedules = FrameSchedule(timeline, indices, self.options.fps, self.options.pacing).split()
        frames = sum(schedule.frames for schedule in schedules)
        self._plan(frames, sum(schedule.pictures for schedule in schedules), files=len(schedules))
        names = clip_names(timeline, indices, out)
        return export_clips(
            ((name, self._frames(schedule)) for name, schedule in zip(names, schedules, strict=True)),
            split_folder(out),
            fps=self.options.fps,
            total=frames,
            force=self.options.force,
            progress=self.progress,
            cancelled=self.cancelled,
        )

    def still(self, indices: range, out: Path) -> Path:
        """One step finished (the last of the range unless ``still_step``), as on screen."""
        timeline, renderer = self.renderer.timeline, self.renderer
        index = indices[-1] if self.options.still_step is None else self.options.still_step
        if not 0 <= index < len(timeline.steps):
            raise ValueError(
                _("step: expected 1 to {count}, got {step}").format(count=len(timeline.steps), step=index + 1)
            )
        finished = finished_state(timeline, index)
        if self.options.still_focus is not None:
            # Reach the step first (a new step lights its own query and key), then light
            # what the lecturer clicked: the still shows what the window shows.
            renderer.render(finished)
            query, key = self.options.still_focus
            renderer.focus.set(query=query, key=key)
        with atomic_target(out, self.options.force) as temporary:
            self._save(finished, temporary)
        if self.progress:
            self.progress(1, 1)
        return out

    def stills(self, indices: range, out: Path) -> Path:
        """Each step of ``indices`` finished, one still each, in the split folder."""
        folder, names = split_folder(out), clip_names(self.renderer.timeline, indices, out)
        if self.announce is not None:
            width, height = self.options.size
            self.announce(
                _("export: {count} stills, {width}x{height}, into {folder}").format(
                    count=f"{len(names):,}", width=width, height=height, folder=shown(folder)
                )
            )
        with split_target(folder, self.options.force) as temporary:
            for done, (index, name) in enumerate(zip(indices, names, strict=True), start=1):
                if self.cancelled is not None and self.cancelled():
                    raise ExportCancelled(
                        _("export of {folder}/ cancelled; nothing was written").format(
                            folder=shown(folder.name)
                        )
                    )
                self._save(finished_state(self.renderer.timeline, index), temporary / name)
                if self.progress:
                    self.progress(done, len(names))
                self._breathe()
        return folder

    def _save(self, state: FrameState, path: Path) -> None:
        save = self.renderer.save_png if path.suffix.lower() == ".png" else self.renderer.save_svg
        save(state, path)

    def _plan(self, frames: int, pictures: int, files: int = 1) -> None:
        check_frame_count(frames, self.options.fps)
        if self.announce is not None:
            self.announce(plan_text(frames, self.options.fps, self.options.size, pictures, files))

    def _frames(self, schedule: FrameSchedule) -> Iterator[tuple[np.ndarray, int]]:
        for state, count in schedule.states():
            yield self.renderer.render(state), count  # a hold is rendered once
            self._breathe()

    def _breathe(self) -> None:
        if self.keep_responsive:  # the dialog's Cancel and the window stay live
            QCoreApplication.processEvents()


def _head_range(timeline: Timeline, head: int, indices: range) -> range:
    """With a chosen head: that head's steps only (the panels show that head)."""
    mine = [i for i in indices if timeline.steps[i].head == head]
    return range(mine[0], mine[-1] + 1) if mine else indices
