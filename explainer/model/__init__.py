"""The observable attention model: NumPy and psygnal only, never Qt."""

from .attention import AttentionModel
from .document import Document, PresetSource, PretrainedSource, Source
from .history import History
from .limits import MAX_ABS_VALUE, MAX_D_K, MAX_D_MODEL, MAX_HEADS, MAX_TOKENS
from .presets import Lesson, PresetError, load_preset, preset_lesson, preset_names
from .state import ModelState
from .trace import Trace, masked_softmax

__all__ = [
    "MAX_ABS_VALUE",
    "MAX_D_K",
    "MAX_D_MODEL",
    "MAX_HEADS",
    "MAX_TOKENS",
    "AttentionModel",
    "Document",
    "History",
    "Lesson",
    "ModelState",
    "PresetError",
    "PresetSource",
    "PretrainedSource",
    "Source",
    "Trace",
    "load_preset",
    "masked_softmax",
    "preset_lesson",
    "preset_names",
]
