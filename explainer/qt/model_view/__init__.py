"""BertViz's model view for a real checkpoint: every layer × head as a small α map, one click to open it.

:class:`ModelView` draws the thumbnails; :class:`ModelViewPage` adds the title line and
the hint and computes a run's attentions once per text; :mod:`.export` writes stills.
"""

from .export import render_model_view, save_model_view_png, save_model_view_svg
from .page import HINT, ModelViewPage, model_view_title
from .view import ModelView, Thumbnail

__all__ = [
    "HINT",
    "ModelView",
    "ModelViewPage",
    "Thumbnail",
    "model_view_title",
    "render_model_view",
    "save_model_view_png",
    "save_model_view_svg",
]
