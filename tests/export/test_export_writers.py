"""What each format writes: frame counts, durations, codecs, loop flags, exact PNG pixels."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from export_helpers import HEIGHT, WIDTH, make_frame, make_frames, read_png

from explainer.export import ExportError, decode, export_video, probe, writer_for
from explainer.export.writers import FramesWriter, GifWriter, Mp4Writer, ZipWriter

N, FPS = 12, 10


def test_mp4_has_every_frame_the_duration_and_plays_everywhere(tmp_path):
    path = export_video(make_frames(N), tmp_path / "talk.mp4", fps=FPS, total=N)
    info = probe(path)
    assert info["codec"] == "h264"
    assert info["pix_fmt"] == "yuv420p"
    assert (info["width"], info["height"]) == (WIDTH, HEIGHT)
    assert info["frames"] == N
    assert info["fps"] == FPS
    assert info["duration"] == pytest.approx(N / FPS, abs=1 / FPS)


def test_mp4_frames_come_back_in_order_and_close_to_the_input(tmp_path):
    path = export_video(make_frames(N), tmp_path / "talk.mp4", fps=FPS, total=N)
    decoded = decode(path).astype(int)
    expected = np.stack(list(make_frames(N))).astype(int)
    assert decoded.shape == expected.shape
    # Lossy, but close: a mean error of a few levels (chroma is subsampled at the edges).
    assert np.abs(decoded - expected).mean() < 3
    # Red encodes the frame number: each decoded frame is nearest to its own input.
    reds = decoded[..., 0].mean(axis=(1, 2))
    assert np.argmin(np.abs(reds[:, None] - expected[:, 0, 0, 0][None, :]), axis=1).tolist() == list(range(N))


def test_mp4_keeps_repeated_frames(tmp_path):
    # A pause in the walkthrough repeats a frame: the video must still have every one.
    frames = [make_frame(0)] * 5 + [make_frame(1)] * 5
    path = export_video(frames, tmp_path / "pause.mp4", fps=25, total=10)
    assert probe(path)["frames"] == 10


def test_mp4_fractional_frame_rate_is_exact(tmp_path):
    path = export_video(make_frames(6), tmp_path / "ntsc.mp4", fps=29.97, total=6)
    info = probe(path)
    assert info["frames"] == 6
    assert info["fps"] == pytest.approx(29.97)


def test_mp4_refuses_odd_size_and_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match=r"MP4 \(H.264, yuv420p\) needs an even width and height, got 63x48"):
        export_video(make_frames(3, width=63), tmp_path / "odd.mp4", fps=FPS, total=3)
    assert list(tmp_path.iterdir()) == []


def test_gif_has_every_frame_and_loops_forever(tmp_path):
    frames = [*make_frames(N), make_frame(N - 1)]  # a repeated last frame is kept too
    path = export_video(frames, tmp_path / "talk.gif", fps=FPS, total=N + 1)
    info = probe(path)
    assert info["codec"] == "gif"
    assert (info["width"], info["height"], info["frames"]) == (WIDTH, HEIGHT, N + 1)
    assert info["duration"] == pytest.approx((N + 1) / FPS, abs=1 / FPS)
    data = path.read_bytes()
    assert data[:6] == b"GIF89a"
    # The NETSCAPE2.0 application extension with loop count 0: loop forever.
    assert b"NETSCAPE2.0\x03\x01\x00\x00" in data


def test_gif_colours_survive_the_palette(tmp_path):
    # Flat UI colours (fewer than 256) must come back exactly, without dithering noise.
    colours = [(255, 255, 255), (33, 102, 172), (178, 24, 43), (20, 20, 20)]
    frames = []
    for k in range(4):
        frame = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
        for c in range(4):
            frame[:, c * 16 : (c + 1) * 16] = colours[(c + k) % 4]
        frames.append(frame)
    path = export_video(frames, tmp_path / "flat.gif", fps=FPS, total=4)
    np.testing.assert_array_equal(decode(path), np.stack(frames))


def test_frames_folder_has_numbered_pngs_with_the_exact_pixels(tmp_path):
    folder = export_video(make_frames(N), tmp_path / "frames", fps=FPS, total=N)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"frame_{k:05d}.png" for k in range(1, N + 1)]
    for k in (0, 5, N - 1):
        data = (folder / f"frame_{k + 1:05d}.png").read_bytes()
        np.testing.assert_array_equal(read_png(data), make_frame(k))


def test_frames_folder_pixels_decode_the_same_through_ffmpeg(tmp_path):
    folder = export_video(make_frames(3), tmp_path / "frames", fps=FPS, total=3)
    np.testing.assert_array_equal(decode(folder / "frame_00002.png")[0], make_frame(1))


def test_zip_holds_the_same_numbered_pngs_stored(tmp_path):
    path = export_video(make_frames(N), tmp_path / "frames.zip", fps=FPS, total=N)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert [info.filename for info in infos] == [f"frame_{k:05d}.png" for k in range(1, N + 1)]
        assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
        for k in (0, N - 1):
            np.testing.assert_array_equal(read_png(archive.read(infos[k])), make_frame(k))
    # The PNGs were staged beside the zip; none of that is left.
    assert [p.name for p in tmp_path.iterdir()] == ["frames.zip"]


def test_frames_folder_name_with_a_percent_sign(tmp_path):
    folder = export_video(make_frames(2), tmp_path / "100%", fps=FPS, total=2)
    assert sorted(p.name for p in folder.iterdir()) == ["frame_00001.png", "frame_00002.png"]


@pytest.mark.parametrize(
    ("name", "kind", "cls"),
    [
        ("a.mp4", None, Mp4Writer),
        ("a.gif", None, GifWriter),
        ("a.zip", None, ZipWriter),
        ("a", None, FramesWriter),
        (".a.partial-1-ab", "frames", FramesWriter),
    ],
)
def test_writer_for_picks_by_kind(tmp_path, name, kind, cls):
    assert type(writer_for(tmp_path / name, 30, kind=kind)) is cls


def test_writer_for_refuses_stills(tmp_path):
    with pytest.raises(ValueError, match=r"still of one step"):
        writer_for(tmp_path / "a.png", 30)


def test_writer_refuses_a_frame_of_another_size(tmp_path):
    writer = writer_for(tmp_path / "a.mp4", 30)
    writer.open(WIDTH, HEIGHT, 30)
    try:
        writer.write(make_frame(0))
        with pytest.raises(
            ValueError, match=r"frame 2: expected a \(48, 64, 3\) uint8 RGB array, got \(48, 62, 3\)"
        ):
            writer.write(make_frame(1, width=62))
    finally:
        writer.abort()


def test_writer_accepts_a_non_contiguous_frame(tmp_path):
    path = tmp_path / "a.zip"
    writer = writer_for(path, 30)
    writer.open(WIDTH, HEIGHT, 30)
    frame = np.ascontiguousarray(make_frame(3)[::-1])[::-1]  # a view with a negative stride
    assert not frame.flags.c_contiguous
    writer.write(frame)
    writer.close()
    with zipfile.ZipFile(path) as archive:
        np.testing.assert_array_equal(read_png(archive.read("frame_00001.png")), make_frame(3))


def test_writer_abort_is_safe_twice_and_before_open(tmp_path):
    writer = writer_for(tmp_path / "a.gif", 30)
    writer.abort()
    writer.open(WIDTH, HEIGHT, 30)
    writer.write(make_frame(0))
    writer.abort()
    writer.abort()


def test_failing_ffmpeg_reports_its_last_lines(tmp_path, monkeypatch):
    script = tmp_path / "ffmpeg-broken"
    script.write_text("#!/bin/sh\necho 'starting' >&2\necho 'Unknown encoder libx264' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setattr("explainer.export.ffmpeg.ffmpeg_exe", lambda: str(script))
    writer = writer_for(tmp_path / "a.mp4", 30)
    writer.open(WIDTH, HEIGHT, 30)
    with pytest.raises(
        ExportError,
        match=r"^MP4 export failed: ffmpeg exited with status 1:\nstarting\nUnknown encoder libx264$",
    ):
        for frame in make_frames(50):  # more than a pipe buffer: ffmpeg is gone before the end
            writer.write(frame)
        writer.close()


def test_missing_ffmpeg_is_an_export_error(tmp_path, monkeypatch):
    monkeypatch.setattr("explainer.export.ffmpeg.ffmpeg_exe", lambda: str(tmp_path / "no-such-ffmpeg"))
    writer = writer_for(tmp_path / "a.mp4", 30)
    with pytest.raises(ExportError, match=r"cannot run ffmpeg"):
        writer.open(WIDTH, HEIGHT, 30)


def test_probe_refuses_what_is_not_a_video(tmp_path):
    (tmp_path / "notes.mp4").write_text("not a video")
    with pytest.raises(ValueError, match=r"cannot read a video from .*notes.mp4"):
        probe(tmp_path / "notes.mp4")
