"""A dot product's inputs beside the scores: q_i over k_j (or over every key's k for a row).

Shown in the presenter view during the dot-product steps, so the two vectors
the caption multiplies are on screen next to the score cell they make.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from explainer.animation.captions.dots import row_digits
from explainer.animation.captions.printed import num
from explainer.animation.captions.words import kname, qname
from explainer.i18n import _
from explainer.model import Trace

from ..items.matrix import MatrixItem
from ..style import Appearance, diverging_for_all

GAP = 1.6  # view units between q_i and the keys (room for the keys' title)


class DotRow:
    """q_i and the keys it meets, as two matrices in a panel's view box."""

    def __init__(self, appearance: Appearance, box: object) -> None:
        self.appearance = appearance
        self.query = MatrixItem(appearance)
        self.keys = MatrixItem(appearance)
        for item in (self.query, self.keys):
            box.addItem(item)  # type: ignore[attr-defined]

    def set_visible(self, visible: bool) -> None:
        self.query.setVisible(visible)
        self.keys.setVisible(visible)

    def draw(self, trace: Trace, head: int, query: int, key: int | None, left: float) -> QRectF:
        """q_query, then k_key (or every k when ``key`` is None), from ``left`` on; their extent."""
        q = trace.q[head, query][None, :]
        keys = trace.k[head] if key is None else trace.k[head, key][None, :]
        scale = diverging_for_all((trace.q[head], trace.k[head]), self.appearance.theme)
        # Written to the decimals the caption multiplies them with (two, or three where needed).
        digits = row_digits(trace, head, query) or 2

        def printed(rows: np.ndarray) -> list[list[str]]:
            return [[num(float(x), digits) for x in row] for row in rows]

        self.query.setPos(left, 0)
        self.query.set_content(
            q,
            scale.rgba(q),
            step_lit=np.ones_like(q, dtype=bool),
            title=f"q_{qname(trace, query)}",
            texts=printed(q),
        )
        names = trace.key_tokens if key is None else [kname(trace, key)]  # "the₁": as the caption names it
        self.keys.setPos(left, 1 + GAP)
        self.keys.set_content(
            keys,
            scale.rgba(keys),
            step_lit=np.ones_like(keys, dtype=bool) if key is not None else None,
            row_labels=names if key is None else (),
            title=_("· every k_j") if key is None else f"· k_{names[0]}",
            texts=printed(keys),
        )
        extent = QRectF()
        for item in (self.query, self.keys):
            extent = extent.united(item.mapRectToParent(item.boundingRect()))
        return extent
