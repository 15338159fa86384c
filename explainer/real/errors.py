"""The error type of the real-model package (a missing layer is one kind), and the missing-install hint."""

from __future__ import annotations

from types import ModuleType

from ..i18n import N_, _

# Marked English: shown through _(INSTALL_HINT), in the language in use.
INSTALL_HINT = N_("install the real extra: make real (or pip install '.[real]')")


class PretrainedError(ValueError):
    """A checkpoint, text or layer that cannot be used; the message says what to do.

    A ``ValueError``, so callers that already report refused input (the CLI, the
    app's dialogs) report this one the same way.
    """


class LayerError(PretrainedError):
    """A layer the checkpoint does not have.

    Attributes
    ----------
    layer : object
        The layer as it was asked for (counted from 0, as the API counts).
    n_layers : int
        How many encoder layers the checkpoint has: layers 0 to ``n_layers - 1``.
    """

    def __init__(self, message: str, layer: object, n_layers: int) -> None:
        super().__init__(message)
        self.layer = layer
        self.n_layers = n_layers


def require(module: str) -> ModuleType:
    """Import ``module`` or say which package is missing and how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise PretrainedError(
            _("a pretrained model needs the {package} package: {hint}").format(
                package=package, hint=_(INSTALL_HINT)
            )
        ) from None
