"""What the window and the export command share: the program's name, one-line errors, --pretrained."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, NoReturn

from ..i18n import _

if TYPE_CHECKING:  # the model loads NumPy: only once a command needs it
    from ..model import Document

PROG = "attention-explainer"


class _CommandParser(argparse.ArgumentParser):
    """A mistake in the arguments is one line and exit status 2, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            2,
            _("{prog}: {message}; see {command} --help").format(prog=PROG, message=message, command=self.prog)
            + "\n",
        )


def _pretrained_options(
    parser: argparse.ArgumentParser, group: argparse._MutuallyExclusiveGroup | None = None
) -> None:
    """--pretrained [FOLDER] --text … --layer N: a real BERT layer instead of a preset."""
    (group or parser).add_argument(
        "--pretrained",
        nargs="?",
        const="",
        metavar="FOLDER",
        help=_("a real BERT checkpoint folder (no FOLDER: the packaged all-MiniLM-L6-v2; needs `make real`)"),
    )
    parser.add_argument("--text", help=_("with --pretrained: the text to run (default: a sample sentence)"))
    # Counted from 1 as the app's layer box counts; the API (pretrained_model(layer=0)) counts
    # from 0, so the default is the same first layer either way.
    parser.add_argument(
        "--layer",
        type=int,
        default=1,
        action=_Typed,
        help=_("with --pretrained: the layer, counted from 1 (default: 1)"),
    )
    parser.set_defaults(typed=frozenset())


class _Typed(argparse.Action):
    """Store the value and note that the option was typed: ``--layer 1`` is not the default 1."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        namespace.typed = frozenset(getattr(namespace, "typed", frozenset())) | {self.dest}


def _check_pretrained_options(args: argparse.Namespace) -> None:
    """--text and --layer mean something only with --pretrained: refused, not ignored, without it."""
    if args.pretrained is not None:
        return
    if args.text is not None:
        raise ValueError(_("--text needs --pretrained (the text a real checkpoint runs)"))
    if "layer" in args.typed:
        raise ValueError(_("--layer needs --pretrained (a layer of a real checkpoint)"))


def _pretrained_document(args: argparse.Namespace) -> Document:
    """The layer --pretrained asks for, with its source; PretrainedError (a ValueError) says what is wrong."""
    from ..real import LayerError, pretrained_document

    if args.layer < 1:
        raise ValueError(_("--layer: layers are counted from 1, got {layer}").format(layer=args.layer))
    try:
        return pretrained_document(args.pretrained or None, args.text, args.layer - 1)
    except LayerError as error:  # the API counts from 0: say it the way the user typed it
        raise ValueError(
            _("--layer {layer}: this checkpoint has layers 1 to {count}").format(
                layer=args.layer, count=error.n_layers
            )
        ) from None
