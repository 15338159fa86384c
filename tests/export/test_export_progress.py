"""The terminal progress bar: frames done, frames per second, time left; in place on a terminal."""

from __future__ import annotations

import io

from explainer.export import TerminalProgress, plan_text
from explainer.export.progress import format_seconds


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_terminal_bar_updates_in_place_with_frames_fps_and_time_left():
    stream, clock = Terminal(), Clock()
    progress = TerminalProgress(stream, clock=clock)
    progress(1, 41)  # the clock starts at the first frame
    clock.now += 1.0
    progress(11, 41)  # 10 frames in 1 s: 30 frames left take 3 s
    text = stream.getvalue()
    assert text.startswith("\rexport [")
    assert "\n" not in text
    last = text.split("\r")[-1]
    assert "11/41 frames" in last
    assert "10.0 fps" in last
    assert "0:03 left" in last


def test_terminal_bar_redraws_at_most_ten_times_a_second():
    stream, clock = Terminal(), Clock()
    progress = TerminalProgress(stream, clock=clock)
    for done in range(1, 100):
        clock.now += 0.01  # 100 frames/s: 99 callbacks in ~1 s
        progress(done, 200)
    assert 9 <= stream.getvalue().count("\r") <= 11


def test_terminal_bar_ends_with_a_newline_and_the_total_time():
    stream, clock = Terminal(), Clock()
    progress = TerminalProgress(stream, clock=clock)
    for done in range(1, 61):
        clock.now += 0.5
        progress(done, 60)
    text = stream.getvalue()
    assert text.endswith("\n")
    assert text.count("\n") == 1
    last = text.split("\r")[-1]
    assert "[########################] 60/60 frames" in last
    assert "done in 0:30" in last


def test_close_after_a_cancel_ends_the_line_once():
    stream, clock = Terminal(), Clock()
    progress = TerminalProgress(stream, clock=clock)
    progress(3, 60)
    progress.close()
    progress.close()
    assert stream.getvalue().endswith("\n")
    assert stream.getvalue().count("\n") == 1


def test_not_a_terminal_prints_a_few_plain_lines():
    stream, clock = io.StringIO(), Clock()
    progress = TerminalProgress(stream, label="talk.mp4", clock=clock)
    for done in range(1, 101):
        clock.now += 0.1
        progress(done, 100)
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert 3 <= len(lines) <= 6
    assert lines[0].startswith("talk.mp4 [")
    assert "1/100 frames" in lines[0]
    assert "left" in lines[1]
    assert "100/100 frames" in lines[-1]


def test_default_stream_is_standard_error(capsys):
    progress = TerminalProgress()
    progress(1, 1)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "1/1 frames" in captured.err


def test_format_seconds():
    assert format_seconds(0) == "0:00"
    assert format_seconds(42.4) == "0:42"
    assert format_seconds(725) == "12:05"
    assert format_seconds(3723) == "1:02:03"


def test_the_plan_says_frames_video_length_and_rendering_time():
    assert plan_text(2119, 30, (1280, 720)) == (
        "export: 2,119 frames (1:11 of video at 30 fps), 1280x720; rendering takes about 0:42"
    )
    # Held frames are rendered once: 26 clips of which 1,000 pictures are drawn at ~50 a second.
    assert plan_text(2119, 30, (1280, 720), pictures=1000, files=26) == (
        "export: 26 clips, 2,119 frames (1:11 of video at 30 fps), 1280x720; rendering takes about 0:20"
    )


def test_stills_are_counted_as_stills():
    stream, clock = Terminal(), Clock()
    progress = TerminalProgress(stream, clock=clock, unit="stills")
    progress(1, 4)
    clock.now += 0.5
    progress(4, 4)
    assert stream.getvalue().splitlines()[-1].endswith("4/4 stills    6.0 stills/s  done in 0:00")
