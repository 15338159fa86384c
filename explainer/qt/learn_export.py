"""Export a learning run as a video: gradient descent on W_Q and W_K, one frame per iteration.

``python main.py export --learn …`` runs it; a GUI export passes the dock's target and settings.

The frames are the presenter view on the last softmax step (α large, its row worked
out) with the target cells flagged, as the Learn dock frames a run in the window;
the caption is the run's line: the iteration, the loss, the weight that moved most.
The model is a snapshot: the run never touches the user's model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from explainer.animation import FrameState, StepKind
from explainer.export import (
    STILL_KINDS,
    check_frame_count,
    check_output,
    check_size,
    export_video,
    finished_state,
    output_kind,
    plan_text,
)
from explainer.i18n import N_, _
from explainer.model import (
    AttentionModel,
    AttentionTarget,
    LearnStep,
    apply_params,
    descend,
    make_target,
    preset_target,
    scramble,
    target_from_pairs,
)
from explainer.model.learn import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE

from .export_job import ExportOptions, Progress, renderer_for
from .learning.run import largest_change_text, loss_text
from .offscreen import FrameRenderer
from .panels.softmax import SoftmaxPanel

MAX_ITERATIONS = 100_000  # as the Learn dock's box
# Seconds a frame's numbers must not round to: a hold is ceil(seconds × fps) frames.
_FRAME_EPS = 1e-9


@dataclass(frozen=True)
class LearnRun:
    """What to learn and how: the target, the descent, where it starts, which iterations are frames.

    ``scramble_seed``: start from :func:`~explainer.model.scramble` with this seed
    (avoiding the target's pattern), or from the model's own weights when None.
    ``every``: one frame per ``every`` iterations (and always the last).
    """

    target: AttentionTarget
    learning_rate: float = DEFAULT_LEARNING_RATE
    iterations: int = DEFAULT_ITERATIONS
    every: int = 1
    scramble_seed: int | None = 1
    biases: bool = False

    def __post_init__(self) -> None:
        count, every = self.iterations, self.every
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_ITERATIONS:
            raise ValueError(
                _("--iterations: expected a whole number from 1 to {most}, got {count}").format(
                    most=f"{MAX_ITERATIONS:,}", count=count
                )
            )
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(
                _("--every: expected a whole number of iterations, 1 or more, got {every}").format(
                    every=every
                )
            )

    def shown(self, iteration: int) -> bool:
        """Whether ``iteration`` (from 1) is a frame of the video."""
        return iteration % self.every == 0 or iteration == self.iterations

    @property
    def pictures(self) -> int:
        return math.ceil(self.iterations / self.every)


def parse_target(model: AttentionModel, text: str, preset: str | None, head: int | None) -> AttentionTarget:
    """``preset`` or ``hate=kirai,this=kono,an=this+example`` → a target on ``model``.

    Tokens are given by their text, or (a repeated word) by their position counted
    from 1, as the app counts. ``head`` (from 0): the head that learns (pairs: the
    first by default; a preset's pattern: all its heads by default).
    """
    if text.strip() == "preset":
        if preset is None:
            raise ValueError(
                _(
                    "--learn preset: only a shipped preset has an intended pattern; "
                    "give pairs instead, e.g. --learn hate=kirai,this=kono"
                )
            )
        target = preset_target(model, preset)
        if head is None:
            return target
        if head not in target.rows:
            raise ValueError(
                _("--learn preset: {preset}'s pattern has no target for head {head}").format(
                    preset=preset, head=head + 1
                )
            )
        return make_target(model, {head: target.rows[head]})
    pairs: dict[str | int, list[str | int]] = {}
    for part in text.split(","):
        query, equals, keys = part.partition("=")
        if not equals or not query.strip() or not keys.strip():
            raise ValueError(
                _(
                    "--learn: expected 'preset' or query=key pairs joined by commas, e.g. "
                    "hate=kirai,this=kono (several keys with +: an=this+example); got {part}"
                ).format(part=repr(part.strip()))
            )
        chosen = pairs.setdefault(_token(query, model.query_tokens, "query"), [])
        chosen.extend(_token(key, model.key_tokens, "key") for key in keys.split("+"))
    return target_from_pairs(model, pairs, head=0 if head is None else head)


# One whole sentence per side (the word order differs between languages).
_OUT_OF_RANGE = {
    "query": N_("query position {position} is out of range: expected 1 to {count} ({tokens})"),
    "key": N_("key position {position} is out of range: expected 1 to {count} ({tokens})"),
}


def _token(text: str, tokens: list[str], side: str) -> str | int:
    """A token's text, or its position (typed from 1, given to the API from 0)."""
    text = text.strip()
    if not text.isdigit() or text in tokens:
        return text
    position = int(text)
    if not 1 <= position <= len(tokens):
        raise ValueError(
            _(_OUT_OF_RANGE[side]).format(position=position, count=len(tokens), tokens=", ".join(tokens))
        )
    return position - 1


def run_line(step: LearnStep, iterations: int, n_heads: int, learned_at: int | None) -> str:
    """The caption of a frame: the iteration, its loss and the largest change, then "learned" once it is."""
    line = _(
        "Learning W_Q and W_K by gradient descent — iteration {n} of {iterations}: "
        "loss {loss}, largest change {change}"
    ).format(
        n=step.iteration,
        iterations=iterations,
        loss=loss_text(step.loss),
        change=largest_change_text(step, n_heads),
    )
    if learned_at is not None:
        line += _(" — learned at iteration {n}: every targeted row looks where you asked").format(
            n=learned_at
        )
    return line


def start_model(model: AttentionModel, run: LearnRun) -> AttentionModel:
    """A copy of ``model`` to learn on: scrambled (avoiding the target's pattern) unless the seed is None."""
    snapshot = AttentionModel.from_state(model.state)
    if run.scramble_seed is not None:
        apply_params(
            snapshot, scramble(snapshot, run.scramble_seed, heads=run.target.heads, avoid=run.target)
        )
    return snapshot


def check_run(model: AttentionModel, run: LearnRun) -> None:
    """Run the descent once without drawing: a learning rate that makes the weights run away
    is refused before a frame is rendered (the numbers are cheap; the frames are not)."""
    for _step in descend(
        model, run.target, learning_rate=run.learning_rate, iterations=run.iterations, biases=run.biases
    ):
        pass


def export_learning(
    model: AttentionModel,
    out: Path,
    run: LearnRun,
    options: ExportOptions,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    keep_responsive: bool = False,
    announce: Callable[[str], None] | None = None,
) -> Path:
    """Render a learning run on a copy of ``model`` and write ``out`` (.mp4, .gif, .zip or a folder).

    From ``options``: size, fps, theme, captions, layout, detail, view, text size,
    ``force`` and ``pacing.final_hold`` (the last iteration stays that long, at
    least one frame); ``head`` (from 0) is the head shown (default: the first that
    learns). Raises ValueError for bad options or a run that diverges (nothing
    written), ExportError / ExportCancelled as :func:`~explainer.export.export_video`.
    """
    kind = output_kind(out)
    if kind in STILL_KINDS:
        raise ValueError(
            _(
                "--learn exports a run of frames: write .mp4, .gif, .zip or a folder, not a .{kind} still"
            ).format(kind=kind)
        )
    check_output(out, options.force)
    check_size(options.size, kind)
    snapshot = start_model(model, run)
    check_run(snapshot, run)
    hold = max(1, math.ceil(options.pacing.final_hold * options.fps - _FRAME_EPS))
    frames = run.pictures - 1 + hold
    check_frame_count(frames, options.fps)
    head = options.head if options.head is not None else run.target.heads[0]
    with renderer_for(snapshot, replace(options, head=head, lesson=None)) as renderer:
        flags = {h: np.asarray(rows) > 0 for h, rows in run.target.rows.items()}
        softmax = renderer.board.panels.get("softmax")
        if isinstance(softmax, SoftmaxPanel):  # left out by --layout: nothing to flag
            softmax.show_targets(flags)
        if announce is not None:
            announce(plan_text(frames, options.fps, options.size, run.pictures))
        return export_video(
            _frames(renderer, run, head, hold, keep_responsive),
            out,
            fps=options.fps,
            total=frames,
            force=options.force,
            progress=progress,
            cancelled=cancelled,
        )


def _frames(
    renderer: FrameRenderer, run: LearnRun, head: int, hold: int, keep_responsive: bool
) -> Iterator[tuple[np.ndarray, int]]:
    """Each shown iteration's picture: its weights applied, the caption its line; the last held."""
    model = renderer.model
    learned_at: int | None = None
    steps = descend(
        model, run.target, learning_rate=run.learning_rate, iterations=run.iterations, biases=run.biases
    )
    for step in steps:
        if step.learned and learned_at is None:
            learned_at = step.iteration
        if not run.shown(step.iteration):
            continue
        renderer.board.caption.replace_text(
            f"{step.iteration} / {run.iterations}\n" + _("Learning"),
            run_line(step, run.iterations, model.n_heads, learned_at),
        )
        apply_params(model, step.params)
        yield renderer.render(_last_softmax(renderer, head)), hold if step.iteration == run.iterations else 1
        if keep_responsive:  # the dialog's Cancel and the window stay live
            QCoreApplication.processEvents()


def _last_softmax(renderer: FrameRenderer, head: int) -> FrameState:
    """The last softmax step of ``head``, finished: α in full, the last row worked out."""
    timeline = renderer.timeline
    chosen = [
        k for k, s in enumerate(timeline.steps) if s.kind == StepKind.SOFTMAX and s.head in (None, head)
    ]
    return finished_state(timeline, chosen[-1] if chosen else len(timeline.steps) - 1)
