"""One learning iteration (loss + gradients + update) on each preset, and the GUI's path.

Run with ``python -m pytest benchmarks/test_learn_bench.py --benchmark-only``. Target
(DESIGN.md): one iteration plus the repaint within one 60 Hz frame (16.7 ms); the
iteration alone should be far below it, leaving the frame to the repaint.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from explainer.model import (
    AttentionModel,
    LearnStep,
    apply_params,
    descend,
    learning_step,
    make_target,
    preset_target,
    scramble,
)

FRAME_MS = 1000 / 60
PRESETS = AttentionModel.preset_names()
# Far more than a benchmark calls: the run must not end while it is timed.
ENDLESS = 10**9


def scrambled(preset: str) -> AttentionModel:
    model = AttentionModel.from_preset(preset)
    apply_params(model, scramble(model, 0, avoid=preset_target(model, preset)))
    return model


@pytest.mark.parametrize("preset", PRESETS)
def test_one_iteration(benchmark, preset: str) -> None:
    """``next()`` on :func:`descend`: one forward pass, one backward pass, one update."""
    model = scrambled(preset)
    run: Iterator[LearnStep] = descend(model, preset_target(model, preset), iterations=ENDLESS)
    benchmark.extra_info["target_ms"] = FRAME_MS
    step = benchmark(lambda: next(run))
    assert step.loss < step.loss_before


@pytest.mark.parametrize("preset", PRESETS)
def test_one_iteration_applied_to_the_model(benchmark, preset: str) -> None:
    """What the GUI does per tick: a step from the model's weights, applied as one edit."""
    model = scrambled(preset)
    target = preset_target(model, preset)
    emitted: list[object] = []
    model.changed.connect(emitted.append)
    benchmark.extra_info["target_ms"] = FRAME_MS

    def tick() -> LearnStep:
        step = learning_step(model, target)
        apply_params(model, step.params)
        return step

    step = benchmark(tick)
    assert np.array_equal(model.params["w_q"], step.params["w_q"])
    assert len(emitted) >= 1  # one ``changed`` (one recompute) per tick


def test_one_iteration_bert_sized_head(benchmark) -> None:
    """One head of a BERT-sized layer (d_model 384, 12 heads of d_k 32, 32 tokens) learning the diagonal."""
    model = AttentionModel([f"t{i}" for i in range(32)], d_model=384, d_k=32, n_heads=12)
    run = descend(model, make_target(model, {3: np.eye(32)}), iterations=ENDLESS)
    benchmark.extra_info["target_ms"] = FRAME_MS
    step = benchmark(lambda: next(run))
    assert step.gradient_norms["w_q"] > 0
