"""The lecture's other pictures as data: where attention lives, and RNN steps against attention. Never Qt.

A scene is a :class:`SceneTimeline` of captioned steps over elements a view
draws by id: the architecture scene's :class:`Diagram` blocks and arrows, and
the RNN scene's vectors (:func:`rnn_element_ids`). Each attention block has a
:class:`Door`; :func:`door_document` opens it as an ordinary document. The diagrams' words are
English constants marked for the catalogues; a view shows them through
:func:`block_label`, :func:`door_title` and their siblings, in the language in use.
"""

from .architecture import architecture_timeline
from .architecture_diagrams import ARCHITECTURE_DIAGRAMS, TITLE_SPACE, block_by_id, diagram_by_id, door_blocks
from .diagram import SCENE_HEIGHT, SCENE_WIDTH, Arrow, Block, BlockKind, Diagram, Door, DoorMode
from .doors import DOOR_PRESET, door_document
from .labels import arrow_label, block_detail, block_label, diagram_subtitle, diagram_title, door_title
from .registry import SCENE_NAMES, scene_timeline
from .rnn import RnnNumbers, rnn_element_ids, rnn_numbers, rnn_states, rnn_timeline, subscript
from .timeline import SceneFrame, SceneStep, SceneTimeline
from .timing import SIZES, TimingPoint, format_seconds, measure_timings, timing_caption

__all__ = [
    "ARCHITECTURE_DIAGRAMS",
    "DOOR_PRESET",
    "SCENE_HEIGHT",
    "SCENE_NAMES",
    "SCENE_WIDTH",
    "SIZES",
    "TITLE_SPACE",
    "Arrow",
    "Block",
    "BlockKind",
    "Diagram",
    "Door",
    "DoorMode",
    "RnnNumbers",
    "SceneFrame",
    "SceneStep",
    "SceneTimeline",
    "TimingPoint",
    "architecture_timeline",
    "arrow_label",
    "block_by_id",
    "block_detail",
    "block_label",
    "diagram_by_id",
    "diagram_subtitle",
    "diagram_title",
    "door_blocks",
    "door_document",
    "door_title",
    "format_seconds",
    "measure_timings",
    "rnn_element_ids",
    "rnn_numbers",
    "rnn_states",
    "rnn_timeline",
    "scene_timeline",
    "subscript",
    "timing_caption",
]
