"""Every limit the model enforces, in one place, with the messages users see."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

MAX_TOKENS = 64
MAX_TOKEN_CHARS = 40
MAX_D_MODEL = 1024
MAX_D_K = 256
MAX_HEADS = 16
MAX_ABS_VALUE = 1e6

PARAM_NAMES = ("x_q", "x_kv", "w_q", "w_k", "w_v", "b_q", "b_k", "b_v", "w_o", "b_o")


def check_value(name: str, value: object, where: str = "") -> float:
    """Return ``value`` as a float, or raise ValueError saying what was wrong."""
    label = f"{name}{where}"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{label}: expected a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{label}: |value| must be at most {MAX_ABS_VALUE:g}, got {value}") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{label}: expected a finite number, got {number}")
    if abs(number) > MAX_ABS_VALUE:
        raise ValueError(f"{label}: |value| must be at most {MAX_ABS_VALUE:g}, got {number:g}")
    return number


def check_array(name: str, array: np.ndarray) -> None:
    """Refuse NaN, infinities and values beyond the limit anywhere in ``array``."""
    if not np.all(np.isfinite(array)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{name}{list(bad)}: expected a finite number, got {array[bad]}")
    if array.size and np.max(np.abs(array)) > MAX_ABS_VALUE:
        bad = tuple(int(i) for i in np.argwhere(np.abs(array) > MAX_ABS_VALUE)[0])
        raise ValueError(f"{name}{list(bad)}: |value| must be at most {MAX_ABS_VALUE:g}, got {array[bad]:g}")


def check_tokens(tokens: Sequence[str], which: str) -> tuple[str, ...]:
    """Validate a token list; return it as a tuple of stripped strings."""
    if isinstance(tokens, str):
        raise ValueError(f"{which}: expected a list of tokens, got the string {tokens!r}")
    result = []
    for position, token in enumerate(tokens):
        if not isinstance(token, str):
            raise ValueError(f"{which}[{position}]: expected a string, got {token!r}")
        token = token.strip()
        if not token:
            raise ValueError(f"{which}[{position}]: a token cannot be empty")
        if len(token) > MAX_TOKEN_CHARS:
            raise ValueError(
                f"{which}[{position}]: a token has at most {MAX_TOKEN_CHARS} characters, got {len(token)}"
            )
        try:
            token.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no file, font or hash can take it
            raise ValueError(f"{which}[{position}]: expected text, got {token!r}") from None
        result.append(token)
    if not result:
        raise ValueError(f"{which}: expected at least one token, got none")
    if len(result) > MAX_TOKENS:
        raise ValueError(f"{which}: at most {MAX_TOKENS} tokens, got {len(result)}")
    return tuple(result)


def check_size(name: str, value: object, maximum: int) -> int:
    """Validate a dimension such as d_model or n_heads."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name}: expected a whole number, got {value!r}")
    if not 1 <= int(value) <= maximum:
        raise ValueError(f"{name}: expected 1 to {maximum}, got {value}")
    return int(value)
