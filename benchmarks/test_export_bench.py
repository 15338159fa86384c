"""Encoder-side export speed: 60 synthetic 1280×720 frames through each writer, no renderer.

Run with ``python -m pytest benchmarks/test_export_bench.py --benchmark-only -s``.
This is the ceiling the encoder puts on an end-to-end export (the target there is
≥ 60 frames/s with the renderer; benchmarks/test_export_speed.py measures that).
The frames are pre-built and look like the app (flat coloured cells, dark marks
like digits, one highlight moving per frame), so x264 sees realistic content
rather than noise.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from explainer.export import probe, writer_for

WIDTH, HEIGHT, N_FRAMES, FPS = 1280, 720, 60, 30.0


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    base = np.full((HEIGHT, WIDTH, 3), 250, np.uint8)
    # Three 8×8 "heatmaps" of 56-px cells, each cell with a few dark "digit" strokes.
    for panel in range(3):
        x0, y0 = 40 + panel * 410, 160
        for i in range(8):
            for j in range(8):
                y, x = y0 + i * 56, x0 + j * 46
                base[y : y + 54, x : x + 44] = rng.integers(40, 250, 3)
                for stroke in range(3):
                    base[y + 22 : y + 32, x + 8 + stroke * 10 : x + 10 + stroke * 10] = 20
    out = []
    for k in range(N_FRAMES):
        frame = base.copy()
        i, j = divmod(k, 8)
        y, x = 160 + (i % 8) * 56, 40 + j * 46
        frame[y : y + 54, x : x + 3] = frame[y : y + 54, x + 41 : x + 44] = (255, 140, 0)
        frame[40:80, 40 : 40 + 18 * k] = 90  # a caption growing
        out.append(frame)
    return out


def encode(kind: str, name: str, frames: list[np.ndarray], tmp_path) -> dict[str, float]:
    path = tmp_path / name
    start = time.perf_counter()
    writer = writer_for(path, FPS, kind=kind)
    writer.open(WIDTH, HEIGHT, FPS)
    for frame in frames:
        writer.write(frame)
    writer.close()
    return {"seconds": time.perf_counter() - start}


@pytest.mark.parametrize(("kind", "name"), [("mp4", "bench.mp4"), ("gif", "bench.gif"), ("frames", "bench")])
def test_encode_60_frames_720p(benchmark, frames, tmp_path, kind, name):
    timings: list[float] = []

    def run() -> None:
        timings.append(encode(kind, name, frames, tmp_path)["seconds"])

    benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=1)
    best = min(timings)
    fps = N_FRAMES / best
    benchmark.extra_info.update(frames=N_FRAMES, frames_per_second=round(fps, 1))
    size = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    print(
        f"\n{kind}: {N_FRAMES} frames of 1280x720 in {best:.3f} s = {fps:.0f} frames/s, {size / 1e3:.0f} kB"
    )
    if kind == "mp4":
        assert probe(tmp_path / name)["frames"] == N_FRAMES
