"""``export --view head|model`` and ``export --scene``: the other things the export command writes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import _

if TYPE_CHECKING:
    from ..model import Document
    from ..qt.export_job import ExportOptions


def write_model_view(
    args: argparse.Namespace, options: ExportOptions, announce: Callable[[str], None]
) -> Path:
    """``--view model``: the real checkpoint's layers × heads, the chosen --layer and --head outlined."""
    check_view_options(args, "model")  # first: --scene excludes --pretrained, so say that one first
    if args.pretrained is None:
        raise ValueError(
            _("--view model shows a real checkpoint's layers × heads: add --pretrained [FOLDER]")
        )
    from ..export import TerminalProgress
    from ..qt.view_export import export_model_view
    from ..real import run_text

    run = run_text(args.pretrained or None, args.text)
    selected = (args.layer - 1, 0 if args.head is None else args.head - 1)
    return export_model_view(run, args.out, options, selected, TerminalProgress(), announce)


def write_head_view(args: argparse.Namespace, document: Document, options: ExportOptions) -> Path:
    """``--view head``: the model's lines between its words, one head (--head) or all of them."""
    check_view_options(args, "head")
    from ..export import TerminalProgress
    from ..qt.head_view import export_head_view

    source = document.source
    layer = getattr(source, "layer", None)
    return export_head_view(
        document.model,
        args.out,
        size=options.size,
        theme=options.theme,
        heads=None if args.head is None else [args.head - 1],
        fps=options.fps,
        force=options.force,
        source=None if layer is None else _("Layer {number}").format(number=layer + 1),
        progress=TerminalProgress(),
    )


def check_view_options(args: argparse.Namespace, view: str) -> None:
    """``--view head|model`` write one picture or one tour: the walkthrough's options are refused."""
    given = [
        option
        for option, value in (
            ("--learn", args.learn),
            ("--scene", args.scene),
            ("--steps", args.steps),
            ("--from", args.from_kind),
            ("--to", args.to_kind),
            ("--step", args.step),
            ("--split", args.split or None),
        )
        if value is not None
    ]
    if given:
        raise ValueError(
            _(
                "--view {view}: {options} belong to the attention walkthrough or another export; "
                "leave them out"
            ).format(view=view, options=", ".join(given))
        )


def check_scene_options(args: argparse.Namespace) -> None:
    """Options of the attention walkthrough mean nothing to a scene: say so rather than ignore them."""
    given = [
        option
        for option, value in (
            ("--learn", args.learn),
            ("--head", args.head),
            ("--steps", args.steps),
            ("--from", args.from_kind),
            ("--to", args.to_kind),
            ("--split", args.split or None),
        )
        if value is not None
    ]
    if given:
        raise ValueError(
            _(
                "--scene: {options} belong to the attention walkthrough, not to a scene; "
                "a scene exports every step (or --step N for a .png / .svg)"
            ).format(options=", ".join(given))
        )
