"""The command line in Korean: --lang ko (or a Korean system) before the parser, so its help is Korean too."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.cli.language import language_asked

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def run_main(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env["LANG"] = lang
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lang", "ko", "--help"], "ko"),
        (["--lang=ko", "export", "--help"], "ko"),
        (["export", "--lang", "ko", "--out", "x.mp4"], "ko"),
        (["--lang", "ko", "export", "--lang", "en"], "en"),  # the last one typed, as argparse keeps it
        (["--lang", "fr", "--help"], "en"),  # not a language: the parser refuses it, in the system's
        (["--lang"], "en"),
        (["--", "--lang", "ko"], "en"),
    ],
)
def test_the_language_asked_is_found_before_parsing(argv, expected):
    assert language_asked(argv, {"LANG": "C.UTF-8"}) == expected


def test_without_lang_the_system_language_is_used():
    assert language_asked(["--help"], {"LANG": "ko_KR.UTF-8"}) == "ko"
    assert language_asked(["--lang", "en", "--help"], {"LANG": "ko_KR.UTF-8"}) == "en"


def test_lang_ko_help_is_korean_and_english_help_is_unchanged():
    korean = run_main("--lang", "ko", "--help")
    assert korean.returncode == 0, korean.stderr
    assert korean.stdout.startswith("사용법: python main.py [-h]")
    assert "\n옵션:\n" in korean.stdout and "이 도움말을 보이고 끝냄" in korean.stdout
    assert "트랜스포머 어텐션을 한 단계씩 애니메이션으로 가르칩니다." in korean.stdout
    assert "창 없이 실행하는 명령:" in korean.stdout
    english = run_main("--help")
    assert english.stdout.startswith("usage: python main.py [-h]")
    assert "Teach transformer attention one animated step at a time." in english.stdout
    assert not HANGUL.search(english.stdout)


def test_lang_ko_export_help_is_korean():
    result = run_main("--lang", "ko", "export", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("사용법: python main.py export [-h]")
    assert "--out OUT             쓸 파일 또는 폴더" in result.stdout
    assert "슬라이드용: 영상의 속도 조절" in result.stdout  # an argument group's title


def test_a_korean_system_gets_korean_help():
    result = run_main("--help", lang="ko_KR.UTF-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("사용법:") and "창과 내보내기의 언어" in result.stdout


def test_a_mistake_in_the_arguments_is_one_korean_line():
    line = one_line(run_main("--lang", "ko", "export"))
    assert line == (
        "attention-explainer: 다음 인자가 필요합니다: --out. python main.py export --help를 참고하십시오"
    )
    line = one_line(run_main("--lang", "ko", "export", "--view", "nope", "--out", "x.mp4"))
    assert line.startswith("attention-explainer: 인자 --view: 잘못된 선택: 'nope' (가능한 값: 'presenter',")


def test_a_bad_size_is_one_korean_line_with_the_same_numbers(tmp_path):
    line = one_line(run_main("--lang", "ko", "export", "--size", "33", "--out", str(tmp_path / "x.mp4")))
    assert line == (
        "attention-explainer: 크기: 720p, 1080p, 4k 또는 320x240부터 7680x4320까지의 WxH가 필요합니다. "
        "받은 값: '33'"
    )
    english = one_line(run_main("export", "--size", "33", "--out", str(tmp_path / "x.mp4")))
    assert english == (
        "attention-explainer: size: expected 720p, 1080p, 4k or WxH from 320x240 to 7680x4320, got '33'"
    )


def test_an_option_that_needs_another_is_refused_in_korean(tmp_path):
    line = one_line(run_main("--lang", "ko", "export", "--every", "3", "--out", str(tmp_path / "x.mp4")))
    assert line == "attention-explainer: --every 옵션은 --learn과 함께 써야 합니다 (내보낼 학습 과정)"
    line = one_line(run_main("--lang", "ko", "--text", "hello"))
    assert (
        line
        == "attention-explainer: --text는 --pretrained와 함께 써야 합니다 (실제 체크포인트가 처리할 텍스트)"
    )


def test_an_unknown_preset_is_one_korean_line(tmp_path):
    line = one_line(run_main("--lang", "ko", "export", "--preset", "nope", "--out", str(tmp_path / "x.mp4")))
    assert HANGUL.search(line) and "'nope'" in line and "seed-translate" in line
