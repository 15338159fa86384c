"""Command line: without a command it opens the app, subcommands run headless.

The same for ``attention-explainer`` (the console script), ``python -m explainer`` and ``python main.py``.

Qt is imported only when the window is opened, so the headless subcommands
(and ``--help``) work on a machine without Qt's system libraries or a display.
Nothing imported at module level here loads NumPy: :func:`main` sets the BLAS
thread count first (tests/test_cli.py checks the order).
To add a subcommand, write a ``_cmd_<name>(args) -> int`` handler and register
it in :func:`build_parser`; the no-display message lists it automatically. The export
command, the biggest, lives in :mod:`.export_command`; what it shares with the window
(--pretrained, one-line errors) in :mod:`.options`. The language (--lang, else the
system's) is chosen before the parser is built, so that its help is in it: :mod:`.language`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .. import __version__
from ..i18n import _
from .export_command import FINAL_HOLD as FINAL_HOLD  # re-exported: tests compare it with export's
from .export_command import add_export_command
from .language import use_language
from .options import (
    PROG,
    _check_pretrained_options,
    _CommandParser,
    _pretrained_document,
    _pretrained_options,
)

__all__ = ["build_parser", "main", "missing_display"]


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: no subcommand opens the window.

    ``prog`` is how usage lines and hints name the program (default: as it was started).
    """
    # The choices are the ones the session files accept (NumPy, never Qt).
    from ..i18n import LANGUAGES
    from ..scenes import SCENE_NAMES
    from ..session import THEMES

    parser = _CommandParser(
        prog=_invoked_as(sys.argv[0]) if prog is None else prog,
        description=_(
            "Teach transformer attention one animated step at a time. "
            "Without a command, opens the app window."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_(
            "the language of the window and its exports: en or ko (default: the one chosen last "
            "time, else the system's)"
        ),
    )
    parser.add_argument(
        "--scene",
        dest="window_scene",  # not the commands' own --scene (screenshot, export)
        choices=SCENE_NAMES,
        help=_(
            "open on one of the lecture's scenes: where attention lives (architecture) or why "
            "transformers are fast (rnn-vs-attention)"
        ),
    )
    _pretrained_options(parser)
    commands = parser.add_subparsers(
        dest="command", title=_("headless commands"), metavar="COMMAND", parser_class=_CommandParser
    )

    presets = commands.add_parser("presets", help=_("list the shipped presets, one per line"))
    presets.set_defaults(handler=_cmd_presets)

    shot = commands.add_parser("screenshot", help=_("write the app window at one step to a PNG, offscreen"))
    shot.add_argument("--out", required=True, type=Path, help=_("the PNG file to write"))
    shot.add_argument("--force", action="store_true", help=_("replace --out if it is a PNG file"))
    shot.add_argument("--preset", default="seed-translate", help=_("preset name (default: seed-translate)"))
    shot.add_argument("--step", type=int, help=_("1-based step number (default: the last step)"))
    shot.add_argument("--size", default="1280x800", type=_size, help=_("window size WxH (default: 1280x800)"))
    shot.add_argument("--theme", default=THEMES[0], choices=THEMES)
    shot.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=_("en or ko"))
    shot.add_argument("--scene", choices=SCENE_NAMES, help=_("the window on this scene, not the walkthrough"))
    shot.add_argument(
        "--view",
        default="overview",
        choices=("presenter", "overview"),
        help=_("presenter: the step's panels large (F5 in the app); overview: every panel (default)"),
    )
    shot.set_defaults(handler=_cmd_screenshot)
    add_export_command(commands)
    return parser


def _invoked_as(argv0: str) -> str:
    """How the user started the program, so that usage lines and hints say it the same way."""
    name = Path(argv0).name
    if name == "__main__.py":
        return "python -m explainer"
    if name.endswith(".py"):
        return f"python {name}"
    return PROG  # the console script (and anything else, e.g. python -c)


def _size(text: str) -> tuple[int, int]:
    """'1280x800' or '720p' -> (width, height): the same sizes and messages as export."""
    from ..export import parse_size

    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code (console scripts pass it to sys.exit)."""
    # Before anything loads NumPy (the parser's choices do). The matrices here are small (a
    # BERT layer at most): BLAS threads only fight over the cores with the GUI thread. One
    # thread: 1.7 ms per BERT-sized recompute against 4.5 ms (median) with the default on a
    # 2-core machine. Only the app sets it: `import explainer.model` leaves the choice to you.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    argv = list(sys.argv[1:] if argv is None else argv)
    use_language(argv, os.environ)  # before the parser: its help is written in the language asked
    parser = build_parser()
    session = _session_argument(parser, argv)
    if session is not None:
        return _open_window(parser, session)
    args = parser.parse_args(argv)
    if args.command is None:
        try:
            _check_pretrained_options(args)
        except ValueError as error:
            print(f"{PROG}: {error}", file=sys.stderr)
            return 2
        if args.pretrained is not None:
            try:
                _pretrained_document(args)  # a bad folder, text or layer: one line, before any window
            except ValueError as error:
                print(f"{PROG}: {error}", file=sys.stderr)
                return 2
            pretrained = (args.pretrained or None, args.text, args.layer - 1)
            return _open_window(parser, pretrained=pretrained, scene=args.window_scene, lang=args.lang)
        return _open_window(parser, scene=args.window_scene, lang=args.lang)
    if args.window_scene is not None:  # `--scene X screenshot …` would picture the walkthrough
        print(
            _(
                "{prog}: --scene before a command opens the window on a scene; for a picture or a video "
                "of one, give it to the command: {prog} screenshot --scene … or {prog} export --scene …"
            ).format(prog=PROG),
            file=sys.stderr,
        )
        return 2
    if args.lang is not None:  # a headless command's words (the export's captions, its messages)
        from ..i18n import set_language

        set_language(args.lang)
    code: int = args.handler(args)
    return code


def missing_display(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why Qt would find no screen, or None if it can (or if we cannot tell).

    Without this check Qt aborts with a long xcb plugin message and a core dump.
    """
    if platform in ("darwin", "win32"):  # no DISPLAY variable there, the screen is always found
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return _("DISPLAY is not set")


def _headless_commands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:  # argparse has no public accessor for subcommands
        if isinstance(action, argparse._SubParsersAction):
            return [f"{parser.prog} {name}" for name in action.choices]
    return []


def _session_argument(parser: argparse.ArgumentParser, argv: list[str]) -> Path | None:
    """``python main.py FILE``: a first argument that is no command and no option is a session."""
    commands = {name.split()[-1] for name in _headless_commands(parser)}
    if len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in commands:
        return Path(argv[0])
    return None


def _open_window(
    parser: argparse.ArgumentParser,
    session: Path | None = None,
    pretrained: tuple[str | None, str | None, int] | None = None,
    scene: str | None = None,
    lang: str | None = None,
) -> int:
    loaded = None
    if session is not None:
        from ..session import SessionError, load_session

        try:
            loaded = load_session(session)  # refuse a bad file here, in one line, before any window
        except SessionError as error:
            print(f"{PROG}: {error}", file=sys.stderr)
            return 2
    reason = missing_display(os.environ)
    if reason is not None:
        commands = ", ".join(_headless_commands(parser))
        print(
            _(
                "{prog}: no display found ({reason}); run headless commands instead: "
                "{commands}, or set QT_QPA_PLATFORM=offscreen"
            ).format(prog=PROG, reason=reason, commands=commands),
            file=sys.stderr,
        )
        return 2
    from ..qt.app import run_app  # Qt only now: headless commands must not need it

    return run_app(
        sys.argv[:1], session=session, pretrained=pretrained, loaded=loaded, scene=scene, lang=lang
    )


def _cmd_screenshot(args: argparse.Namespace) -> int:
    from ..model import AttentionModel, PresetError

    try:
        AttentionModel.from_preset(args.preset)
    except PresetError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    from ..atomic import shown
    from ..export import check_output

    if args.out.suffix.lower() != ".png":
        print(
            _("{prog}: --out must end in .png, got {name}").format(prog=PROG, name=shown(args.out.name)),
            file=sys.stderr,
        )
        return 2
    try:  # the same rules as export: a PNG file is replaced with --force, and nothing else
        check_output(args.out, args.force, kind="png")
    except ValueError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless: no display needed
    from ..qt.app import save_screenshot

    try:
        steps = save_screenshot(
            args.out,
            args.preset,
            args.step,
            args.size,
            args.theme,
            force=args.force,
            view=args.view,
            scene=args.scene,
        )
    except (OSError, IndexError, ValueError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    print(
        _("wrote {path} ({width}x{height}, {steps} steps in the walkthrough)").format(
            path=shown(args.out), width=args.size[0], height=args.size[1], steps=steps
        )
    )
    return 0


def _cmd_presets(args: argparse.Namespace) -> int:
    from ..model import AttentionModel

    for name in AttentionModel.preset_names():
        print(name)
    return 0
