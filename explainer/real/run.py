"""One text run through a checkpoint: hidden states computed layer by layer, on demand, once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..i18n import _
from ..model import AttentionModel, Document, ModelState, PretrainedSource
from ..model.state import make_params
from .errors import LayerError
from .forward import attention_params, embed, encoder_layer
from .tokens import Encoded

if TYPE_CHECKING:  # types only: a checkpoint makes runs, runs never make checkpoints
    from .checkpoint import BertCheckpoint


def check_layer(layer: object, checkpoint: BertCheckpoint, *, final: bool = False) -> int:
    """``layer`` as an int in 0 … n_layers - 1 (or n_layers, the final output, with ``final``)."""
    last = checkpoint.n_layers if final else checkpoint.n_layers - 1
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer <= last:
        n_layers = checkpoint.n_layers
        message = _("layer: expected 0 to {last} ({name} has {count} layers), got {layer}").format(
            last=last, name=checkpoint.name, count=n_layers, layer=repr(layer)
        )
        raise LayerError(message, layer, n_layers)
    return int(layer)


class BertRun:
    """A tokenized text and the hidden states of a checkpoint on it.

    Build it with :meth:`BertCheckpoint.run`. Layer inputs are computed when first asked
    for and kept, so switching layer costs at most the layers not yet computed.

    Attributes
    ----------
    checkpoint : BertCheckpoint
    encoded : Encoded
        Tokens, ids and token types of the text.
    """

    def __init__(self, checkpoint: BertCheckpoint, encoded: Encoded) -> None:
        self.checkpoint = checkpoint
        self.encoded = encoded
        self._inputs: list[np.ndarray] = []

    @property
    def text(self) -> str:
        return self.encoded.text

    @property
    def tokens(self) -> tuple[str, ...]:
        """Word pieces including ``[CLS]`` and ``[SEP]``."""
        return self.encoded.tokens

    def layer_input(self, layer: int) -> np.ndarray:
        """Hidden states entering ``layer`` (n, hidden), float64, read-only.

        ``layer_input(0)`` is the embedding output; ``layer_input(n_layers)`` the final output.
        """
        layer = check_layer(layer, self.checkpoint, final=True)
        if not self._inputs:
            self._inputs.append(_frozen(embed(self.checkpoint, self.encoded)))
        while len(self._inputs) <= layer:
            index = len(self._inputs) - 1
            self._inputs.append(_frozen(encoder_layer(self.checkpoint, index, self._inputs[index])))
        return self._inputs[layer]

    def attention_params(self, layer: int) -> dict[str, np.ndarray]:
        """Every :class:`AttentionModel` parameter of ``layer``: x_q = x_kv = its input, weights per head."""
        layer = check_layer(layer, self.checkpoint)
        params = attention_params(self.checkpoint, layer)
        params["x_q"] = params["x_kv"] = self.layer_input(layer)
        return params

    def state(self, layer: int) -> ModelState:
        """Layer ``layer``'s self-attention as a snapshot for :meth:`AttentionModel.restore`."""
        params = make_params(self.attention_params(layer), self_attention=True)
        return ModelState(self.tokens, None, causal=False, scale=True, params=params)

    def source(self, layer: int) -> PretrainedSource:
        """Where ``layer``'s model comes from, as a :class:`~explainer.model.Document` keeps it."""
        c = self.checkpoint
        layer = check_layer(layer, c)
        return PretrainedSource(c.name, str(c.folder), c.is_default, layer, c.n_layers, self.text)

    def attention_model(self, layer: int) -> AttentionModel:
        """A new self-attention :class:`AttentionModel` holding ``layer``'s real inputs and weights."""
        return AttentionModel.from_state(self.state(layer))

    def document(self, layer: int) -> Document:
        """``layer``'s model with its :class:`PretrainedSource` (checkpoint, layer, text)."""
        return Document(self.attention_model(layer), self.source(layer))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
