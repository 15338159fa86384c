"""Keep freed memory for reuse in the window's process (glibc only), instead of returning it at once.

A frame's NumPy arrays of 0.1–8 MB are freed and made again every frame. glibc
hands blocks over 128 KB back to the kernel as soon as they are freed (it raises
that bound only for a block size it has seen freed), and a new one is mapped
afresh: a page fault per 4 KB. The head view's hover drew with 3,900 faults,
half its time (15 ms → 8 ms without them). Blocks below 32 MB (glibc's largest
bound) now come from the heap, and it keeps up to 64 MB free at its top. At
8 MB the 8 MB W_Q of d_model 1024 was still mapped afresh: 276 faults an edit.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["keep_freed_memory"]

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_ABOVE = 32 << 20
TRIM_ABOVE = 64 << 20


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to reuse freed blocks; False where there is no glibc (nothing changes)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and other C libraries: their own malloc, left as it is
        return False
    # Setting one threshold turns off glibc's own adjustment of both, so both are set.
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_ABOVE)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_ABOVE))
