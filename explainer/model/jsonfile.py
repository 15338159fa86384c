"""Read one JSON file and say in one line why it cannot be used: shared by presets and checkpoints.

Also :func:`read_regular`, the bounded read every JSON file the app takes goes
through (sessions too): the file is opened first, without waiting (a named
pipe would wait for a writer) and then what was opened is checked, so a file
swapped for a pipe or a device between a check and the open cannot hang or
flood the app.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..atomic import kind_of_file, shown
from ..i18n import N_, _

MB = 2**20
# As large as the largest session file: a preset may hold a whole model's numbers.
MAX_JSON_BYTES = 128 * MB


class NotAFile(OSError):
    """What was opened is not a regular file; ``what`` says what it is (``"a folder"``, ``"a device"`` …)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class TooLarge(OSError):
    """The file holds more than ``limit`` bytes: ``size`` of them, or None if it grew past it while read."""

    def __init__(self, size: int | None, limit: int) -> None:
        super().__init__(size, limit)
        self.size, self.limit = size, limit


class _TooManyDigits(Exception):
    pass


def size_text(n_bytes: int) -> str:
    """``67108864`` → ``"64 MB"``."""
    return f"{n_bytes / MB:.0f} MB" if n_bytes >= 10 * MB else f"{n_bytes / MB:.1f} MB"


def too_large_text(error: TooLarge, what: str) -> str:
    """``"the file is too large (500 MB); <what> is at most 128 MB"``, in the language in use.

    ``what`` is marked with ``N_`` by the caller and looked up here.
    """
    most = size_text(error.limit)
    size = _("over {size}").format(size=most) if error.size is None else size_text(error.size)
    return _("the file is too large ({size}); {what} is at most {most}").format(
        size=size, what=_(what), most=most
    )


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Opened first (non-blocking, so a named pipe does not wait for a writer),
    then checked through the open descriptor, so what is read is what was
    checked. Reads at most ``limit + 1`` bytes, so a file that grows meanwhile
    is still bounded.

    Raises
    ------
    NotAFile
        A folder, a device, a named pipe, a socket.
    TooLarge
        Over ``limit`` bytes (by its size, before reading; or while reading).
    OSError
        It cannot be opened or read (``FileNotFoundError`` …).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket, or a device with nothing behind it
            mode = _mode(path)
            if mode is not None:
                raise NotAFile(kind_of_file(mode)) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(kind_of_file(info.st_mode))
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb", buffering=0) as file:
        chunks, total = [], 0
        while total <= limit:
            chunk = file.read(min(MB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    if total > limit:
        raise TooLarge(None, limit)
    return b"".join(chunks)


def _mode(path: str | os.PathLike[str]) -> int | None:
    try:
        return os.stat(path).st_mode
    except OSError:
        return None


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # over sys.get_int_max_str_digits()
        raise _TooManyDigits(len(text.lstrip("-"))) from None


def read_json(
    source: Path | Traversable,
    error_type: type[Exception],
    label: str,
    expected: str = N_("valid JSON"),
    limit: int = MAX_JSON_BYTES,
) -> Any:
    """The decoded document in ``source`` (a file path or a package resource).

    Parameters
    ----------
    source : Path or Traversable
        The file; ``importlib.resources.files(...) / name`` works as well as a path.
    error_type : type of Exception
        Raised, with one line and no chained traceback, when the file cannot be read or decoded.
    label : str
        How the message names the file, e.g. ``"seed-cross.json"`` (a newline in it is escaped).
    expected : str
        What the file should have been, e.g. ``"a JSON preset"``: "``label``: not ``expected`` (why)";
        marked with ``N_`` by the caller, looked up here.
    limit : int
        The largest file read, in bytes; a larger one, a folder, a device or a
        named pipe is refused unread (see :func:`read_regular`).
    """
    label, expected = shown(label), _(expected)
    try:
        # A package resource that is no path (inside a zip) is the app's own file: read as is.
        data = read_regular(source, limit) if isinstance(source, Path) else source.read_bytes()
        return json.loads(data.decode("utf-8"), parse_int=_parse_int)
    except NotAFile as error:
        raise error_type(
            _("{label}: is {what}, not {expected}").format(label=label, what=_(error.what), expected=expected)
        ) from None
    except TooLarge as error:
        too_large = too_large_text(error, N_("a JSON file here"))
        raise error_type(f"{label}: {too_large}") from None
    except OSError as error:
        raise error_type(
            _("{label}: cannot read the file ({reason})").format(label=label, reason=error.strerror or error)
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise error_type(
            _("{label}: not {expected} ({reason})").format(label=label, expected=expected, reason=error)
        ) from None
    except RecursionError:
        raise error_type(
            _("{label}: not {expected} (lists or objects are nested too deeply)").format(
                label=label, expected=expected
            )
        ) from None
    except _TooManyDigits as error:
        raise error_type(
            _("{label}: not {expected} (a number with {digits} digits)").format(
                label=label, expected=expected, digits=error.args[0]
            )
        ) from None
