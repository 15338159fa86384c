"""AttentionModel: the observable owner of tokens, options and weights."""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from psygnal import Signal

from ..i18n import _
from . import limits
from .known_rows import checked_known, embed_rows
from .state import CellEdit, ModelState, checked_state, make_params, random_weights, token_embedding
from .trace import Trace, compute_trace, update_trace

# Per head, the inputs an edit changed: "q", "k", "v" or "o" (see update_trace).
Edited = dict[int, set[str]]

Index = int | tuple[int, ...]


class AttentionModel:
    """Scaled dot-product attention with every intermediate tensor exposed.

    Parameters
    ----------
    query_tokens : sequence of str
        The tokens that ask (decoder side in cross-attention).
    key_tokens : sequence of str, optional
        The tokens that answer. ``None`` means self-attention: keys and values
        come from the query tokens, and ``x_kv`` is the same array as ``x_q``.
    d_model, d_k, d_v, n_heads : int
        Sizes; ``d_v=None`` means ``d_v = d_k``.
    causal : bool
        Hide later tokens from each query (self-attention only).
    scale : bool
        Divide the scores by √d_k before the softmax.
    seed : int
        Seed for the random weights and for embeddings of new tokens.

    Notes
    -----
    ``changed`` emits the new :class:`Trace` after every edit that changes
    something; ``with model.batch():`` turns a burst of edits into one emission.
    """

    changed = Signal(object)

    def __init__(
        self,
        query_tokens: Sequence[str],
        key_tokens: Sequence[str] | None = None,
        *,
        d_model: int = 8,
        d_k: int = 4,
        d_v: int | None = None,
        n_heads: int = 1,
        causal: bool = False,
        scale: bool = True,
        seed: int = 0,
    ) -> None:
        d_model = limits.check_size("d_model", d_model, limits.MAX_D_MODEL)
        d_k = limits.check_size("d_k", d_k, limits.MAX_D_K)
        d_v = limits.check_size("d_v", d_k if d_v is None else d_v, limits.MAX_D_K)
        n_heads = limits.check_size("n_heads", n_heads, limits.MAX_HEADS)
        queries = limits.check_tokens(query_tokens, "query_tokens")
        keys = None if key_tokens is None else limits.check_tokens(key_tokens, "key_tokens")
        limits.check_causal(causal, keys)
        seed = limits.check_seed(seed)
        values = random_weights(d_model, d_k, d_v, n_heads, seed)
        values["x_q"] = np.array([token_embedding(t, d_model, seed) for t in queries])
        rows = queries if keys is None else keys
        values["x_kv"] = np.array([token_embedding(t, d_model, seed) for t in rows])
        self._state = ModelState(
            queries, keys, bool(causal), bool(scale), make_params(values, keys is None), seed
        )
        self._trace: Trace | None = None
        # A trace of an earlier state that differs from the current one only in these heads.
        self._base: Trace | None = None
        self._stale_heads: Edited = {}
        self._batch_depth = 0
        self._batch_start: ModelState | None = None
        self._last_edit: CellEdit | None = None

    # ----------------------------------------------------------------- building
    @classmethod
    def from_state(cls, state: ModelState) -> AttentionModel:
        """A model holding ``state`` (validated as any edit would be)."""
        model = cls(state.query_tokens, state.key_tokens, seed=limits.check_seed(state.seed))
        model._state = checked_state(state)  # no one listens yet: the trace waits until it is read
        return model

    @classmethod
    def preset_names(cls) -> list[str]:
        """Names of the classic presets shipped in ``explainer/resources/presets``."""
        from .presets import preset_names

        return preset_names()

    @classmethod
    def from_preset(cls, name_or_path: str | Path) -> AttentionModel:
        """Load a classic preset by name (``"seed-translate"``) or a preset file path.

        Which preset it was is not the model's business: :meth:`Document.from_preset`
        keeps that beside the model. A real pretrained layer comes from
        :func:`explainer.real.pretrained_model`.
        """
        from .presets import load_preset

        state, _name = load_preset(name_or_path)
        return cls.from_state(state)

    # ------------------------------------------------------------------ reading
    @property
    def state(self) -> ModelState:
        """An immutable snapshot of everything; pass it to :meth:`restore` to undo."""
        return self._state

    @property
    def params(self) -> Mapping[str, np.ndarray]:
        """Read-only mapping of parameter name to read-only float64 array."""
        return self._state.params

    @property
    def trace(self) -> Trace:
        """Every intermediate tensor for the current parameters."""
        if self._trace is None and self._base is not None:
            self._trace = update_trace(self._base, self._state.params, self._stale_heads)
            self._base = None
        if self._trace is None:
            s = self._state
            self._trace = compute_trace(
                s.params,
                s.query_tokens,
                s.query_tokens if s.key_tokens is None else s.key_tokens,
                self_attention=s.self_attention,
                causal=s.causal,
                scale=s.scale,
            )
        return self._trace

    @property
    def last_edit(self) -> CellEdit | None:
        """The one cell the last change set (see :class:`CellEdit`); None when it changed more."""
        return self._last_edit

    @property
    def seed(self) -> int:
        """Draws the weights of new sizes and the embeddings of new tokens (see :meth:`randomize`)."""
        return self._state.seed

    @property
    def query_tokens(self) -> list[str]:
        return list(self._state.query_tokens)

    @property
    def key_tokens(self) -> list[str]:
        s = self._state
        return list(s.query_tokens if s.key_tokens is None else s.key_tokens)

    @property
    def self_attention(self) -> bool:
        return self._state.self_attention

    @property
    def causal(self) -> bool:
        return self._state.causal

    @property
    def scale(self) -> bool:
        return self._state.scale

    @property
    def mode(self) -> str:
        """``"causal"``, ``"self"`` or ``"cross"``."""
        if self.causal:
            return "causal"
        return "self" if self.self_attention else "cross"

    @property
    def d_model(self) -> int:
        return int(self.params["x_q"].shape[1])

    @property
    def d_k(self) -> int:
        return int(self.params["w_q"].shape[2])

    @property
    def d_v(self) -> int:
        return int(self.params["w_v"].shape[2])

    @property
    def n_heads(self) -> int:
        return int(self.params["w_q"].shape[0])

    # ------------------------------------------------------------------ editing
    def set_value(self, name: str, index: Index, value: float) -> None:
        """Set one cell, e.g. ``set_value("w_q", (0, 2, 1), 0.5)``."""
        current = self._param(name)
        cell = limits.check_index(name, index, current.shape)
        number = limits.check_value(name, value, str(list(cell)))
        if current[cell] == number:
            return
        edited = current.copy()
        edited[cell] = number
        self._replace_param(name, edited, self._heads_of(name, cell), cell)

    def set_param(self, name: str, array: object) -> None:
        """Replace a whole parameter with an array of the same shape."""
        current = self._param(name)
        try:
            given = np.asarray(array)
            new = np.array(given, dtype=np.float64, order="C") if given.dtype.kind in "iuf" else None
        except (TypeError, ValueError, OverflowError):
            new = None
        if new is None:
            raise ValueError(
                _("{name}: expected an array of numbers of shape {shape}, got {value}").format(
                    name=name, shape=current.shape, value=reprlib.repr(array)
                )
            )
        if new.shape != current.shape:
            raise ValueError(
                _("{name}: expected shape {shape}, got {given}").format(
                    name=name, shape=current.shape, given=new.shape
                )
            )
        limits.check_array(name, new)
        if np.array_equal(new, current):
            return
        self._replace_param(name, new)

    def set_tokens(
        self,
        query_tokens: Sequence[str],
        key_tokens: Sequence[str] | None = None,
        *,
        known: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        """New sentences; ``key_tokens=None`` switches to self-attention.

        Each token's embedding row comes from the first of:

        1. the old sentence on the same side, where a diff matches the token in
           place (so edited rows survive a sentence that grows or shrinks);
        2. the old sentence on the same side, the same word at the same
           occurrence (the second "the" takes the old second "the"'s row);
        3. ``known``: rows to remember by word, e.g. a preset's designed rows
           (:meth:`Document.set_tokens` passes them); a value is a row of
           d_model numbers, or an (m, d_model) stack whose k-th row is for the
           word's k-th occurrence in a sentence;
        4. any old row of the same word, on either side;
        5. :func:`~explainer.model.state.token_embedding`: the word table
           (similar words, similar rows), or seeded noise for a word not in it.

        Raises ValueError for a bad token, or a ``known`` value of the wrong shape.
        """
        queries = limits.check_tokens(query_tokens, "query_tokens")
        keys = None if key_tokens is None else limits.check_tokens(key_tokens, "key_tokens")
        limits.check_causal(self.causal, keys)
        designed = checked_known(known, self.d_model)
        s = self._state
        if (queries, keys) == (s.query_tokens, s.key_tokens):
            return
        old_q, old_k = s.query_tokens, tuple(self.key_tokens)
        x_q, x_kv = s.params["x_q"], s.params["x_kv"]
        values = dict(s.params)
        values["x_q"] = embed_rows(queries, (old_q, x_q), (old_k, x_kv), designed, self.d_model, self.seed)
        key_words = queries if keys is None else keys
        key_rows = embed_rows(key_words, (old_k, x_kv), (old_q, x_q), designed, self.d_model, self.seed)
        values["x_kv"] = key_rows
        params = make_params(values, keys is None, unchanged=s.params)
        self._commit(ModelState(queries, keys, s.causal, s.scale, params, s.seed))

    def set_options(self, *, causal: bool | None = None, scale: bool | None = None) -> None:
        """Switch the causal mask and the 1/√d_k scaling on or off."""
        s = self._state
        new_causal = s.causal if causal is None else bool(causal)
        new_scale = s.scale if scale is None else bool(scale)
        limits.check_causal(new_causal, s.key_tokens)
        if (new_causal, new_scale) == (s.causal, s.scale):
            return
        self._commit(dataclasses.replace(s, causal=new_causal, scale=new_scale))

    def set_dims(
        self,
        *,
        d_model: int | None = None,
        d_k: int | None = None,
        d_v: int | None = None,
        n_heads: int | None = None,
        seed: int | None = None,
    ) -> None:
        """Change sizes: the weights are drawn anew (seeded), embeddings re-derived."""
        d_model = limits.check_size(
            "d_model", self.d_model if d_model is None else d_model, limits.MAX_D_MODEL
        )
        new_seed = self.seed if seed is None else limits.check_seed(seed)
        d_k = limits.check_size("d_k", self.d_k if d_k is None else d_k, limits.MAX_D_K)
        d_v = limits.check_size("d_v", self.d_v if d_v is None else d_v, limits.MAX_D_K)
        n_heads = limits.check_size("n_heads", self.n_heads if n_heads is None else n_heads, limits.MAX_HEADS)
        if (d_model, d_k, d_v, n_heads, seed) == (self.d_model, self.d_k, self.d_v, self.n_heads, None):
            return
        s = self._state
        values = random_weights(d_model, d_k, d_v, n_heads, new_seed)
        if d_model == self.d_model:
            values["x_q"], values["x_kv"] = s.params["x_q"], s.params["x_kv"]
        else:
            values["x_q"] = np.array([token_embedding(t, d_model, new_seed) for t in s.query_tokens])
            values["x_kv"] = np.array([token_embedding(t, d_model, new_seed) for t in self.key_tokens])
        new = ModelState(
            s.query_tokens, s.key_tokens, s.causal, s.scale, make_params(values, s.self_attention), new_seed
        )
        if not new.same_as(s):
            self._commit(new)

    def randomize(self, seed: int) -> None:
        """Draw new projection weights with ``seed``; embeddings stay."""
        self.set_dims(seed=seed)

    def restore(self, state: ModelState) -> None:
        """Go back to a snapshot from :attr:`state` (undo / redo / open)."""
        restored = checked_state(state, unchanged=self._state.params)
        if not restored.same_as(self._state):
            self._commit(restored)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group edits: one recompute and at most one ``changed`` emission at the end."""
        if self._batch_depth == 0:
            self._batch_start = self._state
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                start, self._batch_start = self._batch_start, None
                if start is not None and not start.same_as(self._state):
                    self._last_edit = None  # a batch may hold several edits
                    self.changed.emit(self.trace)

    # ------------------------------------------------------------------ helpers
    def _param(self, name: str) -> np.ndarray:
        if name not in self.params:
            raise ValueError(
                _("unknown parameter {name}; expected one of {names}").format(
                    name=repr(name), names=", ".join(limits.PARAM_NAMES)
                )
            )
        return self.params[name]

    def _replace_param(
        self, name: str, array: np.ndarray, heads: Edited | None = None, cell: tuple[int, ...] | None = None
    ) -> None:
        """``array`` (the model's own new copy) replaces ``name``; ``heads``: the only heads it feeds;
        ``cell``: the only cell in which it differs."""
        s = self._state
        values = dict(s.params)
        key = "x_q" if name == "x_kv" and s.self_attention else name
        values[key] = array
        array.flags.writeable = False  # the caller's own copy: shared, not copied again (8 MB at the limits)
        params = make_params(values, s.self_attention, unchanged={**s.params, key: array})
        edit = None if cell is None else CellEdit(key, cell, s.params[key])
        self._commit(dataclasses.replace(s, params=params), heads, edit)

    def _heads_of(self, name: str, cell: tuple[int, ...]) -> Edited | None:
        """The head one cell of ``name`` feeds and through which input (b_O: none), or None for all (X)."""
        if name in ("w_q", "w_k", "w_v", "b_q", "b_k", "b_v"):
            return {cell[0]: {name[-1]}}
        if name == "w_o":
            return {cell[0] // self.d_v: {"o"}}
        return {} if name == "b_o" else None

    def _commit(self, state: ModelState, heads: Edited | None = None, edit: CellEdit | None = None) -> None:
        """Make ``state`` current; ``heads``: the only heads it changed, if known (recomputed alone)."""
        if heads is None:
            self._base, self._stale_heads = None, {}
        elif self._trace is not None:
            self._base, self._stale_heads = self._trace, {h: set(parts) for h, parts in heads.items()}
        else:
            for h, parts in heads.items():  # still stale since the base: those too (or no base at all)
                self._stale_heads.setdefault(h, set()).update(parts)
        self._state = state
        self._trace = None
        self._last_edit = edit if self._batch_depth == 0 else None
        if self._batch_depth == 0:
            self.changed.emit(self.trace)
            self._last_edit = None  # told during the emission; keeps no old 8 MB array alive after it
