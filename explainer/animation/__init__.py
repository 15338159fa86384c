"""The walkthrough as data: steps, captions, frame states, easing. Never Qt."""

from .drill import CellTimeline
from .easing import EASINGS, ease_in_out_cubic, ease_out_cubic, linear, smoothstep
from .kinds import StepKind, Tensor
from .steps import DEFAULT_DETAIL, DETAIL_MODES, STEP_KINDS, Step
from .timeline import FrameState, Timeline, flag_shapes

__all__ = [
    "DEFAULT_DETAIL",
    "DETAIL_MODES",
    "EASINGS",
    "STEP_KINDS",
    "CellTimeline",
    "FrameState",
    "Step",
    "StepKind",
    "Tensor",
    "Timeline",
    "ease_in_out_cubic",
    "ease_out_cubic",
    "flag_shapes",
    "linear",
    "smoothstep",
]
