"""The head view (issue 16): BertViz-style lines from every query to every key, one colour per head.

:class:`HeadViewPage` is the window's page (a caption and the view, following the
model); :class:`HeadView` the drawing; :func:`export_head_view` writes it as a
PNG or SVG still or as a video hovering through the tokens.
"""

from .colours import HEAD_COLOURS, head_colour
from .export import (
    export_head_view,
    head_view_frame_count,
    head_view_frames,
    save_head_view_png,
    save_head_view_svg,
)
from .page import HeadViewPage, head_view_caption
from .view import DrawnLine, DrawnToken, HeadView, Side

__all__ = [
    "HEAD_COLOURS",
    "DrawnLine",
    "DrawnToken",
    "HeadView",
    "HeadViewPage",
    "Side",
    "export_head_view",
    "head_colour",
    "head_view_caption",
    "head_view_frame_count",
    "head_view_frames",
    "save_head_view_png",
    "save_head_view_svg",
]
