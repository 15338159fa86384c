"""Export a scene (the architecture map, RNN vs attention) like the attention walkthrough.

The frames are the scene's page drawn offscreen at the export size: the same
widget, the same code as in the window. The RNN scene's chart needs timings: the
window passes the ones it measured; the command line measures them first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from explainer.export import (
    STILL_KINDS,
    FrameSchedule,
    check_frame_count,
    check_output,
    check_size,
    export_video,
    output_kind,
    plan_text,
)
from explainer.i18n import _
from explainer.scenes import SceneFrame, SceneTimeline, TimingPoint, measure_timings, scene_timeline

from .application import application
from .export_job import ExportOptions, Progress
from .offscreen import caption_scale_for
from .scenes import ScenePage, render_scene_frame
from .style import THEME_STYLES, Appearance

__all__ = ["export_scene", "finished_frame", "scene_still"]


def finished_frame(timeline: SceneTimeline, index: int) -> SceneFrame:
    """Step ``index`` complete (an export holds or stops there, not on the next step's start)."""
    step = timeline.steps[index]
    previous = timeline.steps[index - 1] if index > 0 else None
    return SceneFrame(timeline.start(index) + step.duration, index, step, 1.0, 1.0, previous)


def export_scene(
    name: str,
    out: Path,
    options: ExportOptions,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    keep_responsive: bool = False,
    announce: Callable[[str], None] | None = None,
    timings: Sequence[TimingPoint] | None = None,
) -> Path:
    """Render scene ``name`` offscreen and write ``out``: an MP4, a GIF, PNG frames, or one still.

    A ``.png`` or ``.svg`` is a still of step ``options.still_step`` finished (default:
    the last). ``timings``: the RNN scene's measured figures (measured here when None).
    Raises ValueError for bad options (nothing written), ExportError when the encoder
    fails and ExportCancelled on cancel.
    """
    kind = output_kind(out)
    check_output(out, options.force)
    check_size(options.size, kind)
    if name == "rnn-vs-attention" and timings is None:
        timings = measure_timings()
    timeline = scene_timeline(name, timings)
    # The caption keeps its share of the frame: a 4K export reads like 720p.
    appearance = Appearance(theme=THEME_STYLES[options.theme], caption_scale=caption_scale_for(options.size))
    application()
    page = ScenePage(name, appearance)
    try:
        if timings is not None:
            page.set_timings(timings)
        if kind in STILL_KINDS:
            return scene_still(page, timeline, out, options)
        schedule = FrameSchedule(timeline, range(len(timeline.steps)), options.fps, options.pacing)
        check_frame_count(schedule.frames, options.fps)
        if announce is not None:
            announce(plan_text(schedule.frames, options.fps, options.size, schedule.pictures))

        def frames() -> Iterator[tuple[np.ndarray, int]]:
            for shot in schedule.shots():
                state = finished_frame(timeline, shot.step) if shot.t is None else timeline.state_at(shot.t)
                yield render_scene_frame(page, state, options.size, appearance), shot.frames
                if keep_responsive:
                    QCoreApplication.processEvents()

        return export_video(
            frames(),
            out,
            fps=options.fps,
            total=schedule.frames,
            force=options.force,
            progress=progress,
            cancelled=cancelled,
        )
    finally:
        page.close()
        page.deleteLater()


def scene_still(page: ScenePage, timeline: SceneTimeline, out: Path, options: ExportOptions) -> Path:
    """One step of the scene, finished, as a PNG (pixels) or an SVG (vector: the view's own drawing)."""
    from .scene_still import save_scene_still

    count = len(timeline.steps)
    index = count - 1 if options.still_step is None else options.still_step
    if not 0 <= index < count:
        raise ValueError(
            _("--step: the scene {name} has steps 1 to {count}, got {step}").format(
                name=timeline.name, count=count, step=index + 1
            )
        )
    return save_scene_still(page, finished_frame(timeline, index), out, options)
