"""Export options as typed: sizes, step ranges, step kinds, output paths, frame times."""

from __future__ import annotations

import itertools
import math
import os
from pathlib import Path

import pytest

from explainer.animation import STEP_KINDS
from explainer.export import (
    check_fps,
    check_output,
    check_size,
    frame_state,
    frame_states,
    frame_times,
    output_kind,
    parse_size,
    parse_steps,
    select_steps,
)

# ------------------------------------------------------------------ size


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("720p", (1280, 720)),
        ("1080p", (1920, 1080)),
        ("4K", (3840, 2160)),
        (" 1280x720 ", (1280, 720)),
        ("1024 X 768", (1024, 768)),
        ("320x240", (320, 240)),
        ("7680x4320", (7680, 4320)),
        ("641x481", (641, 481)),  # odd is fine for PNG frames; MP4 refuses it separately
    ],
)
def test_parse_size_accepts_names_and_wxh(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize(
    "text",
    ["", "big", "1280", "1280x", "x720", "1280x720x3", "-1280x720", "319x240", "7681x4320", "1280x239"],
)
def test_parse_size_refuses_with_what_is_expected(text):
    with pytest.raises(ValueError, match=r"size: expected 720p, 1080p, 4k or WxH from 320x240 to 7680x4320"):
        parse_size(text)


def test_check_size_refuses_odd_mp4_and_suggests_an_even_one():
    check_size((1280, 720), "mp4")
    check_size((641, 481), "gif")
    check_size((641, 481), "frames")
    with pytest.raises(ValueError, match=r"even width and height, got 641x480; try 642x480"):
        check_size((641, 480), "mp4")


@pytest.mark.parametrize("fps", [0, 0.5, 121, -30, math.nan, "fast"])
def test_check_fps_refuses_unusable_rates(fps):
    with pytest.raises(ValueError, match=r"fps: expected a number from 1 to 120"):
        check_fps(fps)


# ----------------------------------------------------------------- steps


@pytest.mark.parametrize(
    ("text", "indices"),
    [
        ("5", range(4, 5)),
        ("3-17", range(2, 17)),
        ("3 - 17", range(2, 17)),
        ("3–17", range(2, 17)),
        ("1-26", range(0, 26)),
        ("20-", range(19, 26)),
        ("26", range(25, 26)),
    ],
)
def test_parse_steps_is_one_based_and_inclusive(text, indices):
    assert parse_steps(text, 26) == indices


@pytest.mark.parametrize("text", ["0", "27", "0-3", "5-3", "3-27", "a-b", "", "-3", "3-5-7", "1.5"])
def test_parse_steps_names_the_valid_range(text):
    with pytest.raises(ValueError, match=r"steps: expected N or A-B with 1 <= A <= B <= 26, got "):
        parse_steps(text, 26)


def test_select_steps_defaults_to_every_step(translate_timeline):
    assert select_steps(translate_timeline) == range(len(translate_timeline.steps))


def test_select_steps_numbered_range(translate_timeline):
    assert select_steps(translate_timeline, "3-5") == range(2, 5)


def test_select_steps_from_first_kind_to_last_kind(causal_timeline):
    kinds = [step.kind for step in causal_timeline.steps]
    indices = select_steps(causal_timeline, from_kind="dot", to_kind="softmax")
    assert indices[0] == kinds.index("dot")
    # The last softmax step of the last head, not of the first one.
    assert indices[-1] == max(i for i, kind in enumerate(kinds) if kind == "softmax")
    assert kinds[indices[-1] + 1] != "softmax"


def test_select_steps_open_ends(translate_timeline):
    n = len(translate_timeline.steps)
    kinds = [step.kind for step in translate_timeline.steps]
    assert select_steps(translate_timeline, from_kind="softmax") == range(kinds.index("softmax"), n)
    to_scale = select_steps(translate_timeline, to_kind="scale")
    assert to_scale == range(0, kinds.index("scale") + 1)


def test_select_steps_unknown_kind_lists_the_kinds(translate_timeline):
    with pytest.raises(ValueError, match=r"--from: unknown step kind 'dots'") as raised:
        select_steps(translate_timeline, from_kind="dots")
    assert ", ".join(STEP_KINDS) in str(raised.value)


def test_select_steps_kind_absent_from_this_walkthrough(translate_timeline):
    # seed-translate is cross-attention: no causal mask, so no mask step.
    with pytest.raises(ValueError, match=r"--to: this walkthrough has no 'mask' step \(it has embed, "):
        select_steps(translate_timeline, to_kind="mask")


def test_select_steps_reversed_range(translate_timeline):
    with pytest.raises(ValueError, match=r"the first 'softmax' step \(\d+\) comes after the last 'dot' step"):
        select_steps(translate_timeline, from_kind="softmax", to_kind="dot")


def test_select_steps_refuses_numbers_and_kinds_together(translate_timeline):
    with pytest.raises(ValueError, match=r"not both"):
        select_steps(translate_timeline, "1-3", from_kind="dot")


# ----------------------------------------------------------- frame times


def test_frame_times_cover_the_whole_walkthrough(translate_timeline):
    timeline = translate_timeline
    times = frame_times(timeline, range(len(timeline.steps)), 30)
    # Every step duration is a whole number of frames at 30 fps: duration * fps + 1 frames.
    assert len(times) == round(timeline.duration * 30) + 1
    assert times[0] == 0.0
    assert times[-1] == timeline.duration
    assert all(b > a for a, b in itertools.pairwise(times))
    assert times[1] == pytest.approx(1 / 30)


def test_frame_times_of_a_step_range(causal_timeline):
    timeline = causal_timeline
    indices = range(2, 6)
    times = frame_times(timeline, indices, 25)
    start, end = timeline.start(2), timeline.start(5) + timeline.steps[5].duration
    assert times[0] == start
    assert times[-1] == end
    assert len(times) == round((end - start) * 25) + 1
    assert {timeline.index_at(t) for t in times[:-1]} == set(indices)


def test_frame_times_when_the_range_is_not_a_whole_number_of_frames(translate_timeline):
    # Step 1 (embed) lasts 3.0 s; at 7 fps that is 21 frames exactly, at 8.5 fps 25.5 frames.
    assert translate_timeline.steps[0].duration == 3.0
    assert len(frame_times(translate_timeline, range(0, 1), 7)) == 21 + 1
    times = frame_times(translate_timeline, range(0, 1), 8.5)
    assert len(times) == math.ceil(3.0 * 8.5) + 1 == 27  # 26 on the 8.5 fps grid, then the end
    assert times[-2] < 3.0 == times[-1]


def test_frame_times_are_deterministic(causal_timeline):
    indices = range(len(causal_timeline.steps))
    assert frame_times(causal_timeline, indices, 30) == frame_times(causal_timeline, indices, 30)


def test_frame_times_refuse_bad_input(translate_timeline):
    with pytest.raises(ValueError, match="fps"):
        frame_times(translate_timeline, range(0, 3), 0)
    with pytest.raises(ValueError, match="empty"):
        frame_times(translate_timeline, range(3, 3), 30)
    with pytest.raises(ValueError, match=r"within 0\.\."):
        frame_times(translate_timeline, range(0, 999), 30)


def test_last_frame_shows_the_last_step_finished(causal_timeline):
    timeline = causal_timeline
    indices = range(2, 6)
    states = list(frame_states(timeline, indices, 30))
    assert [s.t for s in states] == frame_times(timeline, indices, 30)
    first, last = states[0], states[-1]
    assert (first.index, first.progress) == (2, 0.0)
    # At this time the timeline has moved on to step 6; the export stops at step 5, complete.
    assert timeline.state_at(last.t).index == 6
    assert (last.index, last.progress, last.eased) == (5, 1.0, 1.0)
    assert last.step == timeline.steps[5]


def test_frame_state_at_the_end_of_the_walkthrough_is_the_timelines(translate_timeline):
    timeline = translate_timeline
    n = len(timeline.steps)
    state = frame_state(timeline, timeline.duration, range(n))
    assert (state.index, state.progress) == (n - 1, 1.0)


# ----------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("talk.mp4", "mp4"),
        ("talk.MP4", "mp4"),
        ("talk.gif", "gif"),
        ("talk.zip", "zip"),
        ("talk", "frames"),
        ("still.png", "png"),
        ("still.svg", "svg"),
    ],
)
def test_output_kind_by_extension(tmp_path, name, kind):
    assert output_kind(tmp_path / name) == kind


def test_output_kind_existing_folder_is_frames_whatever_its_name(tmp_path):
    (tmp_path / "frames.v2").mkdir()
    assert output_kind(tmp_path / "frames.v2") == "frames"


def test_output_kind_refuses_other_extensions(tmp_path):
    with pytest.raises(ValueError) as raised:
        output_kind(tmp_path / "talk.avi")
    assert (
        str(raised.value) == "unsupported extension .avi; expected .mp4, .gif, .zip, a folder, .png or .svg"
    )


def test_check_output_missing_folder(tmp_path):
    with pytest.raises(ValueError, match=r"folder .*nowhere does not exist"):
        check_output(tmp_path / "nowhere" / "talk.mp4", force=False)


def test_check_output_parent_is_a_file(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match=r"notes.txt is not a folder"):
        check_output(tmp_path / "notes.txt" / "talk.mp4", force=False)


def test_check_output_read_only_folder(tmp_path, monkeypatch):
    # Faked: these tests may run as root, for whom every folder is writable.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(ValueError, match=r"is not writable"):
        check_output(tmp_path / "talk.mp4", force=False)


def test_check_output_existing_file_needs_force(tmp_path):
    target = tmp_path / "talk.gif"
    check_output(target, force=False)
    target.write_bytes(b"old")
    with pytest.raises(ValueError) as raised:
        check_output(target, force=False)
    assert str(raised.value) == f"{target} exists; pass --force to replace it"
    check_output(target, force=True)
    assert target.read_bytes() == b"old"


def test_check_output_frames_folder_counts_as_existing_only_when_not_empty(tmp_path):
    folder = tmp_path / "frames"
    folder.mkdir()
    check_output(folder, force=False)
    (folder / "frame_00001.png").write_bytes(b"old")
    with pytest.raises(ValueError, match=r"exists; pass --force to replace it"):
        check_output(folder, force=False)
    check_output(folder, force=True)


def test_check_output_refuses_unsupported_extension_first(tmp_path):
    with pytest.raises(ValueError, match=r"unsupported extension \.mov"):
        check_output(tmp_path / "talk.mov", force=True)
