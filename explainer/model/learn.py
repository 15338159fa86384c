"""Learn it live: gradient descent on W_Q and W_K until α shows a target pattern.

The target (:mod:`~explainer.model.learn_target`) says which keys each query should
attend to; the loss and its exact gradients are in :mod:`~explainer.model.learn_gradients`;
this module runs the descent, scrambles the weights to start from, and is the one to
import from. W_V, b_V and W_O never change.

Every iteration's new weights go into the model with :func:`apply_params`: one
ordinary edit (one recompute, one ``changed``), so panels, undo and export follow.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

import numpy as np

from ..i18n import _
from . import limits
from .attention import AttentionModel
from .learn_gradients import (
    WEIGHTS,
    LossAndGradients,
    Problem,
    attention_loss,
    evaluate,
    loss_and_gradients,
    param_copy,
    prepare,
)
from .learn_target import (
    PRESET_PATTERNS,
    AttentionTarget,
    ModelLike,
    Pairs,
    make_target,
    merge_targets,
    preset_target,
    target_from_pairs,
)

# Targets, loss and gradients live in learn_target and learn_gradients; import them from here.
__all__ = [
    "DEFAULT_ITERATIONS",
    "DEFAULT_LEARNING_RATE",
    "PRESET_PATTERNS",
    "AttentionTarget",
    "LearnStep",
    "LossAndGradients",
    "ModelLike",
    "Pairs",
    "apply_params",
    "attention_loss",
    "descend",
    "learning_step",
    "loss_and_gradients",
    "make_target",
    "merge_targets",
    "preset_target",
    "scramble",
    "target_from_pairs",
]

# Measured on the four presets' intended patterns from 50 scrambled starts each
# (tests/model/test_learn.py): at 0.2 the pattern appears after a median of 14 to 74
# iterations and at most 197 (seed-causal): at 60 iterations a second the class sees
# it emerge over a second or two, and DEFAULT_ITERATIONS leaves margin. The loss fell
# at every step for rates up to 5.
DEFAULT_LEARNING_RATE = 0.2
DEFAULT_ITERATIONS = 300

# A target some draw has to miss: one that is met whatever W_Q and W_K are (a single
# visible key) would otherwise loop forever.
_SCRAMBLE_ATTEMPTS = 100


@dataclasses.dataclass(frozen=True, eq=False)
class LearnStep:
    """One iteration of gradient descent: what a caption and a loss curve show.

    Attributes
    ----------
    iteration : int
        Counted from 1.
    loss : float
        The loss at the new parameters: what the panels show once they are applied.
    loss_before : float
        The loss at the parameters the step started from.
    gradient_norms : Mapping[str, float]
        The Frobenius norm of ∂loss/∂p at the start of the step, for each learned p.
    largest_change : float
        The largest |change| of any one learned number in this step.
    largest_change_at : tuple of (str, tuple of int)
        Which parameter and cell changed most, e.g. ``("w_k", (0, 2, 1))``.
    params : Mapping[str, numpy.ndarray]
        The new read-only arrays (``w_q``, ``w_k``, and ``b_q``, ``b_k`` when the
        biases learn), in full shape; give them to :func:`apply_params`.
    learned : bool
        Whether, at the new parameters, every targeted row's largest α is on a target key.
    """

    iteration: int
    loss: float
    loss_before: float
    gradient_norms: Mapping[str, float]
    largest_change: float
    largest_change_at: tuple[str, tuple[int, ...]]
    params: Mapping[str, np.ndarray]
    learned: bool


def _checked_rate(learning_rate: object) -> float:
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.number)):
        raise ValueError(
            _("learning_rate: expected a number > 0, got {value}").format(value=repr(learning_rate))
        )
    rate = float(learning_rate)
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(
            _("learning_rate: expected a finite number > 0, got {value}").format(value=repr(learning_rate))
        )
    return rate


def _step(
    problem: Problem,
    params: Mapping[str, np.ndarray],
    gradients: Mapping[str, np.ndarray],
    rate: float,
    iteration: int,
) -> tuple[dict[str, np.ndarray], float, tuple[str, tuple[int, ...]]]:
    """New parameters, the largest change and where it was; refuses a run that diverged."""
    new = dict(params)
    largest = -1.0
    where: tuple[str, tuple[int, ...]] = (problem.names[0], ())
    for name in problem.names:
        change = rate * gradients[name]
        new[name] = params[name] - change
        if not np.all(np.abs(new[name]) <= limits.MAX_ABS_VALUE):  # also catches NaN and inf
            raise ValueError(
                _(
                    "learning rate {rate} is too large: {name} left ±{limit} "
                    "at iteration {iteration}; try a smaller one"
                ).format(rate=f"{rate:g}", name=name, limit=f"{limits.MAX_ABS_VALUE:g}", iteration=iteration)
            )
        cell = np.unravel_index(int(np.argmax(np.abs(change))), change.shape)
        if abs(change[cell]) > largest:
            largest, where = float(abs(change[cell])), (name, tuple(int(i) for i in cell))
    return new, largest, where


def _record(
    problem: Problem,
    iteration: int,
    losses: tuple[float, float],
    gradients: Mapping[str, np.ndarray],
    change: tuple[float, tuple[str, tuple[int, ...]]],
    new: Mapping[str, np.ndarray],
    learned: bool,
) -> LearnStep:
    frozen = {}
    for name in problem.names:
        frozen[name] = new[name].copy()
        frozen[name].flags.writeable = False
    return LearnStep(
        iteration=iteration,
        loss=losses[1],
        loss_before=losses[0],
        gradient_norms=MappingProxyType({n: float(np.linalg.norm(gradients[n])) for n in problem.names}),
        largest_change=change[0],
        largest_change_at=change[1],
        params=MappingProxyType(frozen),
        learned=learned,
    )


def descend(
    source: ModelLike,
    target: AttentionTarget,
    *,
    learning_rate: float = DEFAULT_LEARNING_RATE,
    iterations: int = DEFAULT_ITERATIONS,
    biases: bool = False,
) -> Iterator[LearnStep]:
    """Run gradient descent from ``source``'s weights; yield one :class:`LearnStep` per iteration.

    The model is not touched: apply a step with ``apply_params(model, step.params)``
    (a notebook may apply only the last one). Each iteration costs one forward and
    one backward pass. To honour edits made between iterations (the GUI's pause,
    a changed learning rate), call :func:`learning_step` on the model instead.

    Parameters
    ----------
    source : AttentionModel, ModelState or Trace
        Where to start.
    target : AttentionTarget
        What α should become; its heads are the heads that learn.
    learning_rate : float
        The step size, > 0.
    iterations : int
        How many steps, ≥ 0.
    biases : bool
        Let b_Q and b_K learn too (W_V, b_V and W_O never do).

    Raises
    ------
    ValueError
        A bad learning rate or count, a target that does not fit the model, or
        weights that left ±1e6 (the learning rate was too large).
    """
    rate = _checked_rate(learning_rate)
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations < 0:
        raise ValueError(
            _("iterations: expected a whole number >= 0, got {value}").format(value=repr(iterations))
        )
    problem, params = prepare(source, target, biases)
    return _iterate(problem, params, rate, int(iterations))


def _iterate(
    problem: Problem, params: dict[str, np.ndarray], rate: float, iterations: int
) -> Iterator[LearnStep]:
    loss, gradients, _met = evaluate(problem, params)
    for iteration in range(1, iterations + 1):
        new, largest, where = _step(problem, params, gradients, rate, iteration)
        new_loss, new_gradients, met = evaluate(problem, new)
        yield _record(problem, iteration, (loss, new_loss), gradients, (largest, where), new, met)
        params, loss, gradients = new, new_loss, new_gradients


def learning_step(
    source: ModelLike,
    target: AttentionTarget,
    *,
    learning_rate: float = DEFAULT_LEARNING_RATE,
    biases: bool = False,
    iteration: int = 1,
) -> LearnStep:
    """One gradient step from ``source``'s current weights (``iteration`` only labels it).

    Stateless, for a GUI that applies each step to the model and may be paused,
    edited or given a new learning rate between steps.
    """
    step = next(descend(source, target, learning_rate=learning_rate, iterations=1, biases=biases))
    return dataclasses.replace(step, iteration=iteration)


def scramble(
    source: ModelLike,
    seed: int,
    *,
    heads: Iterable[int] | None = None,
    avoid: AttentionTarget | None = None,
) -> dict[str, np.ndarray]:
    """Random W_Q and W_K to start learning from, reproducible by ``seed``.

    Each head's new W_Q (and W_K) has the root-mean-square of the old one, so the
    scores keep the preset's range; numbers are rounded to 2 decimals as shown.
    Only ``heads`` (all by default) are scrambled. With ``avoid``, draws that
    already show that target's pattern are drawn again (the class should see it
    emerge, not find it there). Apply with :func:`apply_params`.
    """
    state = source.state if isinstance(source, AttentionModel) else source
    old = {name: param_copy(state, name) for name in WEIGHTS}
    n_heads = old["w_q"].shape[0]
    given = list(range(n_heads) if heads is None else heads)
    if not given or any(
        isinstance(h, bool) or not isinstance(h, (int, np.integer)) or not 0 <= h < n_heads for h in given
    ):
        raise ValueError(
            _("heads: expected one or more heads from 0 to {last}, got {given}").format(
                last=n_heads - 1, given=given
            )
        )
    chosen = sorted({int(h) for h in given})
    problem = None if avoid is None else prepare(state, avoid, biases=False)
    rng = np.random.default_rng(limits.check_seed(seed))
    for _attempt in range(_SCRAMBLE_ATTEMPTS):
        weights = {name: array.copy() for name, array in old.items()}
        for head in chosen:
            for name in WEIGHTS:
                rms = float(np.sqrt(np.mean(old[name][head] ** 2))) or 1.0 / math.sqrt(old[name].shape[1])
                weights[name][head] = np.round(rng.normal(0.0, rms, old[name][head].shape), 2)
        if problem is None or not evaluate(problem[0], {**problem[1], **weights})[2]:
            break
    return weights


def apply_params(model: AttentionModel, params: Mapping[str, np.ndarray]) -> None:
    """Put new parameter arrays into ``model`` as one edit: one recompute, one ``changed``.

    Everything is checked first, so a refused array leaves the model as it was.
    """
    for name, array in params.items():
        if name not in model.params:
            raise ValueError(
                _("unknown parameter {name}; expected one of {names}").format(
                    name=repr(name), names=", ".join(limits.PARAM_NAMES)
                )
            )
        if np.shape(array) != model.params[name].shape:
            raise ValueError(
                _("{name}: expected shape {shape}, got {given}").format(
                    name=name, shape=model.params[name].shape, given=np.shape(array)
                )
            )
        limits.check_array(name, np.asarray(array, dtype=np.float64))
    with model.batch():
        for name, array in params.items():
            model.set_param(name, array)
