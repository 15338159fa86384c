"""Each GIF image's own display time, written into the file ffmpeg made.

ffmpeg's GIF muxer gives every image the same delay (1/fps) and the last one
the one before it's, so a held picture would have to be repeated image after
image, and a looping GIF jumps back 0.03 s after reaching its last frame. The
writer sends a held picture once and, once ffmpeg is done, sets each image's
delay here: the GIF format keeps it in two bytes of the graphic control
extension before each image (GIF89a, section 23), so it changes in place.
"""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from itertools import accumulate, pairwise
from pathlib import Path

from ..i18n import _
from .errors import ExportError

__all__ = ["delays", "read_delays", "set_delays"]

TRAILER, EXTENSION, IMAGE = 0x3B, 0x21, 0x2C
GRAPHIC_CONTROL = 0xF9
MAX_DELAY = 0xFFFF  # hundredths of a second: the field is 16 bits


def delays(frames: Sequence[int], fps: float) -> list[int]:
    """Delays in hundredths of a second of images lasting ``frames[i]`` frames each at ``fps``.

    Rounded on the running clock rather than image by image, so the total stays
    the video's length: three images of one frame at 30 fps get 3, 4, 3.
    """
    ticks = [round(100 * frame / fps) for frame in accumulate(frames, initial=0)]
    return [min(MAX_DELAY, b - a) for a, b in pairwise(ticks)]


def _control_extensions(data: mmap.mmap | bytes) -> list[int]:
    """Where each image's delay field is: one graphic control extension before every image."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ExportError(_("GIF export failed: ffmpeg's output is not a GIF"))
    pos = 13
    if data[10] & 0x80:  # global colour table
        pos += 3 << ((data[10] & 7) + 1)
    fields: list[int] = []
    pending: int | None = None
    while pos < len(data) and data[pos] != TRAILER:
        if data[pos] == EXTENSION:
            if data[pos + 1] == GRAPHIC_CONTROL:
                pending = pos + 4  # introducer, label, block size 4, packed fields, then the delay
            pos = _skip_sub_blocks(data, pos + 2)
        elif data[pos] == IMAGE:
            if pending is None:
                raise ExportError(
                    _("GIF export failed: image {number} has no delay of its own").format(
                        number=len(fields) + 1
                    )
                )
            fields.append(pending)
            pending = None
            packed = data[pos + 9]
            pos += 10 + ((3 << ((packed & 7) + 1)) if packed & 0x80 else 0)  # local colour table
            pos = _skip_sub_blocks(data, pos + 1)  # after the LZW minimum code size
        else:
            raise ExportError(
                _("GIF export failed: unexpected byte {byte} at {offset} in ffmpeg's GIF").format(
                    byte=f"{data[pos]:#04x}", offset=pos
                )
            )
    return fields


def _skip_sub_blocks(data: mmap.mmap | bytes, pos: int) -> int:
    """The position after the data sub-blocks starting at ``pos`` (ended by a zero length)."""
    while data[pos]:
        pos += data[pos] + 1
    return pos + 1


def set_delays(path: Path, hundredths: Sequence[int]) -> None:
    """Give image ``i`` of the GIF at ``path`` the delay ``hundredths[i]``, in place.

    Raises
    ------
    ExportError
        If the file does not have exactly one image per delay, each with its
        graphic control extension (what ffmpeg writes).
    """
    with open(path, "r+b") as gif, mmap.mmap(gif.fileno(), 0) as data:
        fields = _control_extensions(data)
        if len(fields) != len(hundredths):
            raise ExportError(
                _("GIF export failed: ffmpeg wrote {images} images for {pictures} pictures").format(
                    images=len(fields), pictures=len(hundredths)
                )
            )
        for field, delay in zip(fields, hundredths, strict=True):
            data[field : field + 2] = int(delay).to_bytes(2, "little")
        data.flush()


def read_delays(path: Path) -> list[int]:
    """Each image's delay in hundredths of a second, as :func:`set_delays` left them."""
    data = Path(path).read_bytes()
    return [int.from_bytes(data[field : field + 2], "little") for field in _control_extensions(data)]
