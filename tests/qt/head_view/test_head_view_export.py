"""The head view exported: an SVG with one path per line, a PNG as the screen, an MP4 through the tokens."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from head_view_helpers import many_heads, visible

from explainer.export import decode, probe
from explainer.model import AttentionModel
from explainer.qt.head_view import (
    HEAD_COLOURS,
    export_head_view,
    head_view_frame_count,
    head_view_frames,
    save_head_view_png,
    save_head_view_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def stroked_paths(svg_path) -> list[tuple[str, float]]:
    """(stroke colour, stroke opacity) of every <path> drawn with a head's colour (a line)."""
    found = []

    def walk(element, stroke, opacity):
        stroke = element.get("stroke", stroke)
        opacity = float(element.get("stroke-opacity", opacity))
        if element.tag == f"{SVG}path" and stroke in HEAD_COLOURS and element.get("fill", "none") == "none":
            found.append((stroke, opacity))
        for child in element:
            walk(child, stroke, opacity)

    walk(ET.parse(svg_path).getroot(), None, 1.0)
    return found


def expected_lines(model, heads, query=None) -> list[tuple[int, int, int]]:
    t = model.trace
    rows = range(len(t.query_tokens)) if query is None else [query]
    return [
        (h, i, j)
        for h in heads
        for i in rows
        for j in range(len(t.key_tokens))
        if not t.mask[i, j] and visible(float(t.weights[h, i, j]))
    ]


@pytest.mark.parametrize("query", [None, 2])
def test_the_svg_has_one_path_per_line_in_its_head_colour_and_alpha(tmp_path, query):
    model = many_heads(12, 10, causal=True)
    heads = [0, 3, 7]
    out = save_head_view_svg(
        model,
        tmp_path / "heads.svg",
        (1280, 720),
        heads=heads,
        token=None if query is None else ("query", query),
    )
    paths = stroked_paths(out)
    lines = expected_lines(model, heads, query)
    assert len(paths) == len(lines)
    for head in heads:
        alphas = sorted(round(float(model.trace.weights[h, i, j]) * 255) for h, i, j in lines if h == head)
        drawn = sorted(round(opacity * 255) for colour, opacity in paths if colour == HEAD_COLOURS[head])
        assert drawn == alphas
    text = out.read_text(encoding="utf-8")
    assert "<polyline" not in text
    assert "shape-rendering" not in text.split(">", 2)[1], "lines keep their antialiasing"
    for word in model.query_tokens:
        assert re.search(rf">\s*{word}\s*<", text), f"{word} is text in the SVG"


def test_the_png_is_the_view_at_its_size(tmp_path):
    model = AttentionModel.from_preset("seed-translate")
    out = save_head_view_png(model, tmp_path / "heads.png", (1280, 720), theme="dark")
    info = probe(out)
    assert (info["width"], info["height"]) == (1280, 720)
    picture = decode(out)[0]
    assert tuple(picture[-2, 2]) == (0x15, 0x18, 0x1E), "the dark theme's background"


def test_the_video_hovers_through_every_token(tmp_path):
    model = AttentionModel.from_preset("seed-translate")
    fps, seconds = 10, 0.3
    out = export_head_view(model, tmp_path / "heads.mp4", size=(640, 360), fps=fps, seconds_per_token=seconds)
    count = head_view_frame_count(model, seconds, fps)
    assert count == 3 * (4 + 4)
    info = probe(out)
    assert info["frames"] == count
    assert (info["width"], info["height"]) == (640, 360)
    frames = decode(out).astype(int)
    held = [frames[k * 3 : (k + 1) * 3] for k in range(8)]
    assert all(np.abs(clip - clip[0]).mean() < 0.1 for clip in held), "each token is held still"
    firsts = [clip[0] for clip in held]
    assert all(np.abs(a - b).mean() > 0.5 for a, b in itertools.pairwise(firsts)), "the next token"


def test_the_frames_match_their_count(tmp_path):
    model = AttentionModel.from_preset("seed-causal")
    frames = list(head_view_frames(model, (480, 270), heads=[0, 1], seconds_per_token=0.1, fps=20))
    assert len(frames) == head_view_frame_count(model, 0.1, 20) == 2 * 12
    assert frames[0].shape == (270, 480, 3)


def test_bad_options_write_nothing(tmp_path):
    model = AttentionModel.from_preset("seed-self")
    with pytest.raises(ValueError, match="extension"):
        export_head_view(model, tmp_path / "heads.txt")
    with pytest.raises(ValueError, match="even"):
        export_head_view(model, tmp_path / "heads.mp4", size=(641, 360))
    with pytest.raises(ValueError, match="heads"):
        export_head_view(model, tmp_path / "heads.png", heads=[3])
    existing = tmp_path / "old.png"
    existing.write_bytes(b"old")
    with pytest.raises(ValueError, match="exists"):
        export_head_view(model, existing)
    assert existing.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.png"]


def test_a_size_too_short_for_every_word_is_refused_and_says_what_fits(tmp_path):
    model = AttentionModel([f"w{k}" for k in range(64)], d_model=32, d_k=4, n_heads=8)  # the limit
    for name in ("short.png", "short.svg", "short.mp4"):
        with pytest.raises(ValueError, match=r"size 640x360: .* cut off \d+ of its 128 words") as refused:
            export_head_view(model, tmp_path / name, size=(640, 360))
    assert list(tmp_path.iterdir()) == [], "nothing written"
    needed = int(re.search(r"at least (\d+)", str(refused.value)).group(1))
    with pytest.raises(ValueError, match="cut off"):
        export_head_view(model, tmp_path / "short.png", size=(640, needed - 10))
    export_head_view(model, tmp_path / "fits.png", size=(640, needed))  # the height it names is enough
    export_head_view(model, tmp_path / "720p.png", size=(1280, 720))  # squeezed, every word on it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["720p.png", "fits.png"]
