"""Captions spell each step out with the trace's real numbers, written with a real minus sign."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from explainer.animation import DETAIL_MODES, Timeline
from explainer.model import AttentionModel

NUMBER = r"−?\d+\.\d\d"


def fmt(x: float) -> str:
    """How a caption writes a number: two decimals, Unicode minus, no negative zero."""
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text.replace("-", "−")


def value(text: str) -> float:
    return float(text.replace("−", "-"))


def cell_step(timeline: Timeline, kind: str, head: int, query: int, key: int | None):
    (step,) = [s for s in timeline.steps if (s.kind, s.head, s.query, s.key) == (kind, head, query, key)]
    return step


def test_dot_caption_spells_out_the_dot_product(translate):
    tr = translate
    i, j = tr.query_tokens.index("hate"), tr.key_tokens.index("kirai")
    caption = cell_step(Timeline.from_trace(tr, detail="full"), "dot", 0, i, j).caption
    assert "score(hate, kirai) = q·k" in caption
    assert caption.endswith(f"= {fmt(tr.scores[0, i, j])}")
    # d_k = 4: every product q_d × k_d is written out, and they add up to the score;
    # a negative q_d reads as a minus between terms ("… − 0.94×(−0.13)"), never "+ −".
    assert "+ −" not in caption
    expr = caption.split("q·k = ", 1)[1].rsplit(" = ", 1)[0]
    terms = re.findall(rf"(?:^|([+−]) )({NUMBER})×\(?({NUMBER})\)?", expr)
    assert len(terms) == tr.d_k
    signed = [(-value(a) if sign == "−" else value(a), value(b)) for sign, a, b in terms]
    for (a, b), q, k in zip(signed, tr.q[0, i], tr.k[0, j], strict=True):
        assert (fmt(a), fmt(b)) == (fmt(q), fmt(k))
    assert sum(a * b for a, b in signed) == pytest.approx(tr.scores[0, i, j], abs=0.1)


def test_softmax_caption_quotes_scaled_score_row_sum_and_weight(translate):
    tr = translate
    i, j = tr.query_tokens.index("hate"), tr.key_tokens.index("kirai")
    caption = cell_step(Timeline.from_trace(tr, detail="full"), "softmax", 0, i, j).caption
    match = re.fullmatch(rf"α\(hate, kirai\) = e\^({NUMBER}) / ({NUMBER}) = ({NUMBER})", caption)
    assert match, caption
    exponent, total, weight = match.groups()
    assert exponent == fmt(tr.scaled[0, i, j])
    assert total == fmt(np.exp(tr.masked[0, i]).sum())
    assert weight == fmt(tr.weights[0, i, j])
    # The preset's point: "hate" attends mostly to "kirai".
    assert int(np.argmax(tr.weights[0, i])) == j


@pytest.mark.parametrize("name", ["seed-translate", "seed-cross", "seed-self", "seed-causal"])
def test_every_cell_caption_ends_with_its_number(name):
    tr = AttentionModel.from_preset(name).trace
    for step in Timeline.from_trace(tr, detail="full").steps:
        h, i, j = step.head, step.query, step.key
        if step.kind == "dot":
            assert step.caption.endswith(f"= {fmt(tr.scores[h, i, j])}"), step
        elif step.kind == "softmax" and not tr.mask[i, j]:
            assert step.caption.endswith(f"= {fmt(tr.weights[h, i, j])}"), step
            assert f"e^{fmt(tr.masked[h, i, j])} / " in step.caption, step
        elif step.kind == "weighted_sum":
            share = tr.weights[h, i, j] * tr.v[h, j]
            assert f"= {fmt(tr.weights[h, i, j])} × [" in step.caption, step
            assert step.caption.endswith(
                ", ".join(fmt(x) for x in share[:4]) + ("]" if tr.d_v <= 4 else ", …]")
            )


@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_negative_numbers_use_the_unicode_minus(preset_trace, detail):
    captions = [s.caption for s in Timeline.from_trace(preset_trace, detail=detail).steps]
    for caption in captions:
        assert not re.search(r"-\d", caption), caption
        assert "nan" not in caption.lower(), caption


def test_a_negative_score_is_written_with_the_unicode_minus(translate):
    tr = translate
    i, j = np.argwhere(tr.scores[0] < -0.01)[0]
    caption = cell_step(Timeline.from_trace(tr, detail="full"), "dot", 0, int(i), int(j)).caption
    assert caption.endswith(f"= −{abs(tr.scores[0, i, j]):.2f}")


def test_masked_cells_say_they_are_masked(causal):
    tr = causal
    timeline = Timeline.from_trace(tr, detail="full")
    for step in (s for s in timeline.steps if s.kind == "softmax"):
        if tr.mask[step.query, step.key]:
            assert tr.weights[step.head, step.query, step.key] == 0
            assert "= 0:" in step.caption and "masked" in step.caption, step


def test_scale_caption_quotes_root_dk_and_a_scaled_score(preset_trace):
    tr = preset_trace
    for step in (s for s in Timeline.from_trace(tr).steps if s.kind == "scale"):
        assert f"√{tr.d_k} = {fmt(math.sqrt(tr.d_k))}" in step.caption
        before, after = re.search(rf"({NUMBER}) → ({NUMBER})\.$", step.caption).groups()
        visible = np.abs(np.where(tr.mask, 0.0, tr.scores[step.head]))
        assert abs(value(before)) == pytest.approx(visible.max(), abs=0.005)
        assert value(after) == pytest.approx(value(before) / math.sqrt(tr.d_k), abs=0.01)


def test_mask_caption_counts_the_masked_cells(causal):
    steps = [s for s in Timeline.from_trace(causal).steps if s.kind == "mask"]
    assert steps
    for step in steps:
        assert f"the {int(causal.mask.sum())} cells" in step.caption
        assert "−∞" in step.caption


def test_row_captions_quote_the_row(translate):
    tr = translate
    timeline = Timeline.from_trace(tr, detail="rows")
    for i, token in enumerate(tr.query_tokens):
        dot = cell_step(timeline, "dot", 0, i, None).caption
        assert f"q_{token} · k" in dot
        assert dot.endswith("[" + ", ".join(fmt(x) for x in tr.scores[0, i]) + "].")
        softmax = cell_step(timeline, "softmax", 0, i, None).caption
        assert "α = [" + ", ".join(fmt(x) for x in tr.weights[0, i]) + "]" in softmax
        assert softmax.endswith(f"sum = {fmt(tr.weights[0, i].sum())}.")
        total = cell_step(timeline, "weighted_sum", 0, i, None).caption
        assert total.startswith(f"out_{token} = Σ α·v")
        assert total.endswith("[" + ", ".join(fmt(x) for x in tr.context[0, i]) + "]")


def test_matrix_dot_caption_names_the_largest_score(translate):
    tr = translate
    step = next(s for s in Timeline.from_trace(tr, detail="matrix").steps if s.kind == "dot")
    i, j = np.unravel_index(np.argmax(tr.scores[0]), tr.scores[0].shape)
    assert "4 × 4 dot products" in step.caption
    assert f"score({tr.query_tokens[i]}, {tr.key_tokens[j]}) = {fmt(tr.scores[0, i, j])}" in step.caption


def test_head_prefix_only_with_several_heads(causal, translate):
    for step in Timeline.from_trace(causal).steps:
        if step.head is not None:
            assert step.caption.startswith(f"Head {step.head + 1}: "), step
    assert not any(s.caption.startswith("Head") for s in Timeline.from_trace(translate).steps)


def test_embed_projection_concat_and_output_captions(causal, translate):
    steps = Timeline.from_trace(causal).steps
    embed, concat, output = steps[0], steps[-2], steps[-1]
    assert f"d_model = {causal.d_model}" in embed.caption
    # "the" occurs twice in the causal preset, so captions name it by position: the₁
    assert f"{causal.query_tokens[0]}₁ = [{fmt(causal.x_q[0, 0])}, " in embed.caption
    assert f"{len(causal.query_tokens)} × {causal.n_heads * causal.d_v}" in concat.caption
    assert output.caption.endswith(", ".join(fmt(x) for x in causal.output[0, :4]) + ", …].")
    cross = Timeline.from_trace(translate).steps
    assert "I hate this movie" in cross[0].caption and "kono eiga ga kirai" in cross[0].caption
    project_k = next(s for s in cross if s.kind == "project_k")
    assert "K = X_kv · W_K" in project_k.caption
    assert project_k.caption.endswith("[" + ", ".join(fmt(x) for x in translate.k[0, 0]) + "]")


def test_repeated_tokens_are_named_by_position(causal):
    steps = Timeline.from_trace(causal, detail="full").steps
    step = next(s for s in steps if s.kind == "softmax" and s.query == 4 and s.key == 0)
    assert "α(the₅, the₁)" in step.caption


def test_masked_cells_take_no_softmax_or_weighted_sum_step_of_their_own(causal):
    timeline = Timeline.from_trace(causal, detail="full")
    for s in timeline.steps:
        if s.kind in ("softmax", "weighted_sum") and s.query is not None and s.key is not None:
            assert not causal.mask[s.query, s.key], s
    # …yet every weight appears: a masked one with the first visible cell of its row.
    final = timeline.state_at(timeline.duration)
    assert final.revealed["weights"].all() or (final.revealed["weights"] | final.appearing["weights"]).all()


def test_large_scores_are_shifted_by_the_row_max():
    model = AttentionModel(["a", "b"], d_model=2, d_k=1, scale=False)
    model.set_param("x_q", [[1.0, 0.0], [0.0, 1.0]])
    model.set_param("w_q", [[[10.0], [0.0]]])
    model.set_param("w_k", [[[10.0], [5.0]]])
    tr = model.trace
    assert tr.scores[0, 0].tolist() == [100.0, 50.0]
    timeline = Timeline.from_trace(tr, detail="full")
    for j in range(2):
        caption = cell_step(timeline, "softmax", 0, 0, j).caption
        match = re.fullmatch(
            rf"α\(a, {'ab'[j]}\) = e\^\(({NUMBER}) − ({NUMBER})\) / ({NUMBER}) = ({NUMBER})", caption
        )
        assert match, caption
        score, shift, total, weight = (value(x) for x in match.groups())
        assert (score, shift) == (tr.scores[0, 0, j], 100.0)
        assert total == pytest.approx(np.exp(tr.scores[0, 0] - 100.0).sum(), abs=0.005)
        assert weight == pytest.approx(tr.weights[0, 0, j], abs=0.005)
        assert "inf" not in caption
