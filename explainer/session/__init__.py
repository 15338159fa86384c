"""Sessions: save and open a model with its view settings, and autosave for crash recovery.

NumPy and the standard library only, never Qt. ``load_session`` raises
:class:`SessionError`, and only that, for any file it cannot use; saving is
atomic, so a failed save never damages the existing file.
"""

from .autosave import AUTOSAVE_PREFIX, Autosave, CrashedAutosave, crashed_autosaves
from .document import FORMAT, SUPPORTED_VERSIONS, VERSION
from .errors import SessionError
from .files import MAX_SESSION_BYTES, SESSION_SUFFIX, load_session, save_session
from .view import FONT_SCALE_RANGE, PANEL_NAMES, THEMES, ViewSettings

__all__ = [
    "AUTOSAVE_PREFIX",
    "FONT_SCALE_RANGE",
    "FORMAT",
    "MAX_SESSION_BYTES",
    "PANEL_NAMES",
    "SESSION_SUFFIX",
    "SUPPORTED_VERSIONS",
    "THEMES",
    "VERSION",
    "Autosave",
    "CrashedAutosave",
    "SessionError",
    "ViewSettings",
    "crashed_autosaves",
    "load_session",
    "save_session",
]
