"""Where a pretrained model's numbers came from: kept on the model as ``source_info``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PretrainedSource:
    """The checkpoint, layer and text an :class:`~explainer.model.AttentionModel` was built from.

    Attributes
    ----------
    checkpoint : str
        Display name: ``"all-MiniLM-L6-v2"`` for the packaged default, else the folder name.
    folder : str
        The checkpoint folder (the packaged one for the default); pass it back as ``source``.
    is_default : bool
        True for the packaged all-MiniLM-L6-v2 (``source=None``).
    layer : int
        Which encoder layer, counted from 0.
    n_layers : int
        How many layers the checkpoint has (layers 0 … n_layers - 1).
    text : str
        The text as typed; the model's tokens are its word pieces with [CLS] and [SEP].
    """

    checkpoint: str
    folder: str
    is_default: bool
    layer: int
    n_layers: int
    text: str

    @property
    def label(self) -> str:
        """A caption for people, counting from 1 as the app does: ``"all-MiniLM-L6-v2 · layer 3 of 6"``."""
        return f"{self.checkpoint} · layer {self.layer + 1} of {self.n_layers}"
