"""Captions that spell each step out with the trace's real numbers, by the teaching rules.

A student who redoes a caption's arithmetic from its printed numbers gets its
printed result; where rounding prevents that, the caption prints the values
it used and writes ≈. Nothing that matters hides behind "…": every entry up
to eight, and never the largest or the step's own. Masked keys are named as
masked, never written as 0.00 terms. The words are the lecture's: query, key,
value, attention weight α, head output (one head's α-weighted sum of values)
and output (after concatenating the heads and · W_O).
"""

from __future__ import annotations

from .dots import dot
from .printed import num, vec
from .softmax import softmax
from .stages import concat_heads, embed, mask, output_projection, project, scale
from .weighted import weighted_sum
from .words import kname, qname

__all__ = [
    "concat_heads",
    "dot",
    "embed",
    "kname",
    "mask",
    "num",
    "output_projection",
    "project",
    "qname",
    "scale",
    "softmax",
    "vec",
    "weighted_sum",
]
