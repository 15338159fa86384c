"""Export from the Qt side: the files hold exactly the frames the offscreen board renders.

Sizes are small and step ranges short so the whole file runs in a few seconds.
"""

from __future__ import annotations

import collections
import os
import stat
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from explainer.export import (
    ExportCancelled,
    ExportError,
    decode,
    frame_state,
    frame_states,
    frame_times,
    probe,
    select_steps,
)
from explainer.model import AttentionModel
from explainer.qt.export_job import ExportOptions, export, renderer_for
from explainer.qt.offscreen import FrameRenderer
from explainer.qt.style import THEME_STYLES

SIZE = (320, 240)
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def model() -> AttentionModel:
    return AttentionModel.from_preset("seed-translate")


def expected_frames(model: AttentionModel, options: ExportOptions) -> np.ndarray:
    """What the board draws at each frame time of ``options``' step range."""
    with renderer_for(model, options) as renderer:
        indices = select_steps(renderer.timeline, options.steps, options.from_kind, options.to_kind)
        return np.stack([renderer.render(s) for s in frame_states(renderer.timeline, indices, options.fps)])


def frame_count(model: AttentionModel, options: ExportOptions) -> int:
    with renderer_for(model, options) as renderer:
        indices = select_steps(renderer.timeline, options.steps, options.from_kind, options.to_kind)
        return len(frame_times(renderer.timeline, indices, options.fps))


def finished_step(model: AttentionModel, options: ExportOptions, step: int) -> np.ndarray:
    """The board at the end of 0-based ``step``, as the still shows it."""
    with renderer_for(model, options) as renderer:
        timeline = renderer.timeline
        end = timeline.start(step) + timeline.steps[step].duration
        return renderer.render(frame_state(timeline, end, range(step, step + 1)))


def read_png(path: Path) -> np.ndarray:
    """A PNG's RGB pixels, decoded by Qt (independent of the ffmpeg that wrote the frames)."""
    image = QImage(str(path))
    assert not image.isNull(), path
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, : width * 3].reshape(height, width, 3).copy()


def zip_frames(path: Path, into: Path) -> np.ndarray:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names == sorted(names) and all(n.startswith("frame_") for n in names), names
        archive.extractall(into)
    return np.stack([read_png(into / name) for name in names])


def leftovers(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir())


# ---------------------------------------------------------------- videos


def test_mp4_has_the_expected_frames_duration_codec_and_size(model, tmp_path):
    options = ExportOptions(size=SIZE, fps=10, steps="2-3")
    path = export(model, tmp_path / "talk.mp4", options)
    expected = frame_count(model, options)
    assert expected == 51  # steps 2 and 3 last 2.5 s each: 50 intervals + the finished last frame
    info = probe(path)
    assert info["frames"] == expected
    assert info["duration"] == pytest.approx(expected / 10, abs=0.5 / 10)
    assert info["codec"] == "h264"
    assert info["pix_fmt"] == "yuv420p"
    assert (info["width"], info["height"]) == SIZE
    assert info["fps"] == 10
    assert leftovers(tmp_path) == ["talk.mp4"]


def test_mp4_frames_look_like_the_render(model, tmp_path):
    options = ExportOptions(size=SIZE, fps=5, steps="5-5")
    path = export(model, tmp_path / "talk.mp4", options)
    decoded = decode(path).astype(int)
    expected = expected_frames(model, options).astype(int)
    assert decoded.shape == expected.shape
    # Lossy (yuv420p), but each frame is close to the board's own frame.
    assert np.abs(decoded - expected).mean(axis=(1, 2, 3)).max() < 4


def test_gif_has_the_expected_frame_count(model, tmp_path):
    options = ExportOptions(size=SIZE, fps=5, steps="2-3")
    path = export(model, tmp_path / "talk.gif", options)
    info = probe(path)
    assert info["codec"] == "gif"
    assert info["frames"] == frame_count(model, options) == 26
    assert (info["width"], info["height"]) == SIZE


def test_zip_frames_equal_the_offscreen_render(model, tmp_path):
    options = ExportOptions(size=SIZE, fps=5, steps="5-6")
    path = export(model, tmp_path / "frames.zip", options)
    frames = zip_frames(path, tmp_path / "unzipped")
    expected = expected_frames(model, options)
    assert frames.shape == expected.shape == (frame_count(model, options), SIZE[1], SIZE[0], 3)
    np.testing.assert_array_equal(frames, expected)
    # The frames really change over the range: not one picture repeated.
    assert not np.array_equal(frames[0], frames[-1])


def test_frames_folder_equals_the_offscreen_render(model, tmp_path):
    options = ExportOptions(size=(480, 270), fps=4, steps="12-13", theme="dark", detail="rows")
    folder = export(model, tmp_path / "frames", options)
    names = leftovers(folder)
    count = frame_count(model, options)
    assert names == [f"frame_{k:05d}.png" for k in range(1, count + 1)]
    frames = np.stack([read_png(folder / name) for name in names])
    np.testing.assert_array_equal(frames, expected_frames(model, options))
    assert leftovers(tmp_path) == ["frames"]


def test_the_same_options_give_identical_frames(model, tmp_path):
    options = ExportOptions(size=SIZE, fps=5, steps="9-10")
    first = zip_frames(export(model, tmp_path / "a.zip", options), tmp_path / "a")
    second = zip_frames(export(model, tmp_path / "b.zip", options), tmp_path / "b")
    np.testing.assert_array_equal(first, second)


def test_an_edit_during_the_export_does_not_reach_its_frames(model, tmp_path):
    options = ExportOptions(size=SIZE, fps=5, steps="5-5")
    expected = expected_frames(model, options)

    def edit(done: int, total: int) -> None:
        if done == 1:  # the lecturer types a weight while the export runs
            model.set_value("w_q", (0, 0, 0), 9.0)

    before = model.trace.scores.copy()
    frames = zip_frames(export(model, tmp_path / "a.zip", options, progress=edit), tmp_path / "a")
    assert not np.array_equal(model.trace.scores, before)
    np.testing.assert_array_equal(frames, expected)


def test_the_last_frame_of_a_range_is_the_still_of_its_last_step(model, tmp_path):
    options = ExportOptions(size=SIZE, fps=5, steps="12-13")
    frames = zip_frames(export(model, tmp_path / "a.zip", options), tmp_path / "a")
    still = export(model, tmp_path / "s.png", ExportOptions(size=SIZE, still_step=12))
    np.testing.assert_array_equal(frames[-1], read_png(still))


# ---------------------------------------------------------------- stills


def test_png_still_equals_the_render_at_the_end_of_its_step(model, tmp_path):
    options = ExportOptions(size=SIZE, still_step=11)
    path = export(model, tmp_path / "still.png", options)
    np.testing.assert_array_equal(read_png(path), finished_step(model, options, 11))
    assert leftovers(tmp_path) == ["still.png"]


def test_png_still_defaults_to_the_last_step_of_the_range(model, tmp_path):
    options = ExportOptions(size=SIZE, steps="3-7")
    path = export(model, tmp_path / "still.png", options)
    np.testing.assert_array_equal(read_png(path), finished_step(model, options, 6))


def svg_elements(path: Path) -> list[ET.Element]:
    return list(ET.parse(path).getroot().iter())


def _size(rect: ET.Element) -> tuple[float, float]:
    return round(float(rect.get("width", 0)), 2), round(float(rect.get("height", 0)), 2)


def test_svg_still_is_vector_with_one_rect_per_score_cell_and_tokens_as_text(model, tmp_path):
    options = ExportOptions(size=(480, 270), still_step=11, layout=("scores",), captions=False)
    path = export(model, tmp_path / "scores.svg", options)
    elements = svg_elements(path)
    tags = collections.Counter(element.tag.removeprefix(SVG_NS) for element in elements)
    assert tags["image"] == 0, "a bitmap in the SVG"
    rects = [e for e in elements if e.tag == f"{SVG_NS}rect"]
    # The score cells are the squares of the most common size: one per (query, key).
    sizes = collections.Counter(_size(r) for r in rects)
    square = [(size, count) for size, count in sizes.items() if size[0] == size[1] and 5 < size[0] < 200]
    assert len(square) == 1, sizes
    (cell, cells), n_q, n_k = square[0], len(model.query_tokens), len(model.key_tokens)
    assert cells == n_q * n_k == 16
    # … on an n_q x n_k grid: n_k columns and n_q rows of cells.
    grid = [(float(r.get("x", 0)), float(r.get("y", 0))) for r in rects if _size(r) == cell]
    assert len({round(x, 1) for x, _ in grid}) == n_k and len({round(y, 1) for _, y in grid}) == n_q
    texts = [(e.text or "").strip() for e in elements if e.tag == f"{SVG_NS}text"]
    for token in [*model.query_tokens, *model.key_tokens]:
        assert token in texts, (token, texts)
    # Every cell's number is text too (score(hate, kirai) scaled: 4.10 / 2 = 2.05).
    assert "2.05" in texts
    assert leftovers(tmp_path) == ["scores.svg"]


def test_full_svg_has_no_bitmaps_and_every_panel_title(model, tmp_path):
    path = export(model, tmp_path / "all.svg", ExportOptions(size=(960, 540), still_step=25, view="overview"))
    elements = svg_elements(path)
    assert not [e for e in elements if e.tag == f"{SVG_NS}image"]
    text = " ".join((e.text or "") for e in elements if e.tag == f"{SVG_NS}text")
    for token in [*model.query_tokens, *model.key_tokens]:
        assert token in text
    assert "Weights" in text and "W_Q" in text


# ---------------------------------------------------------------- options


def test_dark_theme_gives_a_dark_background(model, tmp_path):
    light = export(model, tmp_path / "light.png", ExportOptions(size=SIZE, still_step=4))
    dark = export(model, tmp_path / "dark.png", ExportOptions(size=SIZE, still_step=4, theme="dark"))
    corner = (SIZE[1] - 1, SIZE[0] - 1)
    dark_rgb = read_png(dark)[corner]
    expected = QColor(THEME_STYLES["dark"].background)
    assert tuple(dark_rgb) == (expected.red(), expected.green(), expected.blue())
    assert dark_rgb.sum() < 3 * 80
    assert read_png(light)[corner].sum() > 3 * 200


def test_layout_renders_only_the_chosen_panels(model, tmp_path):
    options = ExportOptions(size=SIZE, layout=("scores", "softmax"))
    with renderer_for(model, options) as renderer:
        assert list(renderer.board.panels) == ["scores", "softmax"]
    every = ExportOptions(size=(960, 540), still_step=19, view="overview")
    full = export(model, tmp_path / "full.svg", every)
    part = export(model, tmp_path / "part.svg", replace(every, layout=options.layout))

    def texts(path: Path) -> set[str]:
        return {(e.text or "").strip() for e in svg_elements(path) if e.tag == f"{SVG_NS}text"}

    assert {"W_Q", "W_K", "W_V"} <= texts(full)
    assert not {"W_Q", "W_K", "W_V"} & texts(part)
    assert any(t.startswith("Weights") for t in texts(part))


def test_head_shows_that_head_throughout(tmp_path):
    causal = AttentionModel.from_preset("seed-causal")
    with FrameRenderer(causal, size=SIZE, head=1, layout=("scores",)) as renderer:
        renderer.render(renderer.timeline.start(4) + 0.5)  # a step of head 1 in the walkthrough
        assert renderer.timeline.steps[4].head == 0
        assert "head 2" in renderer.board.panels["scores"].matrix.title
    path = export(
        causal,
        tmp_path / "head2.svg",
        ExportOptions(size=(480, 270), head=1, still_step=20, layout=("scores",), captions=False),
    )
    texts = [(e.text or "") for e in svg_elements(path) if e.tag == f"{SVG_NS}text"]
    assert any("head 2" in t for t in texts), texts
    assert not any("head 1" in t for t in texts), texts


def test_head_without_steps_exports_that_heads_steps(tmp_path):
    causal = AttentionModel.from_preset("seed-causal")
    options = ExportOptions(size=SIZE, fps=2, head=1, layout=("scores",), captions=False)
    path = export(causal, tmp_path / "head2.gif", options)
    with renderer_for(causal, options) as renderer:
        mine = [i for i, step in enumerate(renderer.timeline.steps) if step.head == 1]
        expected = len(frame_times(renderer.timeline, range(mine[0], mine[-1] + 1), 2))
    assert probe(path)["frames"] == expected


# ---------------------------------------------------------------- nothing half-written


@pytest.mark.parametrize("name", ["talk.mp4", "talk.gif", "talk.zip", "frames"])
def test_cancel_leaves_no_file_and_no_partial(model, tmp_path, name):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3  # after three frames

    options = ExportOptions(size=SIZE, fps=5, steps="2-3")
    with pytest.raises(ExportCancelled):
        export(model, tmp_path / name, options, cancelled=cancelled)
    assert len(calls) == 4
    assert leftovers(tmp_path) == []


def test_cancel_leaves_an_existing_file_untouched(model, tmp_path):
    target = tmp_path / "talk.mp4"
    target.write_bytes(b"the lecturer's old video")
    with pytest.raises(ExportCancelled):
        export(
            model,
            target,
            ExportOptions(size=SIZE, fps=5, steps="2-2", force=True),
            cancelled=lambda: True,
        )
    assert target.read_bytes() == b"the lecturer's old video"
    assert leftovers(tmp_path) == ["talk.mp4"]


@pytest.mark.parametrize("name", ["talk.mp4", "still.png", "still.svg", "frames.zip"])
def test_existing_target_without_force_is_refused_and_untouched(model, tmp_path, name):
    target = tmp_path / name
    target.write_bytes(b"old")
    with pytest.raises(ValueError, match="exists; pass --force"):
        export(model, target, ExportOptions(size=SIZE, fps=5, steps="2-2"))
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == [name]


def test_force_replaces_an_existing_file(model, tmp_path):
    target = tmp_path / "talk.gif"
    target.write_bytes(b"old")
    export(model, target, ExportOptions(size=SIZE, fps=2, steps="2-2", force=True))
    assert probe(target)["frames"] == 6
    assert leftovers(tmp_path) == ["talk.gif"]


@pytest.fixture
def failing_ffmpeg(tmp_path, monkeypatch) -> Path:
    """Point the writers at an 'ffmpeg' that reads nothing and exits 1 (how the writers find it)."""
    script = tmp_path / "bin" / "ffmpeg"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\necho 'Unknown encoder libx264' >&2\nexit 1\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(script))
    return script


@pytest.mark.skipif(os.name == "nt", reason="a shell script as ffmpeg")
@pytest.mark.parametrize("name", ["talk.mp4", "talk.gif", "talk.zip", "frames"])
def test_a_failing_encoder_raises_and_leaves_no_file(model, tmp_path, failing_ffmpeg, name):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError, match="Unknown encoder libx264") as error:
        export(model, out / name, ExportOptions(size=SIZE, fps=5, steps="2-2"))
    assert not isinstance(error.value, ExportCancelled)
    assert leftovers(out) == []


@pytest.mark.skipif(os.name == "nt", reason="a shell script as ffmpeg")
def test_a_failing_encoder_leaves_an_existing_file_untouched(model, tmp_path, failing_ffmpeg):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "talk.mp4"
    target.write_bytes(b"old")
    with pytest.raises(ExportError):
        export(model, target, ExportOptions(size=SIZE, fps=5, steps="2-2", force=True))
    assert target.read_bytes() == b"old"
    assert leftovers(out) == ["talk.mp4"]


def test_bad_options_raise_before_anything_is_written(model, tmp_path):
    with pytest.raises(ValueError, match="even width and height"):
        export(model, tmp_path / "odd.mp4", ExportOptions(size=(321, 240), fps=5, steps="2-2"))
    with pytest.raises(ValueError, match="steps"):
        export(model, tmp_path / "far.mp4", ExportOptions(size=SIZE, fps=5, steps="30-31"))
    with pytest.raises(ValueError, match="no 'mask' step"):
        export(model, tmp_path / "mask.mp4", ExportOptions(size=SIZE, fps=5, from_kind="mask"))
    with pytest.raises(ValueError, match="head"):
        export(model, tmp_path / "head.mp4", ExportOptions(size=SIZE, fps=5, steps="2-2", head=1))
    with pytest.raises(ValueError, match="step: expected 1 to 26"):
        export(model, tmp_path / "far.png", ExportOptions(size=SIZE, still_step=26))
    assert leftovers(tmp_path) == []
