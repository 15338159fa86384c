"""Nothing lost, nothing half-written: cancel, errors, Ctrl+C, existing targets, killed runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from export_helpers import make_frame, make_frames, read_png

from explainer.export import ExportCancelled, ExportError, atomic_target, export_video, probe

N, FPS = 10, 10
TARGETS = ["talk.mp4", "talk.gif", "talk.zip", "frames"]


def counting(k: int):
    """(progress, cancelled): cancelled() turns True once ``k`` frames are written."""
    done = [0]

    def progress(count: int, total: int) -> None:
        done[0] = count

    return progress, lambda: done[0] >= k


def write_old(path):
    """An existing target: a file with known bytes, or a folder with one old frame."""
    if path.suffix:
        path.write_bytes(b"old lecture")
    else:
        path.mkdir()
        (path / "frame_00001.png").write_bytes(b"old frame")


def assert_old(path):
    if path.suffix:
        assert path.read_bytes() == b"old lecture"
    else:
        assert [p.name for p in path.iterdir()] == ["frame_00001.png"]
        assert (path / "frame_00001.png").read_bytes() == b"old frame"


@pytest.mark.parametrize("name", TARGETS)
def test_cancel_midway_leaves_nothing(tmp_path, name):
    progress, cancelled = counting(4)
    with pytest.raises(ExportCancelled, match=r"cancelled; nothing was written"):
        export_video(
            make_frames(N), tmp_path / name, fps=FPS, total=N, progress=progress, cancelled=cancelled
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", TARGETS)
def test_cancel_leaves_an_existing_target_untouched(tmp_path, name):
    target = tmp_path / name
    write_old(target)
    progress, cancelled = counting(4)
    with pytest.raises(ExportCancelled):
        export_video(
            make_frames(N), target, fps=FPS, total=N, force=True, progress=progress, cancelled=cancelled
        )
    assert_old(target)
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_cancel_before_the_first_frame_renders_nothing(tmp_path):
    rendered = []

    def frames():
        for k in range(N):
            rendered.append(k)
            yield make_frame(k)

    with pytest.raises(ExportCancelled):
        export_video(frames(), tmp_path / "a.mp4", fps=FPS, total=N, cancelled=lambda: True)
    assert rendered == []
    assert list(tmp_path.iterdir()) == []


def test_progress_reports_every_frame(tmp_path):
    calls = []
    export_video(
        make_frames(N), tmp_path / "a.gif", fps=FPS, total=N, progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(k, N) for k in range(1, N + 1)]


@pytest.mark.parametrize("name", TARGETS)
def test_failing_encoder_leaves_nothing_and_the_old_file(tmp_path, monkeypatch, name):
    monkeypatch.setattr("explainer.export.ffmpeg.ffmpeg_exe", lambda: "false")
    target = tmp_path / name
    write_old(target)
    with pytest.raises(ExportError, match=r"export failed: ffmpeg"):
        export_video(make_frames(N), target, fps=FPS, total=N, force=True)
    assert_old(target)
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_encoder_failing_after_some_frames(tmp_path, monkeypatch):
    # Reads a little, then dies: the write of a later frame meets a broken pipe.
    script = tmp_path / "ffmpeg-dies"
    script.write_text("#!/bin/sh\nhead -c 20000 >/dev/null\necho 'Conversion failed!' >&2\nexit 3\n")
    script.chmod(0o755)
    monkeypatch.setattr("explainer.export.ffmpeg.ffmpeg_exe", lambda: str(script))
    with pytest.raises(ExportError, match=r"status 3:\nConversion failed!"):
        export_video(make_frames(200), tmp_path / "a.mp4", fps=FPS, total=200)
    assert [p.name for p in tmp_path.iterdir()] == ["ffmpeg-dies"]


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_interrupted_renderer_leaves_nothing(tmp_path, error):
    def frames():
        yield from make_frames(3)
        raise error

    target = tmp_path / "a.mp4"
    write_old(target)
    with pytest.raises(error):
        export_video(frames(), target, fps=FPS, total=N, force=True)
    assert_old(target)
    assert [p.name for p in tmp_path.iterdir()] == ["a.mp4"]


@pytest.mark.parametrize("name", TARGETS)
def test_existing_target_without_force_is_refused_and_untouched(tmp_path, name):
    target = tmp_path / name
    write_old(target)
    with pytest.raises(ValueError, match=r"exists; pass --force to replace it"):
        export_video(make_frames(N), target, fps=FPS, total=N)
    assert_old(target)


@pytest.mark.parametrize("name", TARGETS)
def test_existing_target_with_force_is_replaced(tmp_path, name):
    target = tmp_path / name
    write_old(target)
    export_video(make_frames(N), target, fps=FPS, total=N, force=True)
    if name == "frames":
        assert len(list(target.iterdir())) == N
        np.testing.assert_array_equal(read_png((target / "frame_00001.png").read_bytes()), make_frame(0))
    elif name != "talk.zip":
        assert probe(target)["frames"] == N
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_an_empty_folder_is_filled_without_force(tmp_path):
    (tmp_path / "frames").mkdir()
    export_video(make_frames(3), tmp_path / "frames", fps=FPS, total=3)
    assert len(list((tmp_path / "frames").iterdir())) == 3


def test_no_frames_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"no frames to export"):
        export_video([], tmp_path / "a.mp4", fps=FPS, total=0)
    assert list(tmp_path.iterdir()) == []


def test_stills_are_not_videos(tmp_path):
    with pytest.raises(ValueError, match=r"a \.png is a still of one step"):
        export_video(make_frames(2), tmp_path / "a.png", fps=FPS, total=2)


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(process.stdout)


def test_temporary_is_hidden_beside_the_target_with_its_extension(tmp_path):
    with atomic_target(tmp_path / "talk.mp4", force=False) as temp:
        assert temp.parent == tmp_path
        assert temp.name.startswith(f".talk.mp4.partial-{os.getpid()}-")
        assert temp.suffix == ".mp4"
        temp.write_bytes(b"new")
    assert (tmp_path / "talk.mp4").read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["talk.mp4"]


def test_temporary_frames_folder_is_created(tmp_path):
    with atomic_target(tmp_path / "frames", force=False) as temp:
        assert temp.is_dir()
        assert temp.name.startswith(".frames.partial-")
        (temp / "frame_00001.png").write_bytes(b"new")
    assert [p.name for p in (tmp_path / "frames").iterdir()] == ["frame_00001.png"]


def test_stale_partials_of_killed_runs_are_removed(tmp_path):
    dead = dead_pid()
    stale_file = tmp_path / f".talk.mp4.partial-{dead}-abc123.mp4"
    stale_file.write_bytes(b"half")
    stale_dir = tmp_path / f".talk.mp4.partial-{dead}-abc124.mp4.frames"
    stale_dir.mkdir()
    (stale_dir / "frame_00001.png").write_bytes(b"half")
    # Kept: a partial of another target, and one of a live process (this one).
    other = tmp_path / f".other.mp4.partial-{dead}-abc123.mp4"
    other.write_bytes(b"other")
    live = tmp_path / f".talk.mp4.partial-{os.getpid()}-abc125.mp4"
    live.write_bytes(b"live")
    export_video(make_frames(3), tmp_path / "talk.mp4", fps=FPS, total=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, live.name, "talk.mp4"])


def test_exception_inside_atomic_target_removes_the_temporary(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_target(tmp_path / "frames.zip", force=False) as temp:
        temp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_atomic_target_refuses_an_existing_target_without_force(tmp_path):
    (tmp_path / "a.gif").write_bytes(b"old lecture")
    with (
        pytest.raises(ValueError, match=r"exists; pass --force"),
        atomic_target(tmp_path / "a.gif", force=False),
    ):
        pass
    assert (tmp_path / "a.gif").read_bytes() == b"old lecture"


def test_a_folder_of_other_files_is_never_replaced_even_with_force(tmp_path):
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "lecture-notes.docx").write_bytes(b"notes")
    (documents / "frame_00001.png").write_bytes(b"old frame")
    with pytest.raises(
        ValueError, match=r"holds files that are not frames \(lecture-notes.docx\); only a folder"
    ):
        export_video(make_frames(3), documents, fps=FPS, total=3, force=True)
    with pytest.raises(ValueError, match=r"not frames"), atomic_target(documents, force=True):
        pass
    assert sorted(p.name for p in documents.iterdir()) == ["frame_00001.png", "lecture-notes.docx"]
    assert [p.name for p in tmp_path.iterdir()] == ["Documents"]


def test_a_frames_folder_with_desktop_clutter_is_replaced_with_force(tmp_path):
    folder = tmp_path / "frames"
    folder.mkdir()
    for name in ("frame_00001.png", "frame_00002.png", ".DS_Store"):
        (folder / name).write_bytes(b"old")
    export_video(make_frames(1), folder, fps=FPS, total=1, force=True)
    assert [p.name for p in folder.iterdir()] == ["frame_00001.png"]


@pytest.mark.parametrize("name", [".", ".."])
def test_a_path_without_a_name_is_refused(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"expected a file or folder name to write"):
        export_video(
            make_frames(1), tmp_path / name if name == ".." else Path(name), fps=FPS, total=1, force=True
        )
