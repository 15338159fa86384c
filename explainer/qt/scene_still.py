"""A scene's step as a still: a PNG of the page, or an SVG of the same drawing in vectors."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from explainer.export import atomic_target
from explainer.scenes import SceneFrame

from .application import APP_NAME
from .export_job import ExportOptions
from .scenes import ScenePage, render_scene_frame
from .svg_still import cjk_text_as_paths


def save_scene_still(page: ScenePage, frame: SceneFrame, out: Path, options: ExportOptions) -> Path:
    """Write ``frame`` of ``page`` to ``out`` (.png or .svg) at ``options.size``, atomically."""
    width, height = options.size
    image = render_scene_frame(page, frame, options.size, page.appearance)
    with atomic_target(out, options.force) as temp:
        if out.suffix.lower() == ".svg":
            generator = QSvgGenerator()
            generator.setFileName(str(temp))
            generator.setSize(QSize(width, height))
            generator.setViewBox(QRect(0, 0, width, height))
            generator.setTitle(APP_NAME)
            painter = QPainter(generator)
            page.render(painter, QPoint(0, 0))  # laid out at the export size by render_scene_frame
            painter.end()
            temp.write_text(cjk_text_as_paths(temp.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            picture = QImage(image.data, width, height, width * 3, QImage.Format.Format_RGB888)
            if not picture.save(str(temp)):  # the format follows the .png suffix
                raise ValueError(f"could not write {out.name}")
    return out
