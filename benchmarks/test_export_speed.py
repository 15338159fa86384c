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
    """The same panels made the usual way: one ``imshow`` per matrix the app shows,
    a text number in every cell, the α bar chart and the caption, animated by
    ``FuncAnimation`` and saved with ``FFMpegWriter`` through the same ffmpeg."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FFMpegWriter, FuncAnimation

    matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
    tr = AttentionModel.from_preset("seed-translate").trace
    i = 1  # the query the weighted-sum panel follows
    shares = tr.v[0].T * tr.weights[0, i][None, :]
    matrices = {
        "X_q": tr.x_q, "X_kv": tr.x_kv, "W_Q": tr.w_q[0], "W_K": tr.w_k[0], "W_V": tr.w_v[0],
        "Q": tr.q[0], "K": tr.k[0], "V": tr.v[0], "scores": tr.scaled[0], "α": tr.weights[0],
        "v_j": tr.v[0].T, "α row": tr.weights[0, i][None, :], "α·v_j": shares,
        "out": shares.sum(axis=1, keepdims=True), "outputs": tr.context[0],
    }  # fmt: skip
    n_frames = 30
    result = {}

    def run() -> None:
        fig, axes = plt.subplots(3, 6, figsize=(12.8, 7.2), dpi=100)
        artists = []
        for ax, (name, values) in zip(axes.flat, matrices.items(), strict=False):
            image = ax.imshow(np.zeros_like(values), cmap="viridis", vmin=values.min(), vmax=values.max())
            ax.set_title(name)
            texts = [
                ax.text(c, r, "", ha="center", va="center", fontsize=7)
                for r in range(values.shape[0])
                for c in range(values.shape[1])
            ]
            artists.append((image, texts, values))
        bar_ax = axes.flat[len(matrices)]
        bars = bar_ax.bar(range(tr.weights.shape[2]), np.zeros(tr.weights.shape[2]))
        bar_ax.set_ylim(0, 1)
        caption = fig.suptitle("")

        def frame(k: int):
            p = (k + 1) / n_frames
            for image, texts, values in artists:
                image.set_data(values * p)
                for text, value in zip(texts, (values * p).ravel(), strict=True):
                    text.set_text(f"{value:.2f}")
            for bar, h in zip(bars, tr.weights[0, i] * p, strict=True):
                bar.set_height(h)
            caption.set_text(f"step {k + 1}: α(hate, kirai) = {tr.weights[0, 1, 3] * p:.2f}")
            return []

        animation = FuncAnimation(fig, frame, frames=n_frames)
        start = time.perf_counter()
        animation.save(tmp_path / "matplotlib.mp4", writer=FFMpegWriter(fps=FPS))
        result["seconds"] = time.perf_counter() - start
        plt.close(fig)

    benchmark.pedantic(run, rounds=1, iterations=1)
    fps = n_frames / result["seconds"]
    benchmark.extra_info.update(frames=n_frames, frames_per_second=round(fps, 1))
    print(f"\nmatplotlib FuncAnimation: {n_frames} frames in {result['seconds']:.2f} s = {fps:.1f} frames/s")
