"""The shipped CJK font: Hangul, kana and the presets' kanji show on a machine with no CJK font of its own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from PySide6.QtGui import QRawFont

from explainer.qt.application import CJK_FONT, application

ROOT = Path(__file__).resolve().parents[2]
SENTENCES = "나는 이 영화가 싫어 · この 映画 が 嫌い · 어텐션은 행렬 곱입니다"


def shipped() -> QRawFont:
    application()  # a QRawFont needs the GUI application (without it: a segfault)
    font = QRawFont((files("explainer.resources") / "fonts" / CJK_FONT).read_bytes(), 16)
    assert font.isValid()
    return font


def test_the_shipped_font_has_every_hangul_syllable_the_kana_and_the_lessons_kanji():
    font = shipped()
    hangul = [chr(c) for c in range(0xAC00, 0xD7A4)]
    kana = [chr(c) for c in range(0x3041, 0x3097)] + [chr(c) for c in range(0x30A1, 0x30FB)]
    shown = [*hangul, *kana, *SENTENCES.replace(" ", "")]
    # By code point: PySide's str overload of supportsCharacter answers False for 画, which the font has.
    missing = [ch for ch in shown if not font.supportsCharacter(ord(ch))]
    assert missing == []
    fonts = files("explainer.resources") / "fonts"
    licence = (fonts / "NotoSansCJK-LICENSE.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert len((fonts / CJK_FONT).read_bytes()) < 2_000_000  # a subset, not the 16 MB face


def test_the_app_puts_the_shipped_font_behind_the_default_family():
    families = application().font().families()
    assert families[-1] == "Noto Sans CJK KR" and len(families) == 2


# Run in a fresh process whose fontconfig sees DejaVu only: Hangul drawn there must not be boxes.
PROBE = r"""
import json, sys
import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from explainer.qt.application import application

app = application()

def ink(text):
    image = QImage(64, 64, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(40)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, 64, 64), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(64, image.bytesPerLine())[:, :64]
    return (rows < 128).tolist()

box = ink("\ue000")  # a private-use character no font has: what a missing glyph looks like
chars = [c for c in sys.argv[1] if not c.isspace() and c != "·"]
print(json.dumps({c: ink(c) != box and any(map(any, ink(c))) for c in chars}))
"""


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="needs fontconfig's fc-match to find DejaVu")
def test_hangul_kana_and_kanji_are_drawn_not_boxed_with_only_dejavu_installed(tmp_path):
    dejavu = subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=True
    ).stdout
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{Path(dejavu).parent}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, SENTENCES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    drawn = json.loads(result.stdout.strip().splitlines()[-1])
    assert drawn and all(drawn.values()), [c for c, ok in drawn.items() if not ok]
