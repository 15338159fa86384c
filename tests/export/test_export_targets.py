"""--force replaces only what this app writes; anything else at --out is refused, untouched, in one line.

This app writes a file of the kind --out names (.mp4, .gif, .zip, .png, .svg) or a
folder of numbered frames. A plain file where a frames folder is asked for, a file
of another kind, a device, a named pipe, a socket, a folder of other files, or a
symlink to any of these is none of that: even with --force it is refused, and the
message says what is there and what could be replaced.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest
from export_helpers import make_frames

from explainer.export import atomic_target, check_output, export_video

N, FPS = 3, 10
POSIX = pytest.mark.skipif(os.name == "nt", reason="devices, named pipes, sockets and symlinks as on POSIX")


def refused(path: Path, force: bool = True) -> str:
    """The one-line message export_video gives for ``path``, checked to be one line."""
    with pytest.raises(ValueError) as raised:
        export_video(make_frames(N), path, fps=FPS, total=N, force=force)
    message = str(raised.value)
    assert "\n" not in message
    return message


def state(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """What a folder holds, without following links or opening anything but plain files."""
    seen = {}
    for entry in folder.iterdir():
        info = entry.lstat()
        data = entry.read_bytes() if stat.S_ISREG(info.st_mode) else None
        seen[entry.name] = (stat.S_IFMT(info.st_mode), data)
    return seen


def test_a_plain_file_where_a_frames_folder_is_asked_for_is_refused_even_with_force(tmp_path):
    notes = tmp_path / "notes"  # no extension: "a folder of frames"
    notes.write_text("my lecture notes\n")
    for force in (True, False):
        message = refused(notes, force)
        assert message == (
            f"{notes} is a file, not a folder of frames; "
            "only a folder of frame_NNNNN.png is replaced: choose a new or empty folder"
        )
    assert notes.read_text() == "my lecture notes\n"
    assert list(tmp_path.iterdir()) == [notes]


@POSIX
def test_a_device_is_refused_and_never_suggests_force(tmp_path):
    message = refused(Path(os.devnull), force=False)
    assert "--force" not in message and "pass" not in message
    assert message.startswith(f"{os.devnull} is a device, not a folder of frames")
    message = refused(Path(os.devnull), force=True)
    assert message.startswith(f"{os.devnull} is a device")


@POSIX
@pytest.mark.parametrize("name", ["talk.mp4", "talk.gif", "talk.zip", "frames"])
def test_a_named_pipe_is_refused_untouched(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    message = refused(fifo)
    assert f"{fifo} is a named pipe (FIFO), not " in message
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == [name]


@POSIX
def test_a_socket_is_refused_untouched(tmp_path):
    path = tmp_path / "s.gif"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert refused(path).startswith(f"{path} is a socket, not a .gif file; only a .gif file")
        assert stat.S_ISSOCK(path.lstat().st_mode)


@POSIX
@pytest.mark.parametrize(
    ("name", "pointed", "what"),
    [
        ("frames", "notes", "a symlink to a file, not a folder of frames"),
        ("talk.mp4", "notes.txt", "a symlink to notes.txt, a file that is not a .mp4; only a .mp4 file"),
        # An existing folder is a frames folder, whatever its name (output_kind).
        ("talk.gif", "folder", "a symlink to a folder that holds files that are not frames (thesis.tex)"),
        ("talk.gif", "nowhere.gif", "a broken symlink (to nowhere.gif), not a .gif file"),
        ("talk.zip", os.devnull, "a symlink to a device, not a .zip file"),
    ],
)
def test_a_symlink_to_something_else_is_refused_untouched(tmp_path, name, pointed, what):
    if pointed == "folder":
        (tmp_path / "folder").mkdir()
        (tmp_path / "folder" / "thesis.tex").write_text("work")
    elif pointed != os.devnull and pointed != "nowhere.gif":
        (tmp_path / pointed).write_text("work")
    link = tmp_path / name
    link.symlink_to(pointed)
    before = state(tmp_path)
    assert refused(link).startswith(f"{link} is {what}")
    assert state(tmp_path) == before
    assert os.readlink(link) == pointed


@POSIX
def test_a_file_of_another_kind_behind_a_symlink_named_like_ours_is_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "link.png"
    link.symlink_to(victim.name)
    with pytest.raises(
        ValueError, match=r"link\.png is a symlink to victim\.txt, a file that is not a \.png;"
    ):
        check_output(link, force=True)
    assert victim.read_text() == "precious"


@POSIX
def test_a_symlink_to_our_own_output_is_replaced_not_followed(tmp_path):
    old = tmp_path / "old.gif"
    export_video(make_frames(N), old, fps=FPS, total=N)
    before = old.read_bytes()
    link = tmp_path / "talk.gif"
    link.symlink_to(old.name)
    with pytest.raises(ValueError, match=r"exists; pass --force to replace it"):
        export_video(make_frames(N), link, fps=FPS, total=N)
    export_video(make_frames(N + 1), link, fps=FPS, total=N + 1, force=True)
    assert not link.is_symlink() and link.is_file()
    assert old.read_bytes() == before


def test_a_file_of_the_same_kind_and_a_frames_folder_are_still_replaced(tmp_path):
    (tmp_path / "talk.mp4").write_bytes(b"an old export")
    export_video(make_frames(N), tmp_path / "talk.mp4", fps=FPS, total=N, force=True)
    (tmp_path / "frames").mkdir()
    (tmp_path / "frames" / "frame_00001.png").write_bytes(b"old")
    export_video(make_frames(N), tmp_path / "frames", fps=FPS, total=N, force=True)
    assert len(list((tmp_path / "frames").iterdir())) == N


@POSIX
def test_a_frames_folder_holding_a_subfolder_or_a_pipe_named_like_a_frame_is_refused(tmp_path):
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "frame_00001.png").mkdir()
    assert "holds files that are not frames (frame_00001.png)" in refused(folder)
    (folder / "frame_00001.png").rmdir()
    os.mkfifo(folder / "frame_00002.png")
    assert "holds files that are not frames (frame_00002.png)" in refused(folder)


def test_something_put_at_the_target_during_the_export_is_not_replaced(tmp_path):
    """The check is made again just before the rename: a file that appeared meanwhile stays."""
    target = tmp_path / "frames"
    with (
        pytest.raises(ValueError, match=r"is a file, not a folder of frames"),
        atomic_target(target, force=True) as temp,
    ):
        (temp / "frame_00001.png").write_bytes(b"new")
        target.write_text("saved meanwhile by another program")
    assert target.read_text() == "saved meanwhile by another program"
    assert list(tmp_path.iterdir()) == [target]


def test_describe_path_names_what_is_there(tmp_path):
    from explainer.export.targets import describe_path

    assert describe_path(tmp_path / "missing") is None
    (tmp_path / "f").write_text("x")
    assert describe_path(tmp_path / "f") == "a file"
    assert describe_path(Path(os.devnull)) == "a device"


def test_a_path_with_a_newline_is_shown_on_one_line(tmp_path):
    target = tmp_path / "talk\nfinal.mp4"
    target.write_bytes(b"old")
    with pytest.raises(ValueError) as raised:
        check_output(target, force=False)
    assert str(raised.value) == f"{str(target)!r} exists; pass --force to replace it"
    with pytest.raises(ValueError) as raised:
        check_output(tmp_path / "no\nfolder" / "talk.mp4", force=False)
    assert "\n" not in str(raised.value) and "no\\nfolder" in str(raised.value)
