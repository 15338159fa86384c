"""A Korean export on a machine with DejaVu only: its Hangul drawn with the shipped font, as in the reference.

The reference (data/korean_step1.png) was rendered the same way and looked at: the
lesson, the caption and the stage name in Hangul, the Korean tokens as labels. A font
that failed to load would draw boxes there; another layout or wording would move ink.
Regenerate it with ``python tests/qt/test_korean_export.py`` after a deliberate change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explainer.export import decode

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).with_name("data") / "korean_step1.png"
ARGS = ["export", "--preset", "seed-translate-ko", "--step", "1", "--size", "640x360", "--force"]


def export_with_dejavu_only(out: Path, language: str, work: Path) -> None:
    dejavu = subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=True
    ).stdout
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{Path(dejavu).parent}</dir><cachedir>{work / 'cache'}</cachedir>"
        # The system's rules (sans-serif is DejaVu Sans …), but no font folder of its own.
        '<include ignore_missing="yes">/etc/fonts/conf.d</include></fontconfig>',
        encoding="utf-8",
    )
    env = {"FONTCONFIG_FILE": str(config), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    command = [sys.executable, str(ROOT / "main.py"), "--lang", language, *ARGS, "--out", str(out)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="needs fontconfig's fc-match to find DejaVu")
def test_a_korean_frame_matches_its_reference_and_differs_from_english(tmp_path):
    korean, english = tmp_path / "ko.png", tmp_path / "en.png"
    export_with_dejavu_only(korean, "ko", tmp_path)
    export_with_dejavu_only(english, "en", tmp_path)
    shown, reference = decode(korean)[0].astype(int), decode(REFERENCE)[0].astype(int)
    assert shown.shape == reference.shape
    assert np.abs(shown - reference).mean() < 1.0  # the same picture, up to antialiasing
    top = slice(0, 120)  # the lesson, the caption and the stage name
    assert np.abs(shown[top] - decode(english)[0].astype(int)[top]).mean() > 5  # Korean words there


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        export_with_dejavu_only(REFERENCE, "ko", Path(folder))
    print(f"wrote {REFERENCE.relative_to(ROOT)}")


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs librsvg's rsvg-convert")
def test_a_korean_svg_still_shows_its_hangul_in_another_renderer_without_cjk_fonts(tmp_path):
    """The SVG's Korean words are outlines: librsvg on a DejaVu-only machine draws them as the PNG does."""
    import re

    svg, png, drawn = tmp_path / "ko.svg", tmp_path / "ko.png", tmp_path / "drawn.png"
    for out in (svg, png):
        command = [
            sys.executable,
            str(ROOT / "main.py"),
            "--lang",
            "ko",
            "export",
            "--preset",
            "seed-translate-ko",
        ]
        command += ["--step", "17", "--out", str(out)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    text = svg.read_text(encoding="utf-8")
    hangul_text = [m for m in re.findall(r"<text[^>]*>([^<]*)</text>", text) if re.search("[가-힣]", m)]
    assert hangul_text == [] and "<text" in text  # Korean as paths, the numbers still text
    export_with_dejavu_only(tmp_path / "unused.png", "en", tmp_path)  # writes the DejaVu-only fonts.conf
    env = {"FONTCONFIG_FILE": str(tmp_path / "fonts.conf"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    subprocess.run(["rsvg-convert", "-o", str(drawn), str(svg)], env=env, check=True, timeout=120)
    expected = decode(png)[0].astype(int)
    seen = decode(drawn)[0].astype(int)[: expected.shape[0], : expected.shape[1]]
    assert np.abs(seen - expected).mean() < 2.0
    assert np.abs(seen[:70] - expected[:70]).mean() < 6  # the caption band: Hangul, not boxes
