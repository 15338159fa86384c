"""Command line: without a command it opens the app, subcommands run headless.

The same for ``attention-explainer`` (the console script), ``python -m explainer`` and ``python main.py``.

Qt is imported only when the window is opened, so the headless subcommands
(and ``--help``) work on a machine without Qt's system libraries or a display.
Nothing imported at module level here loads NumPy: :func:`main` sets the BLAS
thread count first (tests/test_cli.py checks the order).
To add a subcommand, write a ``_cmd_<name>(args) -> int`` handler and register
it in :func:`build_parser`; the no-display message lists it automatically.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__

if TYPE_CHECKING:  # the model loads NumPy: only once a command needs it
    from .model import Document
    from .qt.export_job import ExportOptions

__all__ = ["build_parser", "main", "missing_display"]

PROG = "attention-explainer"
# explainer.export.DEFAULT_FINAL_HOLD, written here because the parser is built on every
# start and importing the export package for one number costs ~15 ms (a test keeps them equal).
FINAL_HOLD = "2"


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: no subcommand opens the window.

    ``prog`` is how usage lines and hints name the program (default: as it was started).
    """
    # The choices are the ones the session files and the timeline accept (NumPy, never Qt).
    from .animation import DEFAULT_DETAIL, DETAIL_MODES
    from .session import THEMES

    parser = _CommandParser(
        prog=_invoked_as(sys.argv[0]) if prog is None else prog,
        description="Teach transformer attention one animated step at a time. "
        "Without a command, opens the app window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _pretrained_options(parser)
    commands = parser.add_subparsers(
        dest="command", title="headless commands", metavar="COMMAND", parser_class=_CommandParser
    )

    presets = commands.add_parser("presets", help="list the shipped presets, one per line")
    presets.set_defaults(handler=_cmd_presets)

    shot = commands.add_parser("screenshot", help="write the app window at one step to a PNG, offscreen")
    shot.add_argument("--out", required=True, type=Path, help="the PNG file to write")
    shot.add_argument("--force", action="store_true", help="replace --out if it is a PNG file")
    shot.add_argument("--preset", default="seed-translate", help="preset name (default: seed-translate)")
    shot.add_argument("--step", type=int, help="1-based step number (default: the last step)")
    shot.add_argument("--size", default="1280x800", type=_size, help="window size WxH (default: 1280x800)")
    shot.add_argument("--theme", default=THEMES[0], choices=THEMES)
    shot.add_argument(
        "--view",
        default="overview",
        choices=("presenter", "overview"),
        help="presenter: the step's panels large (F5 in the app); overview: every panel (default)",
    )
    shot.set_defaults(handler=_cmd_screenshot)

    export = commands.add_parser(
        "export",
        help="export the walkthrough as MP4, GIF, PNG frames (folder or .zip), or a PNG / SVG still",
        description="Renders the app's panels offscreen at a fixed frame rate. The format follows "
        "--out: .mp4, .gif, .zip or a folder of PNG frames, .png or .svg for one step.",
    )
    source = export.add_mutually_exclusive_group()
    source.add_argument("--preset", default="seed-translate", help="preset name (default: seed-translate)")
    source.add_argument("--session", type=Path, help="a saved session (.attn.json) instead of a preset")
    _pretrained_options(export, source)
    export.add_argument("--out", required=True, type=Path, help="the file or folder to write")
    export.add_argument("--force", action="store_true", help="replace --out if it exists")
    export.add_argument("--size", default="720p", help="720p, 1080p, 4k or WxH (default: 720p)")
    export.add_argument("--fps", type=float, default=30.0, help="frames per second (default: 30)")
    export.add_argument("--steps", help="step range, 1-based as the app counts, e.g. 3-17")
    export.add_argument(
        "--from", dest="from_kind", metavar="KIND", help="start at the first step of KIND (e.g. dot)"
    )
    export.add_argument(
        "--to", dest="to_kind", metavar="KIND", help="end at the last step of KIND (e.g. softmax)"
    )
    export.add_argument("--step", type=int, help="for .png / .svg: the step to show (default: the last)")
    export.add_argument("--head", type=int, help="show this head throughout (1-based)")
    export.add_argument("--detail", default=DEFAULT_DETAIL, choices=DETAIL_MODES)
    export.add_argument("--theme", default=THEMES[0], choices=THEMES)
    export.add_argument("--no-captions", dest="captions", action="store_false", help="leave the caption out")
    export.add_argument("--layout", default="all", help="'all' or panels joined by '+', e.g. scores+softmax")
    export.add_argument(
        "--view",
        default="presenter",
        choices=("presenter", "overview"),
        help="presenter (default): each step's panels large, the camera moving between steps; "
        "overview: every panel at once",
    )
    pacing = export.add_argument_group(
        "for slides: pacing of a video (holds are seconds of video, whatever the speed), one file per step"
    )
    pacing.add_argument(
        "--speed",
        default="1",
        metavar="FACTOR",
        help="playback speed from 0.1 to 10: 0.5 is half speed, 2 twice as fast (default: 1)",
    )
    pacing.add_argument(
        "--hold",
        default="0",
        metavar="SECONDS",
        help="hold each step's finished state this long before the next step (0 to 60, default: 0)",
    )
    pacing.add_argument(
        "--final-hold",
        default=FINAL_HOLD,
        metavar="SECONDS",
        help=f"show the last frame this long at the end of the video (0 to 60, default: {FINAL_HOLD}; "
        "the last step is held for the longer of this and --hold); a GIF shows it this long before it loops",
    )
    pacing.add_argument(
        "--split",
        action="store_true",
        help="one file per step, for a slide deck: --out talk.mp4 writes the folder talk/ (where "
        "talk.mp4 would go) with talk-01-embed.mp4, talk-02-project_q.mp4 … (step number as the app "
        "counts, then its kind); each clip ends on its step finished for the final hold. With .gif: "
        "one GIF per step; with .png or .svg: a still of each step finished. --force replaces only "
        "such a folder",
    )
    _learn_options(export)
    export.set_defaults(handler=_cmd_export)
    return parser


def _learn_options(export: argparse.ArgumentParser) -> None:
    """--learn TARGET and its run: a video of gradient descent instead of the walkthrough."""
    learn = export.add_argument_group(
        "a learning run instead of the walkthrough: one frame per iteration of gradient descent on "
        "W_Q and W_K, α large with the targets flagged, the caption the iteration and the loss"
    )
    learn.add_argument(
        "--learn",
        metavar="TARGET",
        help="'preset' (the preset's intended pattern) or query=key pairs joined by commas, e.g. "
        "hate=kirai,this=kono,movie=eiga (several keys with +: an=this+example; a repeated word by its "
        "position, counted from 1); --head: the head that learns (default: 1, or the pattern's heads)",
    )
    start = learn.add_mutually_exclusive_group()
    start.add_argument(
        "--scramble",
        type=int,
        metavar="SEED",
        help="start from W_Q and W_K scrambled with this seed, not already showing the target "
        "(default: seed 1)",
    )
    start.add_argument(
        "--no-scramble",
        action="store_true",
        help="start from the weights as they are (the preset's or session's)",
    )
    learn.add_argument("--iterations", type=int, metavar="N", help="iterations of the run (default: 300)")
    learn.add_argument(
        "--learning-rate", type=float, metavar="LR", help="step size of gradient descent (default: 0.2)"
    )
    learn.add_argument("--every", type=int, metavar="K", help="one frame per K iterations (default: 1)")


def _invoked_as(argv0: str) -> str:
    """How the user started the program, so that usage lines and hints say it the same way."""
    name = Path(argv0).name
    if name == "__main__.py":
        return "python -m explainer"
    if name.endswith(".py"):
        return f"python {name}"
    return PROG  # the console script (and anything else, e.g. python -c)


class _CommandParser(argparse.ArgumentParser):
    """A mistake in the arguments is one line and exit status 2, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: {message}; see {self.prog} --help\n")


def _size(text: str) -> tuple[int, int]:
    """'1280x800' or '720p' -> (width, height): the same sizes and messages as export."""
    from .export import parse_size

    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _pretrained_options(
    parser: argparse.ArgumentParser, group: argparse._MutuallyExclusiveGroup | None = None
) -> None:
    """--pretrained [FOLDER] --text … --layer N: a real BERT layer instead of a preset."""
    (group or parser).add_argument(
        "--pretrained",
        nargs="?",
        const="",
        metavar="FOLDER",
        help="a real BERT checkpoint folder (no FOLDER: the packaged all-MiniLM-L6-v2; needs `make real`)",
    )
    parser.add_argument("--text", help="with --pretrained: the text to run (default: a sample sentence)")
    # Counted from 1 as the app's layer box counts; the API (pretrained_model(layer=0)) counts
    # from 0, so the default is the same first layer either way.
    parser.add_argument(
        "--layer",
        type=int,
        default=1,
        action=_Typed,
        help="with --pretrained: the layer, counted from 1 (default: 1)",
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
        raise ValueError("--text needs --pretrained (the text a real checkpoint runs)")
    if "layer" in args.typed:
        raise ValueError("--layer needs --pretrained (a layer of a real checkpoint)")


def _pretrained_document(args: argparse.Namespace) -> Document:
    """The layer --pretrained asks for, with its source; PretrainedError (a ValueError) says what is wrong."""
    from .real import LayerError, pretrained_document

    if args.layer < 1:
        raise ValueError(f"--layer: layers are counted from 1, got {args.layer}")
    try:
        return pretrained_document(args.pretrained or None, args.text, args.layer - 1)
    except LayerError as error:  # the API counts from 0: say it the way the user typed it
        raise ValueError(f"--layer {args.layer}: this checkpoint has layers 1 to {error.n_layers}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code (console scripts pass it to sys.exit)."""
    # Before anything loads NumPy (the parser's choices do). The matrices here are small (a
    # BERT layer at most): BLAS threads only fight over the cores with the GUI thread. One
    # thread: 1.7 ms per BERT-sized recompute against 4.5 ms (median) with the default on a
    # 2-core machine. Only the app sets it: `import explainer.model` leaves the choice to you.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
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
            return _open_window(parser, pretrained=(args.pretrained or None, args.text, args.layer - 1))
        return _open_window(parser)
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
    return "DISPLAY is not set"


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
) -> int:
    loaded = None
    if session is not None:
        from .session import SessionError, load_session

        try:
            loaded = load_session(session)  # refuse a bad file here, in one line, before any window
        except SessionError as error:
            print(f"{PROG}: {error}", file=sys.stderr)
            return 2
    reason = missing_display(os.environ)
    if reason is not None:
        commands = ", ".join(_headless_commands(parser))
        print(
            f"{PROG}: no display found ({reason}); run headless commands instead: "
            f"{commands}, or set QT_QPA_PLATFORM=offscreen",
            file=sys.stderr,
        )
        return 2
    from .qt.app import run_app  # Qt only now: headless commands must not need it

    return run_app(sys.argv[:1], session=session, pretrained=pretrained, loaded=loaded)


def _cmd_screenshot(args: argparse.Namespace) -> int:
    from .model import AttentionModel, PresetError

    try:
        AttentionModel.from_preset(args.preset)
    except PresetError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    from .atomic import shown
    from .export import check_output

    if args.out.suffix.lower() != ".png":
        print(f"{PROG}: --out must end in .png, got {shown(args.out.name)}", file=sys.stderr)
        return 2
    try:  # the same rules as export: a PNG file is replaced with --force, and nothing else
        check_output(args.out, args.force, kind="png")
    except ValueError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless: no display needed
    from .qt.app import save_screenshot

    try:
        steps = save_screenshot(
            args.out, args.preset, args.step, args.size, args.theme, force=args.force, view=args.view
        )
    except (OSError, IndexError, ValueError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    print(f"wrote {shown(args.out)} ({args.size[0]}x{args.size[1]}, {steps} steps in the walkthrough)")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    """Validate every argument before any rendering, so mistakes cost nothing."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless: no display needed
    from .atomic import shown
    from .export import ExportError, Pacing, TerminalProgress, check_hold, check_speed, parse_size
    from .model import Document, PresetError
    from .session import SessionError, load_session

    try:
        _check_pretrained_options(args)
        if args.pretrained is not None:
            document = _pretrained_document(args)
        elif args.session:
            document = load_session(args.session)[0]
        else:
            document = Document.from_preset(args.preset)
        model = document.model
        size = parse_size(args.size)
        if not 1 <= args.fps <= 120:  # as check_fps: said here, before Qt starts
            raise ValueError(f"--fps: expected a number from 1 to 120, got {args.fps:g}")
        pacing = Pacing(
            speed=check_speed(args.speed, "--speed"),
            hold=check_hold(args.hold, "--hold"),
            final_hold=check_hold(args.final_hold, "--final-hold"),
        )
        if args.head is not None and not 1 <= args.head <= model.n_heads:
            name = document.label  # the preset, or the checkpoint's layer
            if args.session:  # the file the user named, and what it holds
                name = shown(args.session.name) + (f" ({name})" if document.source is not None else "")
            raise ValueError(f"--head: {name} has heads 1 to {model.n_heads}, got {args.head}")
        _check_learn_options(args)
        from .qt.board import parse_layout
        from .qt.export_job import ExportOptions, export

        options = ExportOptions(
            size=size,
            fps=args.fps,
            steps=args.steps,
            from_kind=args.from_kind,
            to_kind=args.to_kind,
            still_step=None if args.step is None else args.step - 1,
            head=None if args.head is None else args.head - 1,
            detail=args.detail,
            theme=args.theme,
            captions=args.captions,
            layout=parse_layout(args.layout),
            lesson=document.lesson,
            force=args.force,
            pacing=pacing,
            split=args.split,
            view=args.view,
        )
        stills = args.split and args.out.suffix.lower() in (".png", ".svg")
        announce = lambda plan: print(plan, file=sys.stderr, flush=True)  # noqa: E731
        if args.learn is not None:
            path = _export_learning(args, document, options, announce)
        else:
            path = export(
                model,
                args.out,
                options,
                progress=TerminalProgress(unit="stills" if stills else "frames"),
                announce=announce,
            )
    except (PresetError, ValueError, SessionError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    except ExportError as error:
        print(f"{PROG}: export failed, nothing was written: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: cancelled, nothing was written", file=sys.stderr)
        return 130
    if args.split:
        names = sorted(entry.name for entry in path.iterdir())
        print(f"wrote {len(names)} files into {shown(path)}: {shown(names[0])} … {shown(names[-1])}")
    else:
        print(f"wrote {shown(path)}")
    return 0


def _check_learn_options(args: argparse.Namespace) -> None:
    """The run's options need --learn; the walkthrough's step choices and pacing do not go with it."""
    given = {
        "--scramble": args.scramble is not None,
        "--no-scramble": args.no_scramble,
        "--iterations": args.iterations is not None,
        "--learning-rate": args.learning_rate is not None,
        "--every": args.every is not None,
    }
    if args.learn is None:
        for option, typed in given.items():
            if typed:
                raise ValueError(f"{option} needs --learn (a learning run to export)")
        return
    walkthrough = {
        "--steps": args.steps is not None,
        "--from": args.from_kind is not None,
        "--to": args.to_kind is not None,
        "--step": args.step is not None,
        "--split": args.split,
        "--speed": args.speed != "1",
        "--hold": args.hold != "0",
    }
    for option, typed in walkthrough.items():
        if typed:
            raise ValueError(
                f"{option} chooses or paces steps of the walkthrough; --learn exports one frame per "
                "iteration (--every K for fewer, --final-hold for the end)"
            )


def _export_learning(
    args: argparse.Namespace, document: Document, options: ExportOptions, announce: Callable[[str], None]
) -> Path:
    """--learn: the target read against the document's model, then the run rendered on a copy."""
    from .export import TerminalProgress
    from .model.learn import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE
    from .qt.learn_export import LearnRun, export_learning, parse_target

    target = parse_target(document.model, args.learn, document.preset_name, options.head)
    run = LearnRun(
        target=target,
        learning_rate=DEFAULT_LEARNING_RATE if args.learning_rate is None else args.learning_rate,
        iterations=DEFAULT_ITERATIONS if args.iterations is None else args.iterations,
        every=1 if args.every is None else args.every,
        scramble_seed=None if args.no_scramble else 1 if args.scramble is None else args.scramble,
    )
    return export_learning(
        document.model, args.out, run, options, progress=TerminalProgress(unit="frames"), announce=announce
    )


def _cmd_presets(args: argparse.Namespace) -> int:
    from .model import AttentionModel

    for name in AttentionModel.preset_names():
        print(name)
    return 0
