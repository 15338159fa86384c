"""A real pretrained BERT in NumPy: load a checkpoint, run a text, turn a layer into an AttentionModel.

NumPy, safetensors and tokenizers only (the ``real`` extra): never PyTorch, never Qt.
Importing this package needs neither extra; loading a checkpoint does, and says so.
"""

from ..model import PretrainedSource
from .attentions import all_attentions, layer_attentions
from .checkpoint import DEFAULT_NAME, BertCheckpoint, default_folder, load_bert
from .config import BertConfig
from .errors import INSTALL_HINT, LayerError, PretrainedError
from .pretrained import DEFAULT_TEXT, open_bert, pretrained_document, pretrained_model, run_text
from .run import BertRun
from .tokens import Encoded

__all__ = [
    "DEFAULT_NAME",
    "DEFAULT_TEXT",
    "INSTALL_HINT",
    "BertCheckpoint",
    "BertConfig",
    "BertRun",
    "Encoded",
    "LayerError",
    "PretrainedError",
    "PretrainedSource",
    "all_attentions",
    "default_folder",
    "layer_attentions",
    "load_bert",
    "open_bert",
    "pretrained_document",
    "pretrained_model",
    "run_text",
]
