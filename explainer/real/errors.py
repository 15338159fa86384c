"""The one error type of the real-model package, and the hint for a missing install."""

from __future__ import annotations

from types import ModuleType

INSTALL_HINT = "install the real extra: make real (or pip install '.[real]')"


class PretrainedError(ValueError):
    """A checkpoint, text or layer that cannot be used; the message says what to do.

    A ``ValueError``, so callers that already report refused input (the CLI, the
    app's dialogs) report this one the same way.
    """


def require(module: str) -> ModuleType:
    """Import ``module`` or say which package is missing and how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise PretrainedError(f"a pretrained model needs the {package} package: {INSTALL_HINT}") from None
