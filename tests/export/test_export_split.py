"""One file per step: names, the folder, what --force may replace, nothing half-written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from export_helpers import make_frame

from explainer.animation import Timeline
from explainer.export import (
    ExportCancelled,
    check_split_output,
    clip_names,
    export_clips,
    probe,
    split_folder,
)
from explainer.model import AttentionModel

FPS = 10


def test_clips_are_named_by_step_number_and_kind(translate_timeline):
    names = clip_names(translate_timeline, range(26), Path("talk.mp4"))
    assert names[:5] == [
        "talk-01-embed.mp4",
        "talk-02-project_q.mp4",
        "talk-03-project_k.mp4",
        "talk-04-project_v.mp4",
        "talk-05-dot.mp4",
    ]
    assert names[-1] == "talk-26-weighted_sum.mp4"
    assert names == sorted(names) and len(set(names)) == 26  # a file browser shows them in order


def test_a_range_keeps_the_numbers_the_app_shows(translate_timeline):
    assert clip_names(translate_timeline, range(11, 13), Path("deck/Slides.PNG")) == [
        "Slides-12-scale.png",
        "Slides-13-softmax.png",
    ]


def test_numbers_are_padded_to_the_last_steps_digits():
    timeline = Timeline.from_trace(AttentionModel.from_preset("seed-causal").trace, detail="full")
    n = len(timeline.steps)
    assert n >= 100
    names = clip_names(timeline, range(n), Path("c.gif"))
    assert names[0] == "c-001-embed.gif" and names[-1].startswith(f"c-{n}-")
    assert names == sorted(names)


@pytest.mark.parametrize(("out", "folder"), [("talk.mp4", "talk"), ("a/b.gif", "a/b"), ("x.svg", "x")])
def test_the_folder_is_named_after_the_file(out, folder):
    assert split_folder(Path(out)) == Path(folder)


@pytest.mark.parametrize("out", ["talk.zip", "frames"])
def test_frames_are_no_file_per_step(tmp_path, out):
    with pytest.raises(ValueError, match=r"split: one file per step is made as \.mp4, \.gif, \.png or \.svg"):
        split_folder(tmp_path / out)


def clips(n: int):
    """``n`` one-step clips of 3 frames each, the last frame held 5 frames."""
    return [
        (f"talk-{k + 1:02d}-dot.mp4", [make_frame(k), make_frame(k + 1), (make_frame(k + 2), 5)])
        for k in range(n)
    ]


def test_export_clips_writes_every_clip_into_the_folder(tmp_path):
    seen: list[tuple[int, int]] = []
    folder = export_clips(clips(3), tmp_path / "talk", fps=FPS, total=21, progress=lambda *a: seen.append(a))
    assert sorted(p.name for p in folder.iterdir()) == [
        "talk-01-dot.mp4",
        "talk-02-dot.mp4",
        "talk-03-dot.mp4",
    ]
    assert [probe(p)["frames"] for p in sorted(folder.iterdir())] == [7, 7, 7]
    assert seen[-1] == (21, 21)  # progress counts over every clip
    assert [p.name for p in tmp_path.iterdir()] == ["talk"]  # no temporary left


def test_a_cancel_leaves_no_folder_and_the_old_one_untouched(tmp_path):
    old = tmp_path / "talk"
    old.mkdir()
    (old / "talk-01-embed.mp4").write_bytes(b"old clip")
    done = [0]

    def progress(count: int, total: int) -> None:
        done[0] = count

    with pytest.raises(ExportCancelled, match=r"export of talk/ cancelled; nothing was written"):
        export_clips(
            clips(3), old, fps=FPS, total=21, force=True, progress=progress, cancelled=lambda: done[0] >= 10
        )
    assert [p.name for p in tmp_path.iterdir()] == ["talk"]
    assert [p.name for p in old.iterdir()] == ["talk-01-embed.mp4"]
    assert (old / "talk-01-embed.mp4").read_bytes() == b"old clip"


def test_a_folder_of_clips_is_replaced_only_with_force(tmp_path):
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "talk-07-softmax.gif").write_bytes(b"old clip")
    (folder / ".DS_Store").write_bytes(b"")
    with pytest.raises(ValueError, match=r"talk exists; pass --force to replace it"):
        check_split_output(folder, force=False)
    check_split_output(folder, force=True)
    export_clips(clips(1), folder, fps=FPS, total=7, force=True)
    assert [p.name for p in folder.iterdir()] == ["talk-01-dot.mp4"]


def test_an_empty_folder_is_filled_without_force(tmp_path):
    (tmp_path / "talk").mkdir()
    export_clips(clips(1), tmp_path / "talk", fps=FPS, total=7)
    assert [p.name for p in (tmp_path / "talk").iterdir()] == ["talk-01-dot.mp4"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"talk/notes.txt": b"mine"},
            "talk holds files that are not step files named talk-NN-KIND (notes.txt)",
        ),
        ({"talk/other-01-dot.mp4": b"x"}, "that are not step files named talk-NN-KIND (other-01-dot.mp4)"),
        ({"talk": b"a file"}, "talk is a file, not a folder of step files named talk-NN-KIND"),
    ],
)
def test_what_a_split_export_did_not_write_is_never_replaced(tmp_path, files, message):
    for relative, content in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(content)
    with pytest.raises(ValueError, match=re.escape(message)):
        check_split_output(tmp_path / "talk", force=True)
    with pytest.raises(ValueError, match=re.escape(message)):
        export_clips(clips(1), tmp_path / "talk", fps=FPS, total=7, force=True)
    for relative, content in files.items():
        assert (tmp_path / relative).read_bytes() == content
