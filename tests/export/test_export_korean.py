"""The export's plan, progress and refusals in Korean: the same numbers as in English, Korean words."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from explainer.export import TerminalProgress, check_hold, check_output, check_speed, parse_size, plan_text
from explainer.i18n import set_language


def test_the_plan_prints_the_english_figures_in_korean(korean) -> None:
    assert plan_text(2119, 30, (1280, 720)) == (
        "내보내기: 프레임 2,119개 (30 fps로 영상 1:11), 1280x720. 렌더링 예상 시간 약 0:42"
    )
    assert plan_text(2119, 30, (1280, 720), pictures=1000, files=26) == (
        "내보내기: 클립 26개, 프레임 2,119개 (30 fps로 영상 1:11), 1280x720. 렌더링 예상 시간 약 0:20"
    )


def test_the_progress_line_says_the_time_left_and_done_in_korean(korean) -> None:
    progress = TerminalProgress(stream=io.StringIO())
    progress(0, 100)
    line = progress.line(50, 100, progress._start + 10.0)
    assert line.startswith("내보내기 [") and " 50/100 프레임 " in line and line.endswith("0:10 남음")
    assert progress.line(100, 100, progress._start + 20.0).endswith("완료, 걸린 시간 0:20")


def test_refusals_are_korean_and_keep_the_values(korean, tmp_path: Path) -> None:
    with pytest.raises(ValueError) as caught:
        parse_size("4000x10")
    assert str(caught.value) == (
        "크기: 720p, 1080p, 4k 또는 320x240부터 7680x4320까지의 WxH가 필요합니다. 받은 값: '4000x10'"
    )
    with pytest.raises(
        ValueError, match=r"^--speed: 0.1부터 10까지의 재생 속도가 필요합니다 .* 받은 값: '20'$"
    ):
        check_speed("20", "--speed")
    with pytest.raises(ValueError, match=r"^--hold: 0부터 60까지의 초가 필요합니다. 받은 값: '-1'$"):
        check_hold("-1", "--hold")
    out = tmp_path / "talk.mp4"
    out.write_bytes(b"")
    with pytest.raises(ValueError) as caught:
        check_output(out, force=False)
    assert str(caught.value) == f"{out}: 이미 있습니다. 바꾸려면 --force를 주십시오"


def test_what_force_would_not_replace_is_said_in_korean(korean, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "lecture.txt").write_text("mine")
    with pytest.raises(ValueError) as caught:
        check_output(notes, force=True)
    assert str(caught.value) == (
        f"{notes}: 프레임 말고 다른 파일이 들어 있습니다 (lecture.txt). "
        "frame_NNNNN.png 파일만 든 폴더만 바꿉니다: 새 폴더나 빈 폴더를 고르십시오"
    )
    link = tmp_path / "talk.mp4"
    link.symlink_to(os.devnull)
    with pytest.raises(ValueError) as caught:
        check_output(link, force=True)
    assert str(caught.value) == (
        f"{link}: .mp4 파일이 아닙니다 (종류: 심볼릭 링크 (대상: 장치)). "
        ".mp4 파일만 바꿉니다: 다른 이름을 고르십시오"
    )
    set_language("en")
    with pytest.raises(ValueError) as caught:
        check_output(link, force=True)
    assert str(caught.value) == (
        f"{link} is a symlink to a device, not a .mp4 file; only a .mp4 file is replaced: choose another name"
    )
