"""End-to-end export speed at 1280×720, 30 fps, against matplotlib's FuncAnimation.

Target: ≥ 60 frames/s end to end (twice real time) and ≥ 40× the same animation
made the way a lecturer would without this app: matplotlib ``FuncAnimation``
with ``imshow`` heatmaps, a text number in each cell and a bar chart, saved
through ``FFMpegWriter`` with the same ffmpeg binary.
"""

from __future__ import annotations

import time

import imageio_ffmpeg
import numpy as np
import pytest

from explainer.export import probe
from explainer.model import AttentionModel
from explainer.qt.export_job import ExportOptions, export

FPS = 30.0
SIZE = (1280, 720)


def test_export_mp4_frames_per_second(benchmark, tmp_path):
    model = AttentionModel.from_preset("seed-translate")
    out = tmp_path / "walkthrough.mp4"
    result = {}

    def run() -> None:
        start = time.perf_counter()
        export(model, out, ExportOptions(size=SIZE, fps=FPS, steps="5-12", force=True))
        result["seconds"] = time.perf_counter() - start

    benchmark.pedantic(run, rounds=3, iterations=1)
    frames = probe(out)["frames"]
    fps = frames / result["seconds"]
    benchmark.extra_info.update(frames=frames, frames_per_second=round(fps, 1))
    print(f"\nexport: {frames} frames at 1280x720 in {result['seconds']:.2f} s = {fps:.1f} frames/s")
    assert frames > 100


def test_matplotlib_funcanimation_frames_per_second(benchmark, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FFMpegWriter, FuncAnimation

    matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
    trace = AttentionModel.from_preset("seed-translate").trace
    scores, weights = trace.scaled[0], trace.weights[0]
    n_frames = 60
    result = {}

    def run() -> None:
        fig, (ax_s, ax_w, ax_b) = plt.subplots(1, 3, figsize=(12.8, 7.2), dpi=100)
        image_s = ax_s.imshow(np.zeros_like(scores), cmap="viridis", vmin=scores.min(), vmax=scores.max())
        image_w = ax_w.imshow(np.zeros_like(weights), cmap="viridis", vmin=0, vmax=1)
        texts = [
            [ax.text(j, i, "", ha="center", va="center") for j in range(scores.shape[1])]
            for ax in (ax_s, ax_w)
            for i in range(scores.shape[0])
        ]
        bars = ax_b.bar(range(weights.shape[1]), np.zeros(weights.shape[1]))
        ax_b.set_ylim(0, 1)

        def frame(k: int):
            p = (k + 1) / n_frames
            image_s.set_data(scores * p)
            image_w.set_data(weights * p)
            sources = [(scores, i) for i in range(4)] + [(weights, i) for i in range(4)]
            for row, (values, i) in zip(texts, sources, strict=True):
                for j, text in enumerate(row):
                    text.set_text(f"{values[i, j] * p:.2f}")
            for bar, h in zip(bars, weights[1] * p, strict=True):
                bar.set_height(h)
            return [image_s, image_w, *bars]

        animation = FuncAnimation(fig, frame, frames=n_frames)
        start = time.perf_counter()
        animation.save(tmp_path / "matplotlib.mp4", writer=FFMpegWriter(fps=FPS))
        result["seconds"] = time.perf_counter() - start
        plt.close(fig)

    benchmark.pedantic(run, rounds=1, iterations=1)
    fps = n_frames / result["seconds"]
    benchmark.extra_info.update(frames=n_frames, frames_per_second=round(fps, 1))
    print(f"\nmatplotlib FuncAnimation: {n_frames} frames in {result['seconds']:.2f} s = {fps:.1f} frames/s")
