"""The export subcommand: its options (the --learn run's included) and its handler."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import N_, _
from .options import (
    PROG,
    _check_pretrained_options,
    _CommandParser,
    _pretrained_document,
    _pretrained_options,
)
from .other_exports import check_scene_options, write_head_view, write_model_view

if TYPE_CHECKING:  # the model loads NumPy: only once a command needs it
    from ..model import Document
    from ..qt.export_job import ExportOptions

# explainer.export.DEFAULT_FINAL_HOLD, written here because the parser is built on every
# start and importing the export package for one number costs ~15 ms (a test keeps them equal).
FINAL_HOLD = "2"


def add_export_command(commands: argparse._SubParsersAction[_CommandParser]) -> None:
    """``export``: the walkthrough (or a --learn run) rendered offscreen to a file."""
    # The choices are the ones the session files and the timeline accept (NumPy, never Qt).
    from ..animation import DEFAULT_DETAIL, DETAIL_MODES
    from ..i18n import LANGUAGES
    from ..scenes import SCENE_NAMES
    from ..session import THEMES

    export = commands.add_parser(
        "export",
        help=_("export the walkthrough as MP4, GIF, PNG frames (folder or .zip), or a PNG / SVG still"),
        description=_(
            "Renders the app's panels offscreen at a fixed frame rate. The format follows "
            "--out: .mp4, .gif, .zip or a folder of PNG frames, .png or .svg for one step."
        ),
    )
    source = export.add_mutually_exclusive_group()
    source.add_argument("--preset", default="seed-translate", help=_("preset name (default: seed-translate)"))
    source.add_argument("--session", type=Path, help=_("a saved session (.attn.json) instead of a preset"))
    _pretrained_options(export, source)
    source.add_argument(
        "--scene",
        choices=SCENE_NAMES,
        help=_(
            "one of the lecture's scenes instead of an attention: architecture (where attention "
            "lives) or rnn-vs-attention (why transformers are fast; timed on this machine first)"
        ),
    )
    export.add_argument("--out", required=True, type=Path, help=_("the file or folder to write"))
    export.add_argument("--force", action="store_true", help=_("replace --out if it exists"))
    export.add_argument("--size", default="720p", help=_("720p, 1080p, 4k or WxH (default: 720p)"))
    export.add_argument("--fps", type=float, default=30.0, help=_("frames per second (default: 30)"))
    export.add_argument("--steps", help=_("step range, 1-based as the app counts, e.g. 3-17"))
    export.add_argument(
        "--from", dest="from_kind", metavar="KIND", help=_("start at the first step of KIND (e.g. dot)")
    )
    export.add_argument(
        "--to", dest="to_kind", metavar="KIND", help=_("end at the last step of KIND (e.g. softmax)")
    )
    export.add_argument("--step", type=int, help=_("for .png / .svg: the step to show (default: the last)"))
    export.add_argument("--head", type=int, help=_("show this head throughout (1-based)"))
    export.add_argument("--detail", default=DEFAULT_DETAIL, choices=DETAIL_MODES)
    export.add_argument("--theme", default=THEMES[0], choices=THEMES)
    # SUPPRESS: without it, the subcommand's default would hide `python main.py --lang ko export`.
    export.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=_("en or ko"))
    export.add_argument(
        "--no-captions", dest="captions", action="store_false", help=_("leave the caption out")
    )
    export.add_argument(
        "--layout", default="all", help=_("'all' or panels joined by '+', e.g. scores+softmax")
    )
    export.add_argument(
        "--view",
        default="presenter",
        choices=("presenter", "overview", "head", "model"),
        help=_(
            "presenter (default): each step's panels large, the camera moving between steps; "
            "overview: every panel at once; head: a line per (query, key) as opaque as α, one colour "
            "per head (--head N for one; a video hovers through the words); model (with "
            "--pretrained): every layer × head as a small α map, a still or a video outlining each "
            "head in turn"
        ),
    )
    pacing = export.add_argument_group(
        _("for slides: pacing of a video (holds are seconds of video, whatever the speed), one file per step")
    )
    pacing.add_argument(
        "--speed",
        default="1",
        metavar="FACTOR",
        help=_("playback speed from 0.1 to 10: 0.5 is half speed, 2 twice as fast (default: 1)"),
    )
    pacing.add_argument(
        "--hold",
        default="0",
        metavar="SECONDS",
        help=_("hold each step's finished state this long before the next step (0 to 60, default: 0)"),
    )
    pacing.add_argument(
        "--final-hold",
        default=FINAL_HOLD,
        metavar="SECONDS",
        help=_(
            "show the last frame this long at the end of the video (0 to 60, default: {seconds}; "
            "the last step is held for the longer of this and --hold); a GIF shows it this long before it "
            "loops"
        ).format(seconds=FINAL_HOLD),
    )
    pacing.add_argument(
        "--split",
        action="store_true",
        help=_(
            "one file per step, for a slide deck: --out talk.mp4 writes the folder talk/ (where "
            "talk.mp4 would go) with talk-01-embed.mp4, talk-02-project_q.mp4 … (step number as the app "
            "counts, then its kind); each clip ends on its step finished for the final hold. With .gif: "
            "one GIF per step; with .png or .svg: a still of each step finished. --force replaces only "
            "such a folder"
        ),
    )
    _learn_options(export)
    export.set_defaults(handler=_cmd_export)


def _learn_options(export: argparse.ArgumentParser) -> None:
    """--learn TARGET and its run: a video of gradient descent instead of the walkthrough."""
    learn = export.add_argument_group(
        _(
            "a learning run instead of the walkthrough: one frame per iteration of gradient descent on "
            "W_Q and W_K, α large with the targets flagged, the caption the iteration and the loss"
        )
    )
    learn.add_argument(
        "--learn",
        metavar="TARGET",
        help=_(
            "'preset' (the preset's intended pattern) or query=key pairs joined by commas, e.g. "
            "hate=kirai,this=kono,movie=eiga (several keys with +: an=this+example; a repeated word by its "
            "position, counted from 1); --head: the head that learns (default: 1, or the pattern's heads)"
        ),
    )
    start = learn.add_mutually_exclusive_group()
    start.add_argument(
        "--scramble",
        type=int,
        metavar="SEED",
        help=_(
            "start from W_Q and W_K scrambled with this seed, not already showing the target "
            "(default: seed 1)"
        ),
    )
    start.add_argument(
        "--no-scramble",
        action="store_true",
        help=_("start from the weights as they are (the preset's or session's)"),
    )
    learn.add_argument("--iterations", type=int, metavar="N", help=_("iterations of the run (default: 300)"))
    learn.add_argument(
        "--learning-rate", type=float, metavar="LR", help=_("step size of gradient descent (default: 0.2)")
    )
    learn.add_argument("--every", type=int, metavar="K", help=_("one frame per K iterations (default: 1)"))


def _cmd_export(args: argparse.Namespace) -> int:
    """Validate every argument before any rendering, so mistakes cost nothing."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless: no display needed
    from ..atomic import shown
    from ..export import ExportError, Pacing, TerminalProgress, check_hold, check_speed, parse_size
    from ..model import Document, PresetError
    from ..session import SessionError, load_session

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
            raise ValueError(
                _("--fps: expected a number from 1 to 120, got {fps}").format(fps=f"{args.fps:g}")
            )
        pacing = Pacing(
            speed=check_speed(args.speed, "--speed"),
            hold=check_hold(args.hold, "--hold"),
            final_hold=check_hold(args.final_hold, "--final-hold"),
        )
        if args.head is not None and not 1 <= args.head <= model.n_heads:
            name = document.label  # the preset, or the checkpoint's layer
            if args.session:  # the file the user named, and what it holds
                name = shown(args.session.name) + (f" ({name})" if document.source is not None else "")
            raise ValueError(
                _("--head: {name} has heads 1 to {count}, got {head}").format(
                    name=name, count=model.n_heads, head=args.head
                )
            )
        _check_learn_options(args)
        from ..qt.board import parse_layout
        from ..qt.export_job import ExportOptions, export

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
        if args.view == "model":
            path = write_model_view(args, options, announce)
        elif args.view == "head":
            path = write_head_view(args, document, options)
        elif args.scene is not None:
            check_scene_options(args)
            from ..qt.scene_export import export_scene

            path = export_scene(args.scene, args.out, options, progress=TerminalProgress(), announce=announce)
        elif args.learn is not None:
            path = _export_learning(args, document, options, announce)
        else:
            path = export(
                model,
                args.out,
                options,
                progress=TerminalProgress(unit=N_("stills") if stills else N_("frames")),
                announce=announce,
            )
    except (PresetError, ValueError, SessionError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    except ExportError as error:
        print(
            _("{prog}: export failed, nothing was written: {error}").format(prog=PROG, error=error),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(_("{prog}: cancelled, nothing was written").format(prog=PROG), file=sys.stderr)
        return 130
    if args.split and path.is_dir():
        names = sorted(entry.name for entry in path.iterdir())
        print(
            _("wrote {count} files into {folder}: {first} … {last}").format(
                count=len(names), folder=shown(path), first=shown(names[0]), last=shown(names[-1])
            )
        )
    else:
        print(_("wrote {path}").format(path=shown(path)))
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
                raise ValueError(_("{option} needs --learn (a learning run to export)").format(option=option))
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
                _(
                    "{option} chooses or paces steps of the walkthrough; --learn exports one frame per "
                    "iteration (--every K for fewer, --final-hold for the end)"
                ).format(option=option)
            )


def _export_learning(
    args: argparse.Namespace, document: Document, options: ExportOptions, announce: Callable[[str], None]
) -> Path:
    """--learn: the target read against the document's model, then the run rendered on a copy."""
    from ..export import TerminalProgress
    from ..model.learn import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE
    from ..qt.learn_export import LearnRun, export_learning, parse_target

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
