"""The diagrams' words in the language in use: looked up when they are drawn, not when built.

The diagrams are module constants built once, in English (their text marked for the
catalogues); a view draws ``block_label(block)`` rather than ``block.label``, so a
language chosen at run time shows the next time the scene is painted.
"""

from __future__ import annotations

from explainer.i18n import _

from .architecture_diagrams import DOOR_TITLES, SOURCE, TARGET, quoted
from .diagram import Arrow, Block, Diagram, Door

__all__ = ["arrow_label", "block_detail", "block_label", "diagram_subtitle", "diagram_title", "door_title"]


def diagram_title(diagram: Diagram) -> str:
    """``diagram.title`` in the language in use ("Transformer encoder–decoder")."""
    return _(diagram.title)


def diagram_subtitle(diagram: Diagram) -> str:
    """``diagram.subtitle`` in the language in use ("cross-attention only")."""
    return _(diagram.subtitle)


def block_label(block: Block) -> str:
    """``block.label`` in the language in use ("Cross-attention")."""
    return _(block.label)


def block_detail(block: Block) -> str:
    """``block.detail`` in the language in use ("" stays "": a block without a detail)."""
    return _(block.detail) if block.detail else ""


def arrow_label(arrow: Arrow) -> str:
    """``arrow.label`` in the language in use (the symbols "Q" and "K, V" are the same in every one)."""
    return _(arrow.label) if arrow.label else ""


def door_title(door: Door) -> str:
    """``door.title`` in the language in use; a door made elsewhere keeps its own title."""
    template = DOOR_TITLES.get(door.title)
    if template is None:
        return _(door.title) if door.title else ""
    return _(template).format(source=quoted(SOURCE), target=quoted(TARGET))
