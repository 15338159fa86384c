"""Easing functions: pure maps of [0, 1] onto [0, 1], fixed ends, monotone, clamped outside."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.animation import EASINGS, ease_in_out_cubic, ease_out_cubic, linear, smoothstep

FUNCTIONS = list(EASINGS.values())
IDS = list(EASINGS)
UNIT = st.floats(0.0, 1.0, allow_nan=False)
# x*x*(3-2x) and friends are rounded at every operation: allow a few ulps of wobble, nothing visible.
ULPS = 4 * 2.0**-52
PROPERTY = settings(max_examples=300, deadline=None, database=None)


def test_the_registry_names_the_public_functions():
    expected = {
        "linear": linear,
        "ease-in-out-cubic": ease_in_out_cubic,
        "ease-out-cubic": ease_out_cubic,
        "smoothstep": smoothstep,
    }
    assert expected == EASINGS


@pytest.mark.parametrize("easing", FUNCTIONS, ids=IDS)
def test_ends_are_fixed(easing):
    assert easing(0.0) == 0.0
    assert easing(1.0) == 1.0
    assert easing(0) == 0.0 and easing(1) == 1.0


@pytest.mark.parametrize("easing", FUNCTIONS, ids=IDS)
@pytest.mark.parametrize("outside", [-1e-12, -0.5, -3.0, -1e300, -math.inf])
def test_clamped_below_zero(easing, outside):
    assert easing(outside) == 0.0


@pytest.mark.parametrize("easing", FUNCTIONS, ids=IDS)
@pytest.mark.parametrize("outside", [1 + 1e-12, 1.5, 4.0, 1e300, math.inf])
def test_clamped_above_one(easing, outside):
    assert easing(outside) == 1.0


@pytest.mark.parametrize("easing", FUNCTIONS, ids=IDS)
@PROPERTY
@given(x=UNIT, y=UNIT)
def test_monotone_non_decreasing(easing, x, y):
    low, high = min(x, y), max(x, y)
    assert easing(low) <= easing(high) + ULPS


@pytest.mark.parametrize("easing", FUNCTIONS, ids=IDS)
@PROPERTY
@given(x=UNIT, step=st.floats(0.0, 1e-6))
def test_monotone_for_close_points(easing, x, step):
    y = min(1.0, x + step)
    assert easing(x) <= easing(y) + ULPS


@pytest.mark.parametrize("easing", FUNCTIONS, ids=IDS)
@PROPERTY
@given(x=st.floats(allow_nan=False))
def test_any_input_lands_in_the_unit_interval(easing, x):
    assert 0.0 <= easing(x) <= 1.0
    if x <= 0.0:
        assert easing(x) == 0.0
    if x >= 1.0:
        assert easing(x) == 1.0


@pytest.mark.parametrize("easing", FUNCTIONS, ids=IDS)
@PROPERTY
@given(xs=st.lists(UNIT, min_size=1, max_size=20))
def test_pure_same_input_same_output_in_any_order(easing, xs):
    first = [easing(x) for x in xs]
    second = [easing(x) for x in reversed(xs)][::-1]
    assert first == second
    assert xs == list(xs)  # inputs untouched


@pytest.mark.parametrize("easing", [ease_in_out_cubic, smoothstep], ids=["ease-in-out-cubic", "smoothstep"])
@PROPERTY
@given(x=UNIT)
def test_in_out_curves_are_symmetric(easing, x):
    assert easing(x) + easing(1.0 - x) == pytest.approx(1.0, abs=1e-12)


def test_shapes_differ_as_documented():
    assert ease_in_out_cubic(0.5) == 0.5 == smoothstep(0.5) == linear(0.5)
    assert ease_in_out_cubic(0.1) < linear(0.1) < ease_out_cubic(0.1)  # slow start vs fast start
    assert ease_in_out_cubic(0.9) > linear(0.9)  # slow end
    assert ease_out_cubic(0.9) > linear(0.9)  # gentle landing
