"""Export options as the user types them (size, steps, output path) and the frame times they give.

Every parser raises ValueError with one line saying what was expected, so the
command line can print it as is (exit status 2) and the dialog can show it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from explainer.animation import STEP_KINDS, FrameState, Timeline

from ..i18n import _
from .progress import format_seconds
from .schedule import FrameSchedule, check_fps, finished_state

# Output paths live in targets.py; they are part of the options a user types.
from .targets import FORMATS, STILL_KINDS, VIDEO_KINDS, check_output, output_kind, target_exists

__all__ = [
    "FORMATS",
    "MAX_FRAMES",
    "SIZES",
    "STILL_KINDS",
    "VIDEO_KINDS",
    "check_fps",
    "check_frame_count",
    "check_output",
    "check_size",
    "frame_count",
    "frame_state",
    "frame_states",
    "frame_times",
    "output_kind",
    "parse_size",
    "parse_steps",
    "select_steps",
    "target_exists",
]

SIZES = {"720p": (1280, 720), "1080p": (1920, 1080), "4k": (3840, 2160)}
MIN_SIZE = (320, 240)
MAX_SIZE = (7680, 4320)

# Over 13 minutes of video at 120 fps, 55 at 30: more than any lecture shows, and
# hours of rendering at 4k. Above it an export is refused before a frame is drawn.
MAX_FRAMES = 100_000


def parse_size(text: str) -> tuple[int, int]:
    """Parse an output size: ``"720p"``, ``"1080p"``, ``"4k"`` or ``"WxH"`` (``"1280x720"``).

    Parameters
    ----------
    text : str
        The size as typed; case and surrounding spaces do not matter.

    Returns
    -------
    tuple of int
        ``(width, height)`` in pixels, within 320x240 .. 7680x4320.

    Raises
    ------
    ValueError
        If ``text`` is neither a named size nor ``WxH`` within range.
    """
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    expected = _("expected 720p, 1080p, 4k or WxH from {least} to {most}").format(
        least=f"{MIN_SIZE[0]}x{MIN_SIZE[1]}", most=f"{MAX_SIZE[0]}x{MAX_SIZE[1]}"
    )
    match = re.fullmatch(r"(\d+)\s*[x×*]\s*(\d+)", key)
    if match is None:
        raise ValueError(_("size: {expected}, got {text}").format(expected=expected, text=repr(text)))
    width, height = int(match[1]), int(match[2])
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise ValueError(_("size: {expected}, got {text}").format(expected=expected, text=repr(text)))
    return width, height


def check_size(size: tuple[int, int], kind: str) -> None:
    """Refuse a size ``kind`` cannot hold (H.264 in yuv420p needs even sides), before rendering."""
    width, height = size
    if kind == "mp4" and (width % 2 or height % 2):
        raise ValueError(
            _("size: an MP4 (H.264, yuv420p) needs an even width and height, got {size}; try {even}").format(
                size=f"{width}x{height}", even=f"{width + width % 2}x{height + height % 2}"
            )
        )


def parse_steps(text: str, n_steps: int) -> range:
    """Parse a step range as the app numbers steps (``"3 / 26"``): 1-based and inclusive.

    Parameters
    ----------
    text : str
        ``"5"`` (one step), ``"3-17"`` (steps 3 to 17) or ``"3-"`` (step 3 to the last).
    n_steps : int
        How many steps the timeline has.

    Returns
    -------
    range
        0-based step indices (``"3-17"`` gives ``range(2, 17)``).

    Raises
    ------
    ValueError
        Naming the valid range, if ``text`` is malformed, out of range or reversed.
    """
    expected = _("expected N or A-B with 1 <= A <= B <= {count}").format(count=n_steps)
    # An en dash is what a word processor turns "3-17" into when it is pasted from slides.
    match = re.fullmatch(r"(\d+)(?:\s*([-–])\s*(\d*))?", text.strip())
    if match is None:
        raise ValueError(_("steps: {expected}, got {text}").format(expected=expected, text=repr(text)))
    first = int(match[1])
    last = first if match[2] is None else int(match[3]) if match[3] else n_steps
    if not 1 <= first <= last <= n_steps:
        raise ValueError(_("steps: {expected}, got {text}").format(expected=expected, text=repr(text)))
    return range(first - 1, last)


def select_steps(
    timeline: Timeline, steps: str | None = None, from_kind: str | None = None, to_kind: str | None = None
) -> range:
    """The steps to export: all, a numbered range, or from one step kind to another.

    Parameters
    ----------
    timeline : Timeline
        The walkthrough being exported.
    steps : str, optional
        A numbered range for :func:`parse_steps`; cannot be combined with the kinds.
    from_kind, to_kind : str, optional
        Start at the first step of kind ``from_kind`` and end with the last step of
        kind ``to_kind`` (each from ``STEP_KINDS``); either may be left out.

    Returns
    -------
    range
        0-based step indices, never empty.

    Raises
    ------
    ValueError
        For an unknown kind, a kind this timeline has no step of (``mask`` without
        causal attention), both ``steps`` and kinds given, or an empty range.
    """
    n_steps = len(timeline.steps)
    if steps is not None:
        if from_kind is not None or to_kind is not None:
            raise ValueError(
                _("steps: give a numbered range (--steps) or step kinds (--from/--to), not both")
            )
        return parse_steps(steps, n_steps)
    kinds = [str(step.kind) for step in timeline.steps]
    first, last = 0, n_steps - 1
    if from_kind is not None:
        first = kinds.index(_present(from_kind, kinds, "from"))
    if to_kind is not None:
        last = n_steps - 1 - kinds[::-1].index(_present(to_kind, kinds, "to"))
    if first > last:
        raise ValueError(
            _(
                "steps: the first {first_kind} step ({first}) comes after "
                "the last {last_kind} step ({last}); nothing to export"
            ).format(first_kind=repr(from_kind), first=first + 1, last_kind=repr(to_kind), last=last + 1)
        )
    return range(first, last + 1)


def _present(kind: str, kinds: list[str], option: str) -> str:
    if kind not in STEP_KINDS:
        raise ValueError(
            _("--{option}: unknown step kind {kind}; expected one of {kinds}").format(
                option=option, kind=repr(kind), kinds=", ".join(STEP_KINDS)
            )
        )
    if kind not in kinds:
        raise ValueError(
            _("--{option}: this walkthrough has no {kind} step (it has {kinds})").format(
                option=option, kind=repr(kind), kinds=", ".join(dict.fromkeys(kinds))
            )
        )
    return kind


def frame_times(timeline: Timeline, indices: range, fps: float) -> list[float]:
    """Sample times at a fixed frame rate covering the steps ``indices[0]`` .. ``indices[-1]``, unpaced.

    With ``start = timeline.start(indices[0])``, ``end`` the end of step
    ``indices[-1]`` and ``n = max(1, ceil((end - start) * fps - 1e-6))``, the times
    are ``start + k / fps`` for ``k = 0 .. n - 1`` followed by ``end`` itself, so
    the last frame shows the last step finished: ``n + 1`` frames, which is
    ``(end - start) * fps + 1`` when that product is whole (every step duration at
    the usual frame rates). Pure and deterministic. :class:`FrameSchedule` adds
    speed and holds.

    Parameters
    ----------
    timeline : Timeline
        The walkthrough being exported.
    indices : range
        Non-empty 0-based step indices, as :func:`select_steps` returns.
    fps : float
        Frames per second, 1 to 120.

    Returns
    -------
    list of float
        Strictly increasing times in seconds on the timeline's clock.
    """
    return FrameSchedule(timeline, indices, fps).times()


def frame_count(timeline: Timeline, indices: range, fps: float) -> int:
    """``len(frame_times(timeline, indices, fps))``, without making the list (it may be huge)."""
    return FrameSchedule(timeline, indices, fps).frames


def check_frame_count(frames: int, fps: float) -> None:
    """Refuse an export of more than :data:`MAX_FRAMES` frames, saying how many and how to have fewer."""
    if frames > MAX_FRAMES:
        raise ValueError(
            _(
                "this export would be {frames} frames ({length} of video at {fps} fps); at most {most}: "
                "lower --fps or --hold, raise --speed, export fewer --steps or choose less --detail"
            ).format(
                frames=f"{frames:,}",
                length=format_seconds((frames - 1) / fps),
                fps=f"{fps:g}",
                most=f"{MAX_FRAMES:,}",
            )
        )


def frame_state(timeline: Timeline, t: float, indices: range) -> FrameState:
    """``timeline.state_at(t)``, except that the end of the range shows its last step finished.

    At the end of step ``indices[-1]`` the timeline has moved on to the next
    step (its caption, its highlights); an export that stops there must show
    the step it stops at, complete.
    """
    state = timeline.state_at(t)
    if state.index <= indices[-1]:
        return state
    return finished_state(timeline, indices[-1], t)


def frame_states(timeline: Timeline, indices: range, fps: float) -> Iterator[FrameState]:
    """:func:`frame_state` at each of :func:`frame_times`, one at a time (a long export holds one)."""
    for state, frames in FrameSchedule(timeline, indices, fps).states():
        for _repeat in range(frames):
            yield state
