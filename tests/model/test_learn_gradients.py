"""The learning gradients are exact: they match central differences of the model's own α.

The finite differences go through the model (``set_param``, then ``trace.weights``)
and a cross-entropy written here, so they check explainer.model.learn against the
forward pass every panel shows, not against itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.model import AttentionModel, loss_and_gradients, make_target

# Small enough that softmax never saturates to 0 (log α stays finite) and the loss stays
# small (at most 5 over 1000 cases), which bounds the finite differences' round-off (below).
ELEMENTS = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, width=64)
# Central differences carry a round-off of about eps * loss / STEP and a truncation of
# about STEP**2 / 6 times the third derivative. With STEP 1e-6 the round-off (about
# 2e-10 * loss) alone used most of the tolerance near the floor (worst 8e-7 over 1000
# cases); with 1e-5 the worst relative error over 1000 cases was 4e-8, 20 times below.
STEP = 1e-5
RELATIVE = 1e-6
# Below this size a gradient entry is compared absolutely (to RELATIVE * FLOOR = 1e-9):
# a gradient that is exactly zero (dL/db_K always is) comes out as +-1e-11, not 0.
FLOOR = 1e-3


@dataclass
class Case:
    model: AttentionModel
    rows: dict[int, np.ndarray]  # as drawn, not normalised
    biases: bool


@st.composite
def cases(draw: st.DrawFn) -> Case:
    mode = draw(st.sampled_from(["self", "cross", "causal"]))
    n_q = draw(st.integers(1, 5))
    n_k = n_q if mode != "cross" else draw(st.integers(1, 5))
    d_model, d_k, n_heads = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    biases = draw(st.booleans())
    model = AttentionModel(
        [f"q{i}" for i in range(n_q)],
        None if mode != "cross" else [f"k{j}" for j in range(n_k)],
        d_model=d_model,
        d_k=d_k,
        n_heads=n_heads,
        causal=mode == "causal",
        scale=draw(st.booleans()),
    )
    names = ["x_q", "w_q", "w_k"] + (["x_kv"] if mode == "cross" else []) + (["b_q", "b_k"] if biases else [])
    for name in names:
        model.set_param(name, draw(hnp.arrays(np.float64, model.params[name].shape, elements=ELEMENTS)))
    heads = draw(st.sets(st.integers(0, n_heads - 1), min_size=1))
    visible = ~model.trace.mask
    rows = {}
    for head in sorted(heads):
        cells = draw(hnp.arrays(np.float64, (n_q, n_k), elements=st.floats(0.0, 1.0)))
        targeted = draw(hnp.arrays(bool, (n_q, 1)))
        rows[head] = cells * visible * targeted
    first = min(rows)
    if not np.any(rows[first]):
        rows[first][0, 0] = 1.0  # every mode lets query 0 see key 0
    return Case(model, rows, biases)


def cross_entropy(model: AttentionModel, rows: dict[int, np.ndarray]) -> float:
    """The mean over targeted rows of −Σ_j T_ij log α_ij, from the model's own weights."""
    weights = model.trace.weights
    total, count = 0.0, 0
    for head, array in rows.items():
        for i, row in enumerate(array):
            if row.sum() > 0:
                target = row / row.sum()
                seen = target > 0
                total -= float(np.sum(target[seen] * np.log(weights[head, i][seen])))
                count += 1
    return total / count


def central_difference(model: AttentionModel, rows: dict[int, np.ndarray], name: str) -> np.ndarray:
    original = np.array(model.params[name])
    result = np.zeros_like(original)
    for cell in np.ndindex(original.shape):
        losses = []
        for sign in (1.0, -1.0):
            moved = original.copy()
            moved[cell] += sign * STEP
            model.set_param(name, moved)
            losses.append(cross_entropy(model, rows))
        result[cell] = (losses[0] - losses[1]) / (2 * STEP)
    model.set_param(name, original)
    return result


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    return np.abs(analytic - numeric) / np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), FLOOR)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_gradients_match_central_differences(case: Case) -> None:
    model = case.model
    target = make_target(model, case.rows)
    loss, gradients = loss_and_gradients(model, target, biases=case.biases)
    assert loss == np.float64(loss)
    np.testing.assert_allclose(loss, cross_entropy(model, case.rows), rtol=1e-12, atol=1e-12)
    expected = {"w_q", "w_k", "b_q", "b_k"} if case.biases else {"w_q", "w_k"}
    assert set(gradients) == expected
    for name, analytic in gradients.items():
        assert analytic.shape == model.params[name].shape
        numeric = central_difference(model, case.rows, name)
        error = relative_error(analytic, numeric)
        worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
        assert error[worst] <= RELATIVE, (
            f"∂L/∂{name}{list(worst)}: analytic {analytic[worst]!r}, numeric {numeric[worst]!r}"
        )
        # Heads without a target do not learn: their gradient is exactly zero.
        for head in range(model.n_heads):
            if head not in target.heads:
                assert np.all(analytic[head] == 0.0)
