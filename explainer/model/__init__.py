"""The observable attention model: NumPy and psygnal only, never Qt."""

from .attention import AttentionModel
from .document import Document, PresetSource, PretrainedSource, Source
from .history import History
from .learn import (
    PRESET_PATTERNS,
    AttentionTarget,
    LearnStep,
    LossAndGradients,
    apply_params,
    attention_loss,
    descend,
    learning_step,
    loss_and_gradients,
    make_target,
    merge_targets,
    preset_target,
    scramble,
    target_from_pairs,
)
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
    "PRESET_PATTERNS",
    "AttentionModel",
    "AttentionTarget",
    "Document",
    "History",
    "LearnStep",
    "Lesson",
    "LossAndGradients",
    "ModelState",
    "PresetError",
    "PresetSource",
    "PretrainedSource",
    "Source",
    "Trace",
    "apply_params",
    "attention_loss",
    "descend",
    "learning_step",
    "load_preset",
    "loss_and_gradients",
    "make_target",
    "masked_softmax",
    "merge_targets",
    "preset_lesson",
    "preset_names",
    "preset_target",
    "scramble",
    "target_from_pairs",
]
