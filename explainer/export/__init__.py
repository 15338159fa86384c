"""Export the walkthrough as MP4, GIF or PNG frames: options, writers, atomic output. Never Qt.

The renderer is not here: callers pass frames as NumPy arrays (the Qt board
renders them offscreen), so this package runs and is tested without a display.
"""

from .atomic import atomic_target
from .errors import ExportCancelled, ExportError
from .options import (
    FORMATS,
    MAX_FRAMES,
    SIZES,
    STILL_KINDS,
    VIDEO_KINDS,
    check_fps,
    check_frame_count,
    check_output,
    check_size,
    frame_count,
    frame_state,
    frame_states,
    frame_times,
    output_kind,
    parse_size,
    parse_steps,
    select_steps,
)
from .probe import decode, probe
from .progress import TerminalProgress, plan_text
from .run import export_video
from .writers import FrameWriter, writer_for

__all__ = [
    "FORMATS",
    "MAX_FRAMES",
    "SIZES",
    "STILL_KINDS",
    "VIDEO_KINDS",
    "ExportCancelled",
    "ExportError",
    "FrameWriter",
    "TerminalProgress",
    "atomic_target",
    "check_fps",
    "check_frame_count",
    "check_output",
    "check_size",
    "decode",
    "export_video",
    "frame_count",
    "frame_state",
    "frame_states",
    "frame_times",
    "output_kind",
    "parse_size",
    "parse_steps",
    "plan_text",
    "probe",
    "select_steps",
    "writer_for",
]
