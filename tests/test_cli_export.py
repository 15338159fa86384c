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

import pytest

from explainer.export import probe
from explainer.model import AttentionModel, Document, PretrainedSource
from explainer.session import ViewSettings
from explainer.session.document import encode_session

ROOT = Path(__file__).resolve().parents[1]
DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
PREFIX = "attention-explainer: "
# Small and short: one 2.5 s step at 5 fps is 14 frames (13 intervals and the finished last frame).
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
    assert info["frames"] == 14
    assert (info["codec"], info["pix_fmt"]) == ("h264", "yuv420p")
    assert (info["width"], info["height"]) == (320, 240)
    # Not a terminal: a plain progress line at each quarter, the last one complete.
    lines = result.stderr.splitlines()
    assert lines and all("frames" in line for line in lines), result.stderr
    assert "14/14 frames" in lines[-1]
    assert "done in" in lines[-1]
    assert list(tmp_path.iterdir()) == [out]


def test_step_kinds_choose_the_range(tmp_path):
    out = tmp_path / "scale.gif"
    result = export("--out", str(out), "--from", "scale", "--to", "scale", "--fps", "2", "--size", "320x240")
    assert result.returncode == 0, result.stderr
    assert probe(out)["frames"] == 6  # the scale step: 2.5 s at 2 fps, and the finished last frame


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
    assert probe(out)["frames"] == 14
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
        "this export would be 1,043,137 frames (2:24:53 of video at 120 fps); at most 100,000: "
        "lower --fps, export fewer --steps or choose less --detail",
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
    if "slides" in outcome.before:
        assert listing(outcome.folder / "slides") == {"talk.key": b"precious"}


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
    assert first.startswith("export: 14 frames (0:03 of video at 5 fps), 320x240; rendering takes about ")


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
