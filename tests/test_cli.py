"""``python main.py`` as a user runs it, in a subprocess (no Qt in this process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.animation import DEFAULT_DETAIL, DETAIL_MODES
from explainer.cli import build_parser, missing_display
from explainer.model import Document
from explainer.session import THEMES, save_session

ROOT = Path(__file__).resolve().parents[1]
DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=os.environ.copy() if env is None else env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_lists_the_subcommands():
    result = run_main("--help")
    assert result.returncode == 0
    assert "presets" in result.stdout


def test_no_display_prints_one_line_and_exits_2():
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}
    result = run_main(env=env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "no display found" in lines[0]
    assert "python main.py presets" in lines[0]
    assert "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert result.stdout == ""


def test_presets_lists_the_default_first():
    result = run_main("presets")
    assert result.returncode == 0, result.stderr
    names = result.stdout.splitlines()
    assert names[0] == "seed-translate"
    assert {"seed-cross", "seed-self", "seed-causal"} <= set(names)


@pytest.mark.parametrize("argv", [["presets"], ["--help"], ["export", "--help"]])
def test_headless_commands_and_help_do_not_import_qt(argv):
    code = (
        "import sys\nfrom explainer.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print('PySide6' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False"


def subcommand(name: str):
    (commands,) = [a for a in build_parser()._actions if a.dest == "command"]
    return commands.choices[name]


def option(parser, flag: str):
    (action,) = [a for a in parser._actions if flag in a.option_strings]
    return action


def test_choices_come_from_the_project_constants():
    for command in ("screenshot", "export"):
        theme = option(subcommand(command), "--theme")
        assert tuple(theme.choices) == THEMES and theme.default == THEMES[0]
    detail = option(subcommand("export"), "--detail")
    assert tuple(detail.choices) == DETAIL_MODES and detail.default == DEFAULT_DETAIL


def test_layers_are_counted_from_1_by_default():
    for parser in (build_parser(), subcommand("export")):
        layer = option(parser, "--layer")
        assert layer.default == 1
        assert "from 1" in layer.help and "from 0" not in layer.help
    assert build_parser().parse_args(["--pretrained", "folder"]).layer == 1


@pytest.mark.parametrize(
    ("argv0", "prog"),
    [
        ("main.py", "python main.py"),
        (str(ROOT / "main.py"), "python main.py"),
        (str(ROOT / "explainer" / "__main__.py"), "python -m explainer"),
        ("/some/venv/bin/attention-explainer", "attention-explainer"),
        ("-c", "attention-explainer"),
    ],
)
def test_usage_names_the_program_as_it_was_started(monkeypatch, argv0, prog):
    monkeypatch.setattr(sys, "argv", [argv0])
    assert build_parser().prog == prog


# Records what OPENBLAS_NUM_THREADS was when NumPy was first imported (NumPy reads it then).
BLAS_PROBE = """
import atexit, os, sys
seen = []
class Probe:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" and not seen:
            seen.append(os.environ.get("OPENBLAS_NUM_THREADS"))
sys.meta_path.insert(0, Probe())
atexit.register(lambda: print("numpy saw", seen[0] if seen else "no numpy"))
"""
ENTRIES = {
    # What the console script does: from explainer.cli import main; sys.exit(main()).
    "console script": "import sys; sys.argv = ['attention-explainer', 'presets']\n"
    "from explainer.cli import main; sys.exit(main())",
    "python -m explainer": "import runpy, sys; sys.argv = ['explainer', 'presets']\n"
    "runpy.run_module('explainer', run_name='__main__', alter_sys=True)",
    "python main.py": "import runpy, sys; sys.argv = ['main.py', 'presets']\n"
    "runpy.run_path('main.py', run_name='__main__')",
    "import explainer.model": "import explainer.model",
}


@pytest.mark.parametrize("entry", ENTRIES)
def test_one_blas_thread_is_set_before_numpy_loads_by_the_app_only(entry):
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run(
        [sys.executable, "-c", BLAS_PROBE + ENTRIES[entry]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # A notebook's `import explainer.model` leaves the thread count to the user.
    expected = "None" if entry == "import explainer.model" else "1"
    assert result.stdout.splitlines()[-1] == f"numpy saw {expected}"


@pytest.mark.parametrize(
    ("env", "platform", "missing"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ""}, "linux", True),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_missing_display(env, platform, missing):
    assert (missing_display(env, platform) is not None) == missing


def headless_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}


def session_file(folder: Path, name: str, edit) -> Path:
    """seed-translate saved as ``name``, its decoded JSON changed by ``edit``."""
    path = folder / name
    save_session(path, Document.from_preset("seed-translate"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def as_version_1(doc: dict) -> None:
    doc["preset"] = doc.pop("source")["name"]
    doc["version"] = 1


def test_a_version_1_session_on_the_command_line_is_read(tmp_path):
    # Read before the display is looked for: without one, the file passed and only the screen is missing.
    path = session_file(tmp_path, "old.attn.json", as_version_1)
    result = run_main(str(path), env=headless_env())
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "no display found" in result.stderr


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["source"].update(kind="model"),
            "talk.attn.json: field source.kind: expected 'preset' or 'pretrained', got the string 'model'",
        ),
        (
            lambda d: d.update(
                source={
                    "kind": "pretrained",
                    "checkpoint": "tiny-bert",
                    "folder": "models/tiny-bert",
                    "is_default": False,
                    "layer": 3,
                    "n_layers": 3,
                    "text": "the cat",
                }
            ),
            "talk.attn.json: field source.layer: expected 0 to 2 (n_layers is 3), got 3",
        ),
        (
            lambda d: (as_version_1(d), d.update(preset="")),
            "talk.attn.json: field preset: expected null or a preset name of 1 to 200 characters",
        ),
    ],
    ids=["unknown kind", "layer beyond the layers", "version 1 with an empty preset"],
)
def test_a_session_with_a_broken_source_on_the_command_line_is_one_line(tmp_path, edit, expected):
    path = session_file(tmp_path, "talk.attn.json", edit)
    result = run_main(str(path), env=headless_env())
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"attention-explainer: {expected}")
    assert result.stdout == ""


def one_line_refusal(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("attention-explainer: ")
    return result.stderr.strip()


def test_screenshot_never_writes_through_a_symlink_nor_replaces_what_is_not_a_png(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "link.png"
    link.symlink_to(victim.name)
    for force in ((), ("--force",)):
        message = one_line_refusal(run_main("screenshot", "--out", str(link), *force))
        assert message.endswith(
            "link.png is a symlink to victim.txt, a file that is not a .png; "
            "only a .png file is replaced: choose another name"
        )
    assert victim.read_text() == "precious" and os.readlink(link) == victim.name
    (tmp_path / "folder.png").mkdir()
    message = one_line_refusal(run_main("screenshot", "--out", str(tmp_path / "folder.png"), "--force"))
    assert "is a folder, not a .png file" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.png", "link.png", "victim.txt"]


def test_screenshot_replaces_a_png_only_with_force_and_a_symlink_is_replaced_not_followed(tmp_path):
    old = tmp_path / "old.png"
    old.write_bytes(b"\x89PNG\r\n\x1a\n an older screenshot")
    link = tmp_path / "shot.png"
    link.symlink_to(old.name)
    assert "shot.png exists; pass --force" in one_line_refusal(run_main("screenshot", "--out", str(link)))
    result = run_main("screenshot", "--out", str(link), "--size", "640x400", "--force")
    assert result.returncode == 0, result.stderr
    assert not link.is_symlink() and link.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert old.read_bytes() == b"\x89PNG\r\n\x1a\n an older screenshot"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.png", "shot.png"]  # no temporary left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--text", "hello"), "--text needs --pretrained (the text a real checkpoint runs)"),
        (("--layer", "1"), "--layer needs --pretrained (a layer of a real checkpoint)"),
    ],
)
def test_pretrained_options_without_pretrained_are_refused_not_ignored(args, message):
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}
    assert one_line_refusal(run_main(*args, env=env)) == f"attention-explainer: {message}"
