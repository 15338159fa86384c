"""Output names are local paths, never URLs: a folder named ``tcp:`` or ``pipe:x`` is just a folder.

ffmpeg reads ``tcp:…``, ``pipe:…``, ``http:…`` at the start of a name as a protocol; a
relative --out under such a folder once made ffmpeg connect to the address in the path.
"""

from __future__ import annotations

import socket
import zipfile
from pathlib import Path

import pytest
from export_helpers import make_frames

from explainer.export import export_video, probe

N, FPS = 3, 10
KINDS = ["talk.mp4", "talk.gif", "frames", "talk.zip"]


@pytest.fixture
def listener():
    """A TCP listener on a free local port that must never see a connection."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        yield server
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody connected


@pytest.mark.parametrize("folder", ["tcp:/127.0.0.1:{port}", "pipe:x", "file:x", "http:"])
def test_every_format_writes_into_a_folder_named_like_a_protocol(tmp_path, monkeypatch, listener, folder):
    monkeypatch.chdir(tmp_path)  # relative names, as a user types them
    where = Path(folder.format(port=listener.getsockname()[1]))
    (tmp_path / where).mkdir(parents=True)
    for name in KINDS:
        export_video(make_frames(N), where / name, fps=FPS, total=N)
    assert probe(where / "talk.mp4")["frames"] == N
    assert probe(where / "talk.gif")["frames"] == N
    assert sorted(p.name for p in (where / "frames").iterdir()) == [f"frame_0000{k}.png" for k in (1, 2, 3)]
    with zipfile.ZipFile(where / "talk.zip") as archive:
        assert len(archive.namelist()) == N
    assert sorted(p.name for p in (tmp_path / where).iterdir()) == sorted(KINDS)


def test_a_percent_sign_in_the_working_folder_is_not_a_frame_pattern(tmp_path, monkeypatch):
    working = tmp_path / "100%d done"
    working.mkdir()
    monkeypatch.chdir(working)
    export_video(make_frames(N), Path("frames"), fps=FPS, total=N)
    assert sorted(p.name for p in (working / "frames").iterdir()) == [f"frame_0000{k}.png" for k in (1, 2, 3)]
