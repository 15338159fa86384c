"""``python main.py export …`` as a lecturer runs it: headless, one clear line on a mistake."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from PIL import Image

from explainer import cli
from explainer.export import DEFAULT_FINAL_HOLD, decode, probe
from explainer.model import AttentionModel, Document, PretrainedSource
from explainer.session import ViewSettings
from explainer.session.document import encode_session

ROOT = Path(__file__).resolve().parents[1]
DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
PREFIX = "attention-explainer: "
# Small and short: one 2.5 s step at 5 fps is 13 frames, then the finished step held for the
# default final hold (2 s, 10 frames): 23 frames.
FAST = ("--steps", "2-2", "--fps", "5", "--size", "320x240")


def export(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the export command with no display at all: no DISPLAY, no QT_QPA_PLATFORM."""
    headless = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}
    headless.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", *args],
        cwd=cwd,
        env=headless,
        capture_output=True,
        text=True,
        timeout=120,
    )


def session_bytes(document: Document, version: int = 2, **source_changes: object) -> bytes:
    """``document`` as a session file: as version 1 wrote it, or with its source's fields changed."""
    doc = json.loads(encode_session(document, ViewSettings()))
    if version == 1:
        source = doc.pop("source")
        doc["preset"] = source["name"] if source is not None else None
        doc["version"] = 1
    elif source_changes:
        doc["source"] = {**doc["source"], **source_changes}
    return json.dumps(doc).encode("utf-8")


SPEEDS = "expected a playback speed from 0.1 to 10 (0.5 is half speed, 2 twice as fast)"
TINY = PretrainedSource("tiny-bert", "models/tiny-bert", False, 2, 3, "the cat sat")
TWO_HEADS = AttentionModel(["[CLS]", "the", "cat", "[SEP]"], d_model=4, n_heads=2)


def listing(folder: Path) -> dict[str, bytes | None]:
    return {p.name: (p.read_bytes() if p.is_file() else None) for p in folder.iterdir()}


def test_headless_mp4_export_writes_the_file_and_shows_progress(tmp_path):
    out = tmp_path / "talk.mp4"
    result = export("--preset", "seed-translate", "--out", str(out), *FAST)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    info = probe(out)
    assert info["frames"] == 23
    assert (info["codec"], info["pix_fmt"]) == ("h264", "yuv420p")
    assert (info["width"], info["height"]) == (320, 240)
    # Not a terminal: a plain progress line at each quarter, the last one complete.
    lines = result.stderr.splitlines()
    assert lines and all("frames" in line for line in lines), result.stderr
    assert "23/23 frames" in lines[-1]
    assert "done in" in lines[-1]
    assert list(tmp_path.iterdir()) == [out]


def test_step_kinds_choose_the_range(tmp_path):
    out = tmp_path / "scale.gif"
    result = export("--out", str(out), "--from", "scale", "--to", "scale", "--fps", "2", "--size", "320x240")
    assert result.returncode == 0, result.stderr
    # The scale step: 2.5 s at 2 fps, then one image of it finished for the 2 s final hold.
    assert probe(out)["frames"] == 6


def test_svg_still_of_a_step(tmp_path):
    out = tmp_path / "still.svg"
    result = export("--out", str(out), "--step", "12", "--size", "480x270", "--layout", "scores")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "<image" not in text
    assert "kirai" in text and "Scaled" in text


def test_force_replaces_an_existing_file(tmp_path):
    out = tmp_path / "talk.mp4"
    out.write_bytes(b"old")
    result = export("--out", str(out), "--force", *FAST)
    assert result.returncode == 0, result.stderr
    assert probe(out)["frames"] == 23
    assert [p.name for p in tmp_path.iterdir()] == ["talk.mp4"]


def test_a_failing_encoder_exits_1_and_leaves_no_file(tmp_path):
    if os.name == "nt":
        pytest.skip("a shell script as ffmpeg")
    script = tmp_path / "ffmpeg"
    script.write_text("#!/bin/sh\necho 'Unknown encoder libx264' >&2\nexit 1\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = export("--out", str(out_dir / "talk.mp4"), *FAST, env={"IMAGEIO_FFMPEG_EXE": str(script)})
    assert result.returncode == 1, result.stderr
    assert f"{PREFIX}export failed, nothing was written" in result.stderr
    assert "Unknown encoder libx264" in result.stderr
    assert list(out_dir.iterdir()) == []


# Each bad argument: (arguments, files to create first, what the one line must say).
BAD = {
    "unknown preset": (["--preset", "nope", "--out", "a.mp4"], {}, "unknown preset 'nope'"),
    "unsupported extension": (["--out", "a.avi"], {}, "unsupported extension .avi"),
    "size not a size": (["--out", "a.mp4", "--size", "abc"], {}, "size: expected 720p, 1080p, 4k or WxH"),
    "size too small": (["--out", "a.mp4", "--size", "10x10"], {}, "got '10x10'"),
    "odd mp4 size": (["--out", "a.mp4", "--size", "321x240"], {}, "even width and height, got 321x240"),
    "missing folder": (["--out", "nowhere/a.mp4"], {}, "folder nowhere does not exist"),
    "folder is a file": (["--out", "notes.txt/a.mp4"], {"notes.txt": b"x"}, "is not a folder"),
    "existing file": (["--out", "a.mp4"], {"a.mp4": b"old"}, "a.mp4 exists; pass --force"),
    "steps out of range": (["--out", "a.mp4", "--steps", "30-40"], {}, "steps: expected N or A-B"),
    "steps reversed": (["--out", "a.mp4", "--steps", "5-3"], {}, "got '5-3'"),
    "kind not in the walkthrough": (["--out", "a.mp4", "--from", "mask"], {}, "no 'mask' step"),
    "unknown kind": (["--out", "a.mp4", "--to", "dance"], {}, "unknown step kind 'dance'"),
    "unknown panel": (["--out", "a.mp4", "--layout", "scores+foo"], {}, "unknown panel 'foo'"),
    "head out of range": (["--out", "a.mp4", "--head", "2"], {}, "--head: seed-translate has heads 1 to 1"),
    "head zero": (["--preset", "seed-causal", "--out", "a.mp4", "--head", "0"], {}, "heads 1 to 2, got 0"),
    "head beyond a session's heads": (
        ["--session", "talk.attn.json", "--out", "a.mp4", "--head", "2"],
        {"talk.attn.json": session_bytes(Document(AttentionModel(["a", "b"])))},
        "--head: talk.attn.json has heads 1 to 1, got 2",
    ),
    "head beyond a checkpoint layer's heads": (
        ["--session", "bert.attn.json", "--out", "a.mp4", "--head", "3"],
        {"bert.attn.json": session_bytes(Document(TWO_HEADS, TINY))},
        "--head: bert.attn.json (tiny-bert · layer 3 of 3) has heads 1 to 2, got 3",
    ),
    "a session with a broken source": (
        ["--session", "bert.attn.json", "--out", "a.mp4"],
        {"bert.attn.json": session_bytes(Document(TWO_HEADS, TINY), is_default="no")},
        "bert.attn.json: field source.is_default: expected true or false, got the string 'no'",
    ),
    "fps zero": (["--out", "a.mp4", "--fps", "0"], {}, "--fps: expected a number from 1 to 120, got 0"),
    "fps below 1": (
        ["--out", "a.mp4", "--fps", "0.5"],
        {},
        "--fps: expected a number from 1 to 120, got 0.5",
    ),
    "still step out of range": (["--out", "a.png", "--step", "99"], {}, "step: expected 1 to 26, got 99"),
    "unknown detail": (["--out", "a.mp4", "--detail", "fulll"], {}, "--detail: invalid choice: 'fulll'"),
    "fps not a number": (["--out", "a.mp4", "--fps", "abc"], {}, "--fps: invalid float value: 'abc'"),
    "no --out": (["--steps", "2-3"], {}, "required: --out"),
    "unknown option": (["--out", "a.mp4", "--colour", "red"], {}, "unrecognized arguments: --colour red"),
    "folder of other files": (
        ["--out", "slides", "--force"],
        {"slides/talk.key": b"precious"},
        "holds files that are not frames (talk.key)",
    ),
    # Issue 15: what --force may replace, arguments silently ignored, sizes without a word.
    "a plain file where a frames folder is asked for": (
        ["--out", "notes", "--force", "--steps", "1"],
        {"notes": b"my notes"},
        "notes is a file, not a folder of frames; only a folder of frame_NNNNN.png is replaced",
    ),
    "a device, without --force": (
        ["--out", os.devnull],
        {},
        f"{os.devnull} is a device, not a folder of frames; only a folder of frame_NNNNN.png is replaced",
    ),
    "--text without --pretrained": (
        ["--out", "a.mp4", "--text", "hello"],
        {},
        "--text needs --pretrained (the text a real checkpoint runs)",
    ),
    "--layer without --pretrained": (
        ["--preset", "seed-self", "--out", "a.mp4", "--layer", "1"],
        {},
        "--layer needs --pretrained (a layer of a real checkpoint)",
    ),
    "a preset nested too deeply": (
        ["--preset", "deep.json", "--out", "a.png"],
        {"deep.json": b"[" * 100_000 + b"]" * 100_000},
        "deep.json: not a JSON preset (lists or objects are nested too deeply)",
    ),
    "a 5000-digit number in a session": (
        ["--session", "big.attn.json", "--out", "a.png"],
        {
            "big.attn.json": session_bytes(Document(AttentionModel(["a", "b"]))).replace(
                b'"seed": 0', b'"seed": ' + b"9" * 5000
            )
        },
        "big.attn.json: field seed: expected a whole number, got a 5000-digit number",
    ),
    "more frames than any lecture needs": (
        ["--session", "long.attn.json", "--out", "a.mp4", "--size", "4k", "--fps", "120"],
        {
            "long.attn.json": session_bytes(
                Document(AttentionModel([f"t{i}" for i in range(64)], d_model=16, n_heads=16))
            )
        },
        "this export would be 1,043,376 frames (2:24:55 of video at 120 fps); at most 100,000: "
        "lower --fps or --hold, raise --speed, export fewer --steps or choose less --detail",
    ),
    # Pacing for slides: each bad value named, with what is expected.
    "speed zero": (["--out", "a.mp4", "--speed", "0"], {}, f"--speed: {SPEEDS}, got '0'"),
    "speed negative": (["--out", "a.mp4", "--speed", "-1"], {}, f"--speed: {SPEEDS}, got '-1'"),
    "speed not a number": (["--out", "a.mp4", "--speed", "nan"], {}, f"--speed: {SPEEDS}, got 'nan'"),
    "speed huge": (["--out", "a.mp4", "--speed", "1e9"], {}, f"--speed: {SPEEDS}, got '1e9'"),
    "hold negative": (
        ["--out", "a.mp4", "--hold", "-2"],
        {},
        "--hold: expected seconds from 0 to 60, got '-2'",
    ),
    "hold infinite": (
        ["--out", "a.mp4", "--hold", "1e400"],
        {},
        "--hold: expected seconds from 0 to 60, got '1e400'",
    ),
    "hold with a unit": (
        ["--out", "a.mp4", "--hold", "2s"],
        {},
        "--hold: expected seconds from 0 to 60, got '2s'",
    ),
    "final hold too long": (
        ["--out", "a.gif", "--final-hold", "3600"],
        {},
        "--final-hold: expected seconds from 0 to 60, got '3600'",
    ),
    "holds past the frame limit": (
        ["--out", "a.mp4", "--fps", "120", "--hold", "60"],
        {},
        "this export would be 192,216 frames (26:42 of video at 120 fps); at most 100,000: "
        "lower --fps or --hold, raise --speed",
    ),
    "split into a zip": (
        ["--out", "a.zip", "--split"],
        {},
        "split: one file per step is made as .mp4, .gif, .png or .svg, not as a .zip",
    ),
    "split and one step": (
        ["--out", "a.png", "--split", "--step", "3"],
        {},
        "split: one file per step is written; a single --step does not go with it",
    ),
    "split over an earlier split": (
        ["--out", "talk.mp4", "--split"],
        {"talk/talk-01-embed.mp4": b"old clip"},
        "talk exists; pass --force to replace it",
    ),
    "split into a folder of other files": (
        ["--out", "talk.mp4", "--split", "--force"],
        {"talk/notes.txt": b"precious"},
        "talk holds files that are not step files named talk-NN-KIND (notes.txt); "
        "only a folder of one file per step is replaced",
    ),
}


def test_a_version_1_session_exports(tmp_path):
    session = tmp_path / "old.attn.json"
    session.write_bytes(session_bytes(Document.from_preset("seed-translate"), version=1))
    assert json.loads(session.read_text(encoding="utf-8"))["version"] == 1
    out = tmp_path / "still.svg"
    still = ("--step", "12", "--size", "480x270", "--layout", "scores")
    result = export("--session", str(session), "--out", str(out), *still)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "kirai" in text and "Scaled" in text


@dataclass
class Outcome:
    folder: Path
    before: dict[str, bytes | None]
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def bad_outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """Every bad-argument run, each in its own folder, run side by side (each starts Python and Qt)."""
    folders = {}
    for name, (_, files, _) in BAD.items():
        folder = tmp_path_factory.mktemp("bad")
        for relative, content in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(content)
        folders[name] = folder
    befores = {name: listing(folder) for name, folder in folders.items()}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {name: pool.submit(export, *BAD[name][0], cwd=folders[name]) for name in BAD}
        return {name: Outcome(folders[name], befores[name], futures[name].result()) for name in BAD}


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_argument_exits_2_with_one_line(bad_outcomes, name):
    outcome, message = bad_outcomes[name], BAD[name][2]
    result = outcome.result
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(PREFIX)
    assert message in lines[0]
    assert result.stdout == ""
    # Nothing written, nothing touched.
    assert listing(outcome.folder) == outcome.before
    for folder, content in [("slides", {"talk.key": b"precious"}), ("talk", {"notes.txt": b"precious"})]:
        if (outcome.folder / folder / next(iter(content))).exists():
            assert listing(outcome.folder / folder) == content


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_exits_2_with_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = export("--out", str(locked / "a.mp4"), *FAST)
    finally:
        locked.chmod(stat.S_IRWXU)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "is not writable" in result.stderr
    assert list(locked.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_preset_that_is_a_device_or_a_named_pipe_is_one_line_at_once(tmp_path):
    """``--preset`` once read /dev/zero until memory ran out, and waited forever on a named pipe."""
    import resource

    (tmp_path / "zero.json").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.json")

    def limited() -> None:  # should it read /dev/zero again: a MemoryError, not a swapping machine
        resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))

    for name, what in [("zero.json", "a device"), ("fifo.json", "a named pipe (FIFO)")]:
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "export", "--preset", name, "--out", "a.png"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
            preexec_fn=limited,
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr == f"{PREFIX}{name}: is {what}, not a JSON preset\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.json", "zero.json"]


def test_how_many_frames_is_said_before_rendering(tmp_path):
    out = tmp_path / "talk.gif"
    result = export("--out", str(out), *FAST)
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("export: 23 frames (0:04 of video at 5 fps), 320x240; rendering takes about ")


# Short, so that no panel cuts them: "&lt;" must come back as written, not as "<".
ODD_QUERIES = ['"q"', "it's", "<b>", "a&b", "x>y", "&lt;"]
ODD_KEYS = ["👩‍🔬", "映画", "e\u0301", "\u05d0\u200f", "🇯🇵"]


def test_an_svg_of_tokens_with_every_allowed_odd_character_is_well_formed_xml(tmp_path):
    session = tmp_path / "odd.attn.json"
    session.write_bytes(session_bytes(Document(AttentionModel(ODD_QUERIES, ODD_KEYS, d_model=4))))
    out = tmp_path / "still.svg"
    result = export("--session", str(session), "--out", str(out), "--size", "640x400", "--step", "3")
    assert result.returncode == 0, result.stderr
    root = ElementTree.parse(out).getroot()  # raises on anything that is not well-formed XML
    text = "".join(root.itertext())
    for token in ODD_QUERIES + ODD_KEYS:
        assert token in text, token


def test_a_session_with_a_terminal_escape_in_a_token_exports_nothing(tmp_path):
    doc = json.loads(session_bytes(Document(AttentionModel(["a", "b"]))))
    doc["query_tokens"][1] = "\x07\x1b[31m"
    session = tmp_path / "bad.attn.json"
    session.write_text(json.dumps(doc), encoding="utf-8")
    result = export("--session", str(session), "--out", str(tmp_path / "still.svg"))
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"{PREFIX}bad.attn.json: field query_tokens[1]: '\\x07\\x1b[31m' holds a control character (U+0007)"
    )
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.attn.json"]


# ---------------------------------------------------------------- pacing for slides


def read_still(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def test_speed_and_holds_pace_the_video_and_its_end_holds_the_last_state(tmp_path):
    out = tmp_path / "paced.mp4"
    pacing = ("--speed", "2", "--hold", "1", "--final-hold", "0.5")
    result = export("--out", str(out), "--steps", "2-3", "--fps", "4", "--size", "320x240", *pacing)
    assert result.returncode == 0, result.stderr
    # Steps 2 and 3 last 2.5 s: 1.25 s (5 frames at 4 fps) at 2×. Step 2 is held 1 s (4 frames);
    # the last step for the longer of --hold and --final-hold: 1 s.
    assert probe(out)["frames"] == 5 + 4 + 5 + 4
    frames = decode(out).astype(int)
    stills = {}
    for step in (2, 3):
        still = tmp_path / f"step{step}.png"
        made = export("--out", str(still), "--step", str(step), "--size", "320x240")
        assert made.returncode == 0, made.stderr
        stills[step] = read_still(still)
    for step, held in [(2, frames[5:9]), (3, frames[14:18])]:
        # Every held frame is the step finished, as its still shows it (lossy video: close, not equal).
        errors = [float(np.abs(frame - stills[step]).mean()) for frame in held]
        others = [float(np.abs(frame - stills[5 - step]).mean()) for frame in held]
        assert max(errors) < 2.5 and 3 * max(errors) < min(others), (errors, others)


def test_a_gif_holds_its_last_frame_before_it_loops(tmp_path):
    out = tmp_path / "loop.gif"
    result = export("--out", str(out), "--steps", "12-12", "--fps", "10", "--size", "320x240")
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        durations = []
        for index in range(image.n_frames):
            image.seek(index)
            durations.append(image.info["duration"])
    assert len(durations) == 25 + 1  # the 2.5 s scale step, then one image held
    assert durations[:-1] == [100] * 25
    assert durations[-1] == 2000  # the default final hold, not 0.1 s


def test_split_writes_one_clip_per_step_named_by_number_and_kind(tmp_path):
    out = tmp_path / "talk.mp4"
    options = ("--steps", "11-13", "--fps", "4", "--final-hold", "0.5", "--size", "320x240")
    result = export("--out", str(out), "--split", *options)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "talk"
    names = ["talk-11-dot.mp4", "talk-12-scale.mp4", "talk-13-softmax.mp4"]
    assert result.stdout.strip() == f"wrote 3 files into {folder}: {names[0]} … {names[-1]}"
    assert [p.name for p in tmp_path.iterdir()] == ["talk"]  # no talk.mp4, no temporary
    assert sorted(p.name for p in folder.iterdir()) == names
    # A row of dot products (1.6 s), scale (2.5 s), the softmax of the row "I" (1.6 s) at 4 fps;
    # each clip ends on its step finished for 0.5 s.
    assert [probe(folder / name)["frames"] for name in names] == [7 + 2, 10 + 2, 7 + 2]
    assert result.stderr.splitlines()[0].startswith("export: 3 clips, 30 frames")
    assert "30/30 frames" in result.stderr.splitlines()[-1]
    # Again: the folder this export wrote is replaced with --force, and only then.
    again = export("--out", str(out), "--split", *options)
    assert again.returncode == 2 and "talk exists; pass --force to replace it" in again.stderr
    assert export("--out", str(out), "--split", "--force", *options).returncode == 0


def test_split_stills_are_each_step_finished_as_the_walkthrough_reaches_it(tmp_path):
    result = export("--out", str(tmp_path / "deck.png"), "--split", "--steps", "11-12", "--size", "320x240")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "deck"
    assert sorted(p.name for p in folder.iterdir()) == ["deck-11-dot.png", "deck-12-scale.png"]
    assert "2/2 stills" in result.stderr.splitlines()[-1]
    # The first: as the still of that one step. The next: as the video of both steps ends
    # (the row lit at step 11 stays lit, as when the lecturer steps on in the app).
    single = tmp_path / "single.png"
    assert export("--out", str(single), "--step", "11", "--size", "320x240").returncode == 0
    np.testing.assert_array_equal(read_still(folder / "deck-11-dot.png"), read_still(single))
    frames = tmp_path / "frames"
    played = ("--steps", "11-12", "--fps", "1", "--final-hold", "0", "--size", "320x240")
    assert export("--out", str(frames), *played).returncode == 0
    last = sorted(frames.iterdir())[-1]
    np.testing.assert_array_equal(read_still(folder / "deck-12-scale.png"), read_still(last))


def test_help_names_the_pacing_options_and_the_default_final_hold():
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = " ".join(result.stdout.split())
    for option in ("--speed FACTOR", "--hold SECONDS", "--final-hold SECONDS", "--split"):
        assert option in text
    assert "talk-01-embed.mp4" in text
    assert f"default: {cli.FINAL_HOLD}" in text and float(cli.FINAL_HOLD) == DEFAULT_FINAL_HOLD
