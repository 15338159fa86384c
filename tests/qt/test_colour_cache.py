"""The colour scales' memory: found again for frozen arrays, never keeping an array alive."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from explainer.qt import colour_cache
from explainer.qt.style import LIGHT, ColorScale


def frozen(seed: int, shape: tuple[int, ...] = (16, 64, 64)) -> np.ndarray:
    array = np.random.default_rng(seed).normal(size=shape)
    array.flags.writeable = False
    return array


@pytest.fixture
def conversions(monkeypatch) -> list[int]:
    seen: list[int] = []
    convert = ColorScale._convert

    def counting(self, values):
        seen.append(values.size)
        return convert(self, values)

    monkeypatch.setattr(ColorScale, "_convert", counting)
    return seen


def test_a_coloured_array_is_not_kept_alive(conversions) -> None:
    scale = ColorScale(LIGHT.diverging, -3.0, 3.0)
    weights = frozen(1)
    scale.rgba(weights[3])  # a view: the whole 16-head array is its memory
    alive = weakref.ref(weights)
    del weights
    gc.collect()
    assert alive() is None


def test_colours_are_found_again_by_address_and_by_place(conversions) -> None:
    scale = ColorScale(LIGHT.diverging, -3.0, 3.0)
    weights = frozen(2)
    first = scale.rgba(weights[5])
    assert np.array_equal(scale.rgba(weights[5]), first) and len(conversions) == 1  # same memory
    edited = np.array(weights)
    edited[0, 0, 0] = 2.5  # another head edited: head 5 holds the numbers it held
    edited.flags.writeable = False
    assert np.array_equal(scale.rgba(edited[5]), first) and len(conversions) == 1  # same place, same numbers
    assert not np.array_equal(scale.rgba(edited[0]), scale._convert(weights[0]))


def test_an_address_reused_by_new_numbers_is_not_mistaken_for_the_old_ones() -> None:
    scale = ColorScale(LIGHT.diverging, -3.0, 3.0)
    for seed in range(20):  # freed arrays' memory is reused: each must get its own colours
        values = frozen(seed, (64, 64))
        assert np.array_equal(scale.rgba(values), scale._convert(values))
        del values
        gc.collect()
    assert len(colour_cache.RGBA._found) <= colour_cache.ENTRIES


def test_finalizers_stay_one_per_entry_however_long_the_session() -> None:
    """An array that lives long and is coloured again and again gains no finalizer per colouring."""
    before = len(weakref.finalize._registry)  # type: ignore[attr-defined]
    values = frozen(7, (64, 64))
    for k in range(3000):
        ColorScale(LIGHT.diverging, -3.0 - k * 0.001, 3.0).rgba(values)  # the bound moves each edit
    grown = len(weakref.finalize._registry) - before  # type: ignore[attr-defined]
    assert grown <= colour_cache.ENTRIES
