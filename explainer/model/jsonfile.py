"""Read one JSON file and say in one line why it cannot be used: shared by presets and checkpoints."""

from __future__ import annotations

import json
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any


def read_json(
    source: Path | Traversable, error_type: type[Exception], label: str, expected: str = "valid JSON"
) -> Any:
    """The decoded document in ``source`` (a file path or a package resource).

    Parameters
    ----------
    source : Path or Traversable
        The file; ``importlib.resources.files(...) / name`` works as well as a path.
    error_type : type of Exception
        Raised, with one line and no chained traceback, when the file cannot be read or decoded.
    label : str
        How the message names the file, e.g. ``"seed-cross.json"``.
    expected : str
        What the file should have been, e.g. ``"a JSON preset"``: "``label``: not ``expected`` (why)".
    """
    try:
        return json.loads(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise error_type(f"{label}: cannot read the file ({error.strerror or error})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise error_type(f"{label}: not {expected} ({error})") from None
