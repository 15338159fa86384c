"""Held pictures in each format: a video repeats them, a GIF shows one image for as long.

The GIF's frame durations are read back with Pillow, which parses the file on its own.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from explainer.export import decode, export_video, probe, read_delays, writer_for
from explainer.export.gif_timing import delays

FPS = 30
WIDTH, HEIGHT = 64, 48


def flat_frame(k: int) -> np.ndarray:
    """Picture ``k``: four flat bands whose colours encode ``k`` (few colours: a GIF keeps them exactly)."""
    frame = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    for band in range(4):
        frame[:, band * 16 : (band + 1) * 16] = ((k * 40 + band * 9) % 256, 255 - band * 60, band * 70)
    return frame


# Three pictures moving, one held 15 frames (a hold after a step), two more, then the
# last held 60 frames: the 2 s final hold.
HELD = [
    (flat_frame(0), 1),
    (flat_frame(1), 1),
    (flat_frame(2), 1),
    (flat_frame(3), 15),
    (flat_frame(4), 1),
    (flat_frame(5), 1),
    (flat_frame(6), 60),
]
TOTAL = sum(n for _, n in HELD)


def gif_frames(path) -> list[tuple[np.ndarray, int]]:
    """Each frame as Pillow composes it (RGB) and its duration in milliseconds."""
    frames = []
    with Image.open(path) as image:
        for index in range(image.n_frames):
            image.seek(index)
            frames.append((np.asarray(image.convert("RGB")), image.info["duration"]))
    return frames


def test_a_gif_holds_its_last_frame_for_the_final_hold(tmp_path):
    path = export_video(HELD, tmp_path / "talk.gif", fps=FPS, total=TOTAL)
    frames = gif_frames(path)
    durations = [duration for _, duration in frames]
    assert len(frames) == len(HELD)  # a held picture is one image, not 60 copies
    assert durations[-1] == 2000  # the final hold: no jump back to the start after 0.03 s
    assert durations[3] == 500  # 15 frames at 30 fps
    assert sum(durations) == pytest.approx(TOTAL / FPS * 1000, abs=10)
    assert read_delays(path) == [d // 10 for d in durations]
    assert b"NETSCAPE2.0\x03\x01\x00\x00" in path.read_bytes()  # still loops forever
    # Each image is the picture given, in order (the palette may move a colour by a level).
    for (picture, _), (image, _) in zip(HELD, frames, strict=True):
        assert np.abs(image.astype(int) - picture).max() <= 2


def test_a_gif_without_holds_keeps_one_frame_time_each(tmp_path):
    frames = [flat_frame(k) for k in range(4)]
    path = export_video(frames, tmp_path / "plain.gif", fps=FPS, total=4)
    assert read_delays(path) == [3, 4, 3, 3]  # 1/30 s on a running clock of hundredths


def test_delays_keep_the_total_on_the_running_clock():
    assert delays([1, 1, 1], 30) == [3, 4, 3]
    assert delays([60], 30) == [200]
    assert sum(delays([1] * 90 + [45], 30)) == 450  # 3 s + 1.5 s exactly, not 90 × 3 + 150


def test_an_mp4_repeats_a_held_frame(tmp_path):
    path = export_video(HELD, tmp_path / "talk.mp4", fps=FPS, total=TOTAL)
    info = probe(path)
    assert info["frames"] == TOTAL
    assert info["duration"] == pytest.approx(TOTAL / FPS, abs=1 / FPS)
    # Lossy, so each decoded frame is told by its first band's red, which encodes the picture.
    reds = decode(path)[:, :, :16, 0].mean(axis=(1, 2))
    pictures = [k for k, (_, n) in enumerate(HELD) for _ in range(n)]
    nearest = np.abs(reds[:, None] - np.array([flat_frame(k)[0, 0, 0] for k in range(7)])[None, :])
    assert nearest.argmin(axis=1).tolist() == pictures  # the last 60 frames: the last picture


def test_a_frames_folder_has_every_frame_of_a_hold(tmp_path):
    folder = export_video([(flat_frame(0), 3), flat_frame(1)], tmp_path / "frames", fps=FPS, total=4)
    assert sorted(p.name for p in folder.iterdir()) == [f"frame_{k:05d}.png" for k in range(1, 5)]


def test_progress_counts_the_frames_of_a_hold(tmp_path):
    seen: list[tuple[int, int]] = []
    export_video(HELD, tmp_path / "talk.gif", fps=FPS, total=TOTAL, progress=lambda *a: seen.append(a))
    assert [done for done, _ in seen] == [1, 2, 3, 18, 19, 20, 80]
    assert {total for _, total in seen} == {TOTAL}


@pytest.mark.parametrize("name", ["a.gif", "a.mp4"])
def test_a_hold_of_no_frames_is_refused(tmp_path, name):
    writer = writer_for(tmp_path / name, FPS)
    writer.open(WIDTH, HEIGHT)
    try:
        with pytest.raises(ValueError, match=r"frame 1: expected to hold it 1 frame or more, got 0"):
            writer.write(flat_frame(0), 0)
    finally:
        writer.abort()
