"""For every test folder: keep the cyclic GC's sweeps after a window closes short; the `korean` fixture."""

import gc
from collections.abc import Iterator

import pytest

from explainer.i18n import set_language


def pytest_collection_finish(session):
    """Every test module is imported now: move what exists into the GC's permanent generation.

    Closing a window or an offscreen renderer runs the cyclic GC at once, so the
    Python side of its deleted widgets is freed at a quiet moment, not inside
    pyqtgraph building the next window's items (that crashed the interpreter).
    Frozen, the libraries loaded so far (Qt, NumPy, pyqtgraph) are not walked
    again by each of those sweeps: 70 ms each becomes about 10.
    """
    gc.freeze()


@pytest.fixture
def korean() -> Iterator[None]:
    """The program in Korean for one test, English again after it."""
    set_language("ko")
    try:
        yield
    finally:
        set_language("en")
