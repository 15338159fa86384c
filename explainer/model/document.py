"""Document: a model and where its numbers came from (a preset, a checkpoint's layer, or by hand).

The provenance used to be loose attributes set on the model from outside and
never signalled; here it is one value, replaced together with the numbers,
emitted when it changes, and saved with the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from psygnal import Signal

from .attention import AttentionModel
from .designed_rows import preset_rows
from .presets import Lesson, preset_lesson
from .state import ModelState

__all__ = ["Document", "PresetSource", "PretrainedSource", "Source"]


@dataclass(frozen=True)
class PresetSource:
    """A shipped preset, by name (``"seed-translate"``)."""

    name: str

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class PretrainedSource:
    """The checkpoint, layer and text a model was built from.

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


# None: built or edited by hand, from nothing the app can name.
Source = PresetSource | PretrainedSource | None


class Document:
    """The model a window shows (or a session holds) and its :data:`Source`.

    ``source_changed`` emits the new source when :meth:`replace` brings one
    that differs. Edits to the model keep the source: a preset with one
    weight changed still came from that preset.
    """

    source_changed = Signal(object)

    def __init__(self, model: AttentionModel, source: Source = None) -> None:
        self._model = model
        self._source = source

    @classmethod
    def from_preset(cls, name_or_path: str | Path) -> Document:
        """A preset's model, remembering which preset it was (by its name inside the file)."""
        from .presets import load_preset

        state, name = load_preset(name_or_path)
        return cls(AttentionModel.from_state(state), PresetSource(name))

    @property
    def model(self) -> AttentionModel:
        return self._model

    @property
    def source(self) -> Source:
        return self._source

    @property
    def preset_name(self) -> str | None:
        """The preset's name when the numbers came from one, else None."""
        return self._source.name if isinstance(self._source, PresetSource) else None

    @property
    def lesson(self) -> Lesson | None:
        """What the preset the numbers came from teaches (title, description, worked query)."""
        return preset_lesson(self.preset_name) if self.preset_name is not None else None

    @property
    def label(self) -> str:
        """What to call it in a title: the preset, the checkpoint's layer, or "untitled"."""
        return self._source.label if self._source is not None else "untitled"

    def replace(self, state: ModelState, source: Source) -> None:
        """Show whole new numbers from ``source``.

        The numbers go in first: a state the model refuses (ValueError) changes
        nothing, the source included.
        """
        self._model.restore(state)
        self.set_source(source)

    def set_source(self, source: Source) -> None:
        if source != self._source:
            self._source = source
            self.source_changed.emit(source)

    def snapshot(self) -> Document:
        """An independent copy (a worker thread may save it while edits go on)."""
        return Document(AttentionModel.from_state(self._model.state), self._source)

    def set_tokens(
        self, query_tokens: list[str] | tuple[str, ...], key_tokens: list[str] | tuple[str, ...] | None = None
    ) -> None:
        """New sentences, as :meth:`AttentionModel.set_tokens`, remembering the preset's words.

        When the numbers came from a shipped preset and d_model is still the
        preset's, a word of the preset that has no row in the current sentences
        gets the preset's designed row back (each occurrence its own), so retyping
        "kono eiga ga kirai → I hate this movie" after another sentence brings the
        lesson's pattern back. Other new words come from the word table.
        """
        known = preset_rows(self.preset_name, self._model.d_model)
        self._model.set_tokens(query_tokens, key_tokens, known=known)
