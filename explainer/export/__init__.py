"""Export the walkthrough as MP4, GIF or PNG frames: options, pacing, writers, atomic output. Never Qt.

The renderer is not here: callers pass frames as NumPy arrays (the Qt board
renders them offscreen), so this package runs and is tested without a display.
"""

from .atomic import atomic_target
from .errors import ExportCancelled, ExportError
from .gif_timing import read_delays
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
from .run import Frame, export_clips, export_video
from .schedule import (
    DEFAULT_FINAL_HOLD,
    MAX_HOLD,
    MAX_SPEED,
    MIN_SPEED,
    FrameSchedule,
    Pacing,
    Shot,
    check_hold,
    check_speed,
    finished_state,
)
from .split import SPLIT_KINDS, check_split_output, clip_names, split_folder
from .writers import FrameWriter, writer_for

__all__ = [
    "DEFAULT_FINAL_HOLD",
    "FORMATS",
    "MAX_FRAMES",
    "MAX_HOLD",
    "MAX_SPEED",
    "MIN_SPEED",
    "SIZES",
    "SPLIT_KINDS",
    "STILL_KINDS",
    "VIDEO_KINDS",
    "ExportCancelled",
    "ExportError",
    "Frame",
    "FrameSchedule",
    "FrameWriter",
    "Pacing",
    "Shot",
    "TerminalProgress",
    "atomic_target",
    "check_fps",
    "check_frame_count",
    "check_hold",
    "check_output",
    "check_size",
    "check_speed",
    "check_split_output",
    "clip_names",
    "decode",
    "export_clips",
    "export_video",
    "finished_state",
    "frame_count",
    "frame_state",
    "frame_states",
    "frame_times",
    "output_kind",
    "parse_size",
    "parse_steps",
    "plan_text",
    "probe",
    "read_delays",
    "select_steps",
    "split_folder",
    "writer_for",
]
