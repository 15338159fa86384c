"""Sessions: save and open a model with its view settings, and autosave for crash recovery.

NumPy and the standard library only, never Qt. ``load_session`` raises
:class:`SessionError`, and only that, for any file it cannot use; saving is
atomic, so a failed save never damages the existing file.
"""

from .autosave import AUTOSAVE_NAME, autosave_path, clear_autosave, read_autosave, write_autosave
from .document import FORMAT, SUPPORTED_VERSIONS, VERSION
from .errors import SessionError
from .files import MAX_SESSION_BYTES, SESSION_SUFFIX, load_session, save_session
from .view import FONT_SCALE_RANGE, PANEL_NAMES, THEMES, ViewSettings

__all__ = [
    "AUTOSAVE_NAME",
    "FONT_SCALE_RANGE",
    "FORMAT",
    "MAX_SESSION_BYTES",
    "PANEL_NAMES",
    "SESSION_SUFFIX",
    "SUPPORTED_VERSIONS",
    "THEMES",
    "VERSION",
    "SessionError",
    "ViewSettings",
    "autosave_path",
    "clear_autosave",
    "load_session",
    "read_autosave",
    "save_session",
    "write_autosave",
]
