"""Every limit the model enforces, in one place, with the messages users see."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..i18n import N_, _

MAX_TOKENS = 64
MAX_TOKEN_CHARS = 40
MAX_D_MODEL = 1024
MAX_D_K = 256
MAX_HEADS = 16
MAX_ABS_VALUE = 1e6

# The messages a user sees when a number is refused (an edited weight, a loaded file).
TOO_LARGE = N_("{label}: |value| must be at most {limit}, got {value}")
NOT_FINITE = N_("{label}: expected a finite number, got {value}")

PARAM_NAMES = ("x_q", "x_kv", "w_q", "w_k", "w_v", "b_q", "b_k", "b_v", "w_o", "b_o")


def check_value(name: str, value: object, where: str = "") -> float:
    """Return ``value`` as a float, or raise ValueError saying what was wrong."""
    label = f"{name}{where}"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(_("{label}: expected a number, got {value}").format(label=label, value=repr(value)))
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(_(TOO_LARGE).format(label=label, limit=f"{MAX_ABS_VALUE:g}", value=value)) from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(_(NOT_FINITE).format(label=label, value=number))
    if abs(number) > MAX_ABS_VALUE:
        raise ValueError(_(TOO_LARGE).format(label=label, limit=f"{MAX_ABS_VALUE:g}", value=f"{number:g}"))
    return number


def check_array(name: str, array: np.ndarray) -> None:
    """Refuse NaN, infinities and values beyond the limit anywhere in ``array``."""
    if not np.all(np.isfinite(array)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(_(NOT_FINITE).format(label=f"{name}{list(bad)}", value=array[bad]))
    if array.size and np.max(np.abs(array)) > MAX_ABS_VALUE:
        bad = tuple(int(i) for i in np.argwhere(np.abs(array) > MAX_ABS_VALUE)[0])
        label, limit = f"{name}{list(bad)}", f"{MAX_ABS_VALUE:g}"
        raise ValueError(_(TOO_LARGE).format(label=label, limit=limit, value=f"{array[bad]:g}"))


ALLOWED_IN_TOKENS = N_("a token may hold letters, marks, digits, punctuation, symbols and spaces")


def _not_text(token: str) -> str | None:
    """What in ``token`` is no text a file, a font or an SVG can hold, or None.

    Control characters (C0, DEL, C1: a terminal escape, a zero byte, a tab) and
    Unicode noncharacters (U+FDD0..U+FDEF and the last two of every plane) are
    not; format characters (a zero-width joiner in an emoji, a direction mark)
    and private-use characters are text.
    """
    for index, char in enumerate(token):
        code = ord(char)
        if unicodedata.category(char) == "Cc":
            kind = _("a control character (U+{code}) at character {n}")
        elif 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            kind = _("a noncharacter (U+{code}) at character {n}")
        else:
            continue
        return kind.format(code=f"{code:04X}", n=index + 1)
    return None


def check_tokens(tokens: Sequence[str], which: str) -> tuple[str, ...]:
    """Validate a token list; return it as a tuple of stripped strings.

    Every message names the token (``query_tokens[2]: …``) and says what was expected.
    """
    if isinstance(tokens, str):
        raise ValueError(
            _("{which}: expected a list of tokens, got the string {text}").format(
                which=which, text=repr(tokens)
            )
        )
    if isinstance(tokens, (bytes, Mapping)) or not isinstance(tokens, Iterable):
        raise ValueError(
            _("{which}: expected a list of tokens, got {value}").format(which=which, value=_short(tokens))
        )
    result = []
    for position, token in enumerate(tokens):
        if not isinstance(token, str):
            raise ValueError(
                _("{which}: expected a string, got {value}").format(
                    which=f"{which}[{position}]", value=repr(token)
                )
            )
        token = token.strip()
        if not token:
            raise ValueError(_("{which}: a token cannot be empty").format(which=f"{which}[{position}]"))
        if len(token) > MAX_TOKEN_CHARS:
            raise ValueError(
                _("{which}: a token has at most {limit} characters, got {count}").format(
                    which=f"{which}[{position}]", limit=MAX_TOKEN_CHARS, count=len(token)
                )
            )
        try:
            token.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no file, font or hash can take it
            raise ValueError(
                _("{which}: expected text, got {value}").format(
                    which=f"{which}[{position}]", value=repr(token)
                )
            ) from None
        problem = _not_text(token)
        if problem is not None:  # no XML (SVG), terminal or font takes these as text
            raise ValueError(
                _("{which}: {token} holds {problem}; {allowed}").format(
                    which=f"{which}[{position}]",
                    token=repr(token),
                    problem=problem,
                    allowed=_(ALLOWED_IN_TOKENS),
                )
            )
        result.append(token)
    if not result:
        raise ValueError(_("{which}: expected at least one token, got none").format(which=which))
    if len(result) > MAX_TOKENS:
        raise ValueError(
            _("{which}: at most {limit} tokens, got {count}").format(
                which=which, limit=MAX_TOKENS, count=len(result)
            )
        )
    return tuple(result)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def check_size(name: str, value: object, maximum: int) -> int:
    """Validate a dimension such as d_model or n_heads."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(
            _("{name}: expected a whole number, got {value}").format(name=name, value=repr(value))
        )
    if not 1 <= int(value) <= maximum:
        raise ValueError(
            _("{name}: expected 1 to {limit}, got {value}").format(name=name, limit=maximum, value=value)
        )
    return int(value)


def check_causal(causal: bool, key_tokens: tuple[str, ...] | None) -> None:
    if causal and key_tokens is not None:
        raise ValueError(
            _("causal attention needs self-attention: pass key_tokens=None or switch causal off")
        )


def check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(_("seed: expected a whole number >= 0, got {value}").format(value=repr(seed)))
    return int(seed)


def check_index(name: str, index: int | tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    cell = (index,) if not isinstance(index, tuple) else index
    if len(cell) != len(shape) or not all(
        isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in cell
    ):
        raise ValueError(
            f"{name}: expected an index of {len(shape)} whole numbers for shape {shape}, got {index!r}"
        )
    if not all(0 <= i < n for i, n in zip(cell, shape, strict=True)):
        raise ValueError(f"{name}: index {list(cell)} is out of range for shape {shape}")
    return tuple(int(i) for i in cell)


def param_shapes(
    n_q: int, n_k: int, d_model: int, d_k: int, d_v: int, n_heads: int
) -> dict[str, tuple[int, ...]]:
    """The shape of every parameter of a model of these sizes."""
    return {
        "x_q": (n_q, d_model),
        "x_kv": (n_k, d_model),
        "w_q": (n_heads, d_model, d_k),
        "w_k": (n_heads, d_model, d_k),
        "w_v": (n_heads, d_model, d_v),
        "b_q": (n_heads, d_k),
        "b_k": (n_heads, d_k),
        "b_v": (n_heads, d_v),
        "w_o": (n_heads * d_v, d_model),
        "b_o": (d_model,),
    }


def check_params(params: Mapping[str, np.ndarray], n_q: int, n_k: int | None) -> None:
    """Check names, shapes and values of a full parameter set against each other."""
    missing = [name for name in PARAM_NAMES if name not in params]
    extra = [name for name in params if name not in PARAM_NAMES]
    if missing or extra:
        raise ValueError(f"params: missing {missing or 'nothing'}, unexpected {extra or 'nothing'}")
    arrays = {name: np.asarray(params[name], dtype=np.float64) for name in PARAM_NAMES}
    w_q, w_v = arrays["w_q"], arrays["w_v"]
    if w_q.ndim != 3 or w_v.ndim != 3:
        raise ValueError(f"w_q, w_v: expected (n_heads, d_model, d), got {w_q.shape} and {w_v.shape}")
    n_heads, d_model, d_k = w_q.shape
    d_v = w_v.shape[2]
    check_size("d_model", d_model, MAX_D_MODEL)
    check_size("d_k", d_k, MAX_D_K)
    check_size("d_v", d_v, MAX_D_K)
    check_size("n_heads", n_heads, MAX_HEADS)
    expected = param_shapes(n_q, n_q if n_k is None else n_k, d_model, d_k, d_v, n_heads)
    for name, shape in expected.items():
        if arrays[name].shape != shape:
            raise ValueError(f"{name}: expected shape {shape}, got {arrays[name].shape}")
        check_array(name, arrays[name])
    if n_k is None and not np.array_equal(arrays["x_q"], arrays["x_kv"]):
        raise ValueError("x_kv: in self-attention x_kv must equal x_q")
