"""Where the architecture scene's camera looks, and the geometry of its arrows (no painting here)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF

from explainer.scenes.diagram import SCENE_HEIGHT, SCENE_WIDTH, Diagram
from explainer.scenes.timeline import SceneFrame

CAMERA_SHARE = 0.4  # the camera moves during the first 40% of a step, then holds


def camera_columns(diagrams: Sequence[Diagram], camera: str | None) -> tuple[float, float]:
    """The columns (left, width) in scene units that ``camera`` frames: one diagram's, or the whole scene."""
    for diagram in diagrams:
        if diagram.id == camera:
            return diagram.x, diagram.width
    return 0.0, SCENE_WIDTH


def camera_at(diagrams: Sequence[Diagram], frame: SceneFrame | None) -> tuple[float, float]:
    """The framed columns at ``frame``: from the previous step's framing to this step's, eased."""
    if frame is None:
        return 0.0, SCENE_WIDTH
    goal = camera_columns(diagrams, frame.step.camera)
    if frame.previous is None or frame.previous.camera == frame.step.camera:
        return goal
    start = camera_columns(diagrams, frame.previous.camera)
    u = min(1.0, frame.progress / CAMERA_SHARE)
    u = u * u * (3 - 2 * u)  # smoothstep: the move starts and lands softly
    return start[0] + (goal[0] - start[0]) * u, start[1] + (goal[1] - start[1]) * u


class Mapping:
    """Scene units → widget pixels: the framed columns fill ``area`` (x and y scaled apart)."""

    def __init__(
        self, area: QRectF, columns: tuple[float, float], rows: tuple[float, float] = (0, SCENE_HEIGHT)
    ):
        self.area, self.left, self.span = area, columns[0], columns[1]
        self.top = rows[0]
        self.sx = area.width() / self.span
        self.sy = area.height() / (rows[1] - rows[0])
        self.zoom = SCENE_WIDTH / self.span  # 1 for the whole scene, 3 for one diagram

    def x(self, x: float) -> float:
        return self.area.left() + (x - self.left) * self.sx

    def rect(self, x: float, y: float, width: float, height: float) -> QRectF:
        return QRectF(
            self.x(x), self.area.top() + (y - self.top) * self.sy, width * self.sx, height * self.sy
        )


def rows_of(diagrams: Sequence[Diagram], margin: float = 3.0) -> tuple[float, float]:
    """The scene rows the blocks use, with ``margin`` units around (the titles have their own band)."""
    blocks = [block for diagram in diagrams for block in diagram.blocks]
    if not blocks:
        return 0.0, SCENE_HEIGHT
    top = min(block.y for block in blocks) - margin
    return max(0.0, top), min(SCENE_HEIGHT, max(block.y + block.height for block in blocks) + margin)


def edge_point(rect: QRectF, towards: QPointF) -> QPointF:
    """Where the line from ``rect``'s centre to ``towards`` leaves ``rect``."""
    centre = rect.center()
    dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
    if dx == 0 and dy == 0:
        return centre
    scales = []
    if dx:
        scales.append(rect.width() / 2 / abs(dx))
    if dy:
        scales.append(rect.height() / 2 / abs(dy))
    s = min(1.0, *scales)
    return QPointF(centre.x() + dx * s, centre.y() + dy * s)


def arrow_ends(source: QRectF, target: QRectF) -> tuple[QPointF, QPointF]:
    """An arrow from ``source``'s edge to ``target``'s edge, along the line between their centres."""
    return edge_point(source, target.center()), edge_point(target, source.center())
