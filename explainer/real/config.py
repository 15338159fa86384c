"""config.json of a BERT checkpoint: the sizes the forward pass needs, checked once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import N_, _
from ..model import limits
from ..model.jsonfile import read_json
from .errors import PretrainedError


@dataclass(frozen=True)
class BertConfig:
    """The fields of a BERT ``config.json`` that the NumPy forward pass uses.

    Attributes
    ----------
    vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size : int
        Sizes as Hugging Face names them.
    max_position_embeddings, type_vocab_size : int
        Rows of the position and token-type embedding tables.
    layer_norm_eps : float
        The epsilon of every LayerNorm.
    """

    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float

    @property
    def head_size(self) -> int:
        """Width of one head: ``hidden_size // num_attention_heads`` (32 in MiniLM)."""
        return self.hidden_size // self.num_attention_heads

    @classmethod
    def from_file(cls, path: Path) -> BertConfig:
        """Read and check ``config.json``; errors name the file and the field."""
        where = _("{name} in {folder}").format(name=path.name, folder=path.parent)
        document = read_json(path, PretrainedError, where)
        if not isinstance(document, dict):
            raise PretrainedError(
                _("{where}: expected a JSON object, got {kind}").format(
                    where=where, kind=type(document).__name__
                )
            )
        return cls.from_dict(document, where)

    @classmethod
    def from_dict(cls, document: dict[str, Any], where: str = "config.json") -> BertConfig:
        """Check a decoded ``config.json``: a BERT encoder with absolute positions and GELU."""
        model_type = document.get("model_type", "bert")
        if model_type != "bert":
            raise PretrainedError(
                _("{where}: model_type {value} is not a BERT checkpoint").format(
                    where=where, value=repr(model_type)
                )
            )
        for field, expected in (("hidden_act", "gelu"), ("position_embedding_type", "absolute")):
            if document.get(field, expected) != expected:
                raise PretrainedError(
                    _("{where}: {field} {value} is not supported (only {expected})").format(
                        where=where, field=field, value=repr(document[field]), expected=repr(expected)
                    )
                )

        def size(field: str, default: int | None = None) -> int:
            value = document.get(field, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise PretrainedError(
                    _("{where}: {field}: expected a whole number >= 1, got {value}").format(
                        where=where, field=field, value=repr(value)
                    )
                )
            return value

        eps = document.get("layer_norm_eps", 1e-12)
        if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0 < eps < 1:
            raise PretrainedError(
                _("{where}: layer_norm_eps: expected a small positive number, got {value}").format(
                    where=where, value=repr(eps)
                )
            )
        config = cls(
            vocab_size=size("vocab_size"),
            hidden_size=size("hidden_size"),
            num_hidden_layers=size("num_hidden_layers"),
            num_attention_heads=size("num_attention_heads"),
            intermediate_size=size("intermediate_size"),
            max_position_embeddings=size("max_position_embeddings", 512),
            type_vocab_size=size("type_vocab_size", 2),
            layer_norm_eps=float(eps),
        )
        config.check_shown(where)
        return config

    def check_shown(self, where: str) -> None:
        """Refuse sizes the explainer cannot show (its model limits)."""
        if self.hidden_size % self.num_attention_heads:
            raise PretrainedError(
                _("{where}: hidden_size {size} is not a multiple of num_attention_heads {heads}").format(
                    where=where, size=self.hidden_size, heads=self.num_attention_heads
                )
            )
        for what, value, most in (
            ("hidden_size", self.hidden_size, limits.MAX_D_MODEL),
            ("num_attention_heads", self.num_attention_heads, limits.MAX_HEADS),
            (N_("head size"), self.head_size, limits.MAX_D_K),
        ):
            if value > most:
                raise PretrainedError(
                    _("{where}: {what} {value} is more than the explainer shows ({most})").format(
                        where=where, what=_(what), value=value, most=most
                    )
                )
