"""save_session and load_session: a model, its source and its view settings in one ``.attn.json`` file."""

from __future__ import annotations

import os
from pathlib import Path

from ..atomic import shown
from ..i18n import _
from ..model import AttentionModel, Document
from .atomic import write_atomic
from .document import count_problem, decode_session, encode_session
from .errors import FieldProblem, SessionError, clip, model_message
from .numbers import NumberText, Unread, cut_arrays, put_back
from .reading import parse_json, read_bytes, size_text
from .view import ViewSettings

SESSION_SUFFIX = ".attn.json"
# Larger than a real BERT-base layer (12 heads, d_model 768) saved with 64 tokens (~55 MB).
MAX_SESSION_BYTES = 128 * 2**20


def save_session(
    path: str | os.PathLike[str], document: Document | AttentionModel, view: ViewSettings | None = None
) -> None:
    """Write ``document`` and ``view`` to ``path`` as a session file, atomically.

    Parameters
    ----------
    path : str or PathLike
        The file to write (conventionally ending in :data:`SESSION_SUFFIX`);
        an existing file is replaced only once the new one is complete.
    document : Document or AttentionModel
        The model and its source (a bare model is saved with no source). Its
        numbers are read once through ``model.state``, so this may run in a worker thread.
    view : ViewSettings, optional
        Defaults to ``ViewSettings()``; must fit the model (head, focus).

    Raises
    ------
    SessionError
        If the view does not fit the model, the session would exceed
        :data:`MAX_SESSION_BYTES`, or writing fails; the message names the file
        and what failed, and an existing file is left unchanged.
    """
    target = Path(path)
    name = shown(target.name or str(target))
    try:
        if isinstance(document, AttentionModel):
            document = Document(document)
        data = encode_session(document, ViewSettings() if view is None else view)
    except FieldProblem as problem:
        raise SessionError(problem.message(_("{name}: cannot save").format(name=name))) from None
    except UnicodeEncodeError:
        raise SessionError(
            _("{name}: cannot save: a token holds text UTF-8 cannot write").format(name=name)
        ) from None
    if len(data) > MAX_SESSION_BYTES:
        raise SessionError(
            _("{name}: cannot save: the session would be {size}; a session file is at most {most}").format(
                name=name, size=size_text(len(data)), most=size_text(MAX_SESSION_BYTES)
            )
        )
    write_atomic(target, data)


def load_session(path: str | os.PathLike[str]) -> tuple[Document, ViewSettings]:
    """Read a session file written by :func:`save_session`.

    Parameters
    ----------
    path : str or PathLike
        The session file.

    Returns
    -------
    document : Document
        A new model holding the saved tokens, options, sizes, seed and every
        parameter, bit for bit, and its source (preset, checkpoint layer and text, or None).
    view : ViewSettings
        The saved view, checked against the model (head, focus in range).

    Raises
    ------
    SessionError
        For any file it cannot use, and nothing else: missing, a folder, over
        :data:`MAX_SESSION_BYTES` (refused before reading), binary, not UTF-8,
        not JSON or truncated, another format or version, missing or extra
        fields, wrong types or shapes, NaN or infinities, values beyond the
        model's limits. The message reads ``"<file>: field <path>: expected …, got …"``.
    """
    source = Path(path)
    name = shown(source.name or str(source))
    data = read_bytes(source, MAX_SESSION_BYTES)
    too_many = count_problem(data)  # before parsing: a small file of many tiny items would take gigabytes
    if too_many is not None:
        raise SessionError(clip(_("{name}: not a session file: {reason}").format(name=name, reason=too_many)))
    cut = cut_arrays(data)
    loaded = None if cut is None else _read_in_bulk(*cut, name)
    if loaded is not None:
        return loaded
    document = parse_json(data, name)
    try:
        return decode_session(document)
    except FieldProblem as problem:
        raise SessionError(problem.message(name)) from None
    except ValueError as error:
        raise SessionError(model_message(name, error)) from None
    except RecursionError:
        raise SessionError(
            clip(_("{name}: not a session file: nested too deeply").format(name=name))
        ) from None


def _read_in_bulk(text: bytes, arrays: list[NumberText], name: str) -> tuple[Document, ViewSettings] | None:
    """The session, its large arrays read in bulk (see :mod:`.numbers`), or None.

    None for any problem at all: then :func:`load_session` reads the whole file
    again the careful way, which finds it and words it as it always has.
    """
    try:
        document = parse_json(text, name)
        put_back(document, arrays)
        return decode_session(document)
    except (SessionError, FieldProblem, Unread, ValueError, RecursionError):
        return None
