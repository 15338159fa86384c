"""Export failures, in their own module so the writers and the runner can share them."""

from __future__ import annotations


class ExportError(Exception):
    """An export could not be finished: the encoder failed or the output could not be written.

    The message is meant for the user as is (for ffmpeg failures it ends with the
    last lines ffmpeg printed).
    """


class ExportCancelled(ExportError):
    """The export was cancelled by the user; nothing was written."""
