"""The lecture's scenes drawn with Qt: the architecture map and RNN steps against attention.

The data (diagrams, steps, numbers, timings) is :mod:`explainer.scenes`; these
views draw it, :class:`ScenePage` puts a caption above a view, and
:func:`render_scene_frame` paints a page offscreen for export.
"""

from .architecture_view import ArchitectureView
from .render import render_scene_frame
from .rnn_view import RnnView
from .scene_page import ScenePage
from .timing_chart import TimingChart
from .timing_worker import TimingWorker

__all__ = ["ArchitectureView", "RnnView", "ScenePage", "TimingChart", "TimingWorker", "render_scene_frame"]
