"""Look inside an exported video with the bundled ffmpeg (no ffprobe ships with imageio-ffmpeg).

For tests and checks: what the codec, size and pixel format are, how many
frames there are (counted by decoding them all), and the frames themselves.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import shown
from .ffmpeg import ffmpeg_exe, local


def _split_top(text: str) -> list[str]:
    """Split ``text`` on commas outside parentheses: ``yuv420p(tv, bt709)`` stays one field."""
    fields, depth, current = [], 0, ""
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            fields.append(current.strip())
            current = ""
        else:
            current += char
    fields.append(current.strip())
    return fields


def probe(path: Path) -> dict[str, Any]:
    """Codec, size, pixel format, frame rate, exact frame count and duration of a video or image.

    Parameters
    ----------
    path : Path
        An MP4, GIF, PNG …

    Returns
    -------
    dict
        ``frames`` (int, counted by decoding), ``fps`` (float), ``duration``
        (float seconds: the end of the last decoded frame), ``width``,
        ``height`` (int), ``pix_fmt``, ``codec`` (str) of the first video stream.

    Raises
    ------
    ValueError
        If ffmpeg cannot read ``path`` or it has no video stream.
    """
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-i", local(path)]
    command += ["-map", "0:v:0", "-f", "null", "-progress", "pipe:1", "-"]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
    stream = re.search(r"Stream #0:\d+.*?: Video: (.*)", result.stderr)
    if result.returncode != 0 or stream is None:
        tail = "\n".join(result.stderr.strip().splitlines()[-3:])
        raise ValueError(f"cannot read a video from {shown(path)}: {tail}")
    fields = _split_top(stream[1])
    sizes = (re.match(r"(\d+)x(\d+)\b", field) for field in fields)
    size = next((found for found in sizes if found), None)
    # tbr is the stream's frame rate; "fps" is the average of a GIF's delays,
    # which are whole hundredths (30 fps is stored as 3, 3, 4 … and shown as 33.33).
    rate = re.search(r"([\d.]+)k? tbr", stream[1]) or re.search(r"([\d.]+)k? fps", stream[1])
    progress = dict(re.findall(r"^(\w+)=(.*)$", result.stdout, re.MULTILINE))
    duration = int(progress.get("out_time_us", "0") or 0) / 1e6
    if duration <= 0:
        found = re.search(r"Duration: (\d+):(\d+):([\d.]+)", result.stderr)
        duration = int(found[1]) * 3600 + int(found[2]) * 60 + float(found[3]) if found else 0.0
    return {
        "frames": int(progress.get("frame", "0")),
        "fps": float(rate[1]) if rate else 0.0,
        "duration": duration,
        "width": int(size[1]) if size else 0,
        "height": int(size[2]) if size else 0,
        "pix_fmt": fields[1].split("(")[0].strip() if len(fields) > 1 else "",
        "codec": fields[0].split()[0],
    }


def decode(path: Path) -> np.ndarray:
    """Every frame of a video (or a PNG), decoded to RGB: an ``(n, height, width, 3)`` uint8 array.

    A YUV video is converted back with the BT.709 matrix it is tagged with.
    """
    info = probe(path)
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", local(path)]
    command += ["-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        raise ValueError(f"cannot decode {shown(path)}: {result.stderr.decode(errors='replace').strip()}")
    return np.frombuffer(result.stdout, np.uint8).reshape(-1, info["height"], info["width"], 3)
