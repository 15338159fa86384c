"""The word table that gives a typed word a row that means something.

``explainer/resources/vocabulary/minilm-words.npz`` (made by ``tools/make_vocabulary.py``)
holds 6000 common English words and their first 16 principal components of a real
model's token embeddings (all-MiniLM-L6-v2): similar words have similar vectors.
:func:`explainer.model.state.token_embedding` turns them into rows of any d_model.
"""

from __future__ import annotations

import io
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType

import numpy as np

from ..i18n import _

__all__ = ["VOCABULARY_FILE", "Vocabulary", "vocabulary", "word_key"]

# Read through importlib.resources, so an installed wheel (or a zip) finds it too.
VOCABULARY_FILE: Traversable = files("explainer.resources") / "vocabulary" / "minilm-words.npz"
_PUNCTUATION = string.punctuation + "“”‘’«»…—–¿¡"


def word_key(token: str) -> str:
    """The form a token is looked up and hashed by: case-folded, outer punctuation stripped.

    ``"Movie!"`` and ``"movie"`` are the same word; a token that is only
    punctuation (``"?"``) is its own key.
    """
    folded = token.casefold()
    return folded.strip(_PUNCTUATION) or folded


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Words and their vectors: row ``i`` of ``vectors`` belongs to ``words[i]``.

    Attributes
    ----------
    words : tuple of str
        Lowercase whole words, most frequent first.
    vectors : numpy.ndarray
        Read-only float64, (n_words, n_components): principal-component coordinates.
    spread : numpy.ndarray
        Read-only, (n_components,): each component's standard deviation over the table.
    """

    words: tuple[str, ...]
    vectors: np.ndarray = field(repr=False)
    spread: np.ndarray = field(repr=False)
    _index: Mapping[str, int] = field(repr=False)

    @classmethod
    def from_arrays(cls, words: tuple[str, ...], vectors: np.ndarray) -> Vocabulary:
        if len(words) != len(vectors) or vectors.ndim != 2:
            raise ValueError(
                _("{count} words for vectors of shape {shape}").format(count=len(words), shape=vectors.shape)
            )
        vectors = np.array(vectors, dtype=np.float64)
        spread = vectors.std(axis=0)
        vectors.flags.writeable = spread.flags.writeable = False
        index = MappingProxyType({word: row for row, word in enumerate(words)})
        return cls(words, vectors, spread, index)

    @property
    def n_components(self) -> int:
        return int(self.vectors.shape[1])

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and word_key(token) in self._index

    def vector(self, token: str) -> np.ndarray | None:
        """The token's vector (looked up by :func:`word_key`), or None for a word not in the table."""
        row = self._index.get(word_key(token))
        return None if row is None else self.vectors[row]


@cache
def vocabulary() -> Vocabulary:
    """The shipped table, read once."""
    with np.load(io.BytesIO(VOCABULARY_FILE.read_bytes()), allow_pickle=False) as stored:
        words = tuple(bytes(stored["words"]).decode("utf-8").split("\n"))
        return Vocabulary.from_arrays(words, stored["vectors"])
