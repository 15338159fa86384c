"""Captions spell each step out with the trace's real numbers, written with a real minus sign."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from explainer.animation import DETAIL_MODES, Timeline
from explainer.model import AttentionModel

NUMBER = r"−?\d+\.\d\d\d?"  # two decimals, three where two would not add up


def fmt(x: float, digits: int = 2) -> str:
    """How a caption writes a number: two decimals, Unicode minus, no negative zero."""
    text = f"{x:.{digits}f}"
    return text.lstrip("-") if not text.strip("-0.") else text.replace("-", "−")


def value(text: str) -> float:
    return float(text.replace("−", "-"))


def rounds_to(x: float, text: str) -> bool:
    """``text`` is ``x`` rounded to the digits ``text`` has."""
    return abs(x - value(text)) <= 0.5 * 10 ** -len(text.split(".")[1]) + 1e-12


def final_number(caption: str) -> str:
    """The result a caption ends with: '… = 0.77', or '… ≈ 0.77 (from the unrounded numbers)'."""
    return re.findall(rf"[=≈] ({NUMBER})", caption)[-1]


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
        assert rounds_to(q, fmt(a, 3)) and rounds_to(k, fmt(b, 3))
    # The printed terms add up to the printed score, to its two decimals.
    assert fmt(sum(a * b for a, b in signed)) == fmt(tr.scores[0, i, j])


def test_a_dot_product_whose_rounded_terms_miss_gets_a_third_decimal(translate):
    """The issue's example: −0.16×1.26 + 0.59×0.61 − 0.94×1.05 + 0.87×0.53 gives −0.37, not −0.35."""
    tr = translate
    i, j = tr.query_tokens.index("I"), tr.key_tokens.index("eiga")
    caption = cell_step(Timeline.from_trace(tr, detail="full"), "dot", 0, i, j).caption
    assert caption == "score(I, eiga) = q·k = −0.160×1.257 + 0.593×0.614 − 0.936×1.049 + 0.873×0.532 = −0.35"
    assert fmt(-0.160 * 1.257 + 0.593 * 0.614 - 0.936 * 1.049 + 0.873 * 0.532) == "−0.35"


def test_softmax_caption_quotes_scaled_score_row_sum_and_weight(translate):
    tr = translate
    i, j = tr.query_tokens.index("hate"), tr.key_tokens.index("kirai")
    caption = cell_step(Timeline.from_trace(tr, detail="full"), "softmax", 0, i, j).caption
    # The denominator says what it is (Σ over the row of e^score) and spells out its terms.
    match = re.fullmatch(
        rf"α\(hate, kirai\) = e\^({NUMBER}) / Σ_j e\^s\(hate, j\)"
        rf" = ({NUMBER}) / \(((?:{NUMBER} \+ )*{NUMBER})\) = \2 / ({NUMBER}) = ({NUMBER})"
        rf" \(without the 1/√d_k scaling it would be ({NUMBER})\)",
        caption,
    )
    assert match, caption
    exponent, e_kirai, terms, total, weight, unscaled = match.groups()
    assert exponent == fmt(tr.scaled[0, i, j])
    terms = terms.split(" + ")
    assert len(terms) == len(tr.key_tokens) and terms[j] == e_kirai
    # Each term is e^(the printed scaled score), the sum is their sum, the weight their ratio.
    for term, score in zip(terms, tr.masked[0, i], strict=True):
        assert rounds_to(math.exp(value(fmt(score))), term)
    assert rounds_to(sum(value(t) for t in terms), total)
    assert rounds_to(value(e_kirai) / value(total), weight)
    assert weight == fmt(tr.weights[0, i, j])
    # The scale step's example cell: why scaling (0.97 unscaled: near one-hot), said where α is computed.
    row = tr.scores[0, i]
    assert unscaled == fmt(np.exp(row[j]) / np.exp(row).sum()) == "0.97"
    assert caption == (
        "α(hate, kirai) = e^2.05 / Σ_j e^s(hate, j)"
        " = 7.77 / (0.79 + 0.76 + 0.83 + 7.77) = 7.77 / 10.15 = 0.77"
        " (without the 1/√d_k scaling it would be 0.97)"
    )
    # The preset's point: "hate" attends mostly to "kirai".
    assert int(np.argmax(tr.weights[0, i])) == j


@pytest.mark.parametrize("name", ["seed-translate", "seed-cross", "seed-self", "seed-causal"])
def test_every_cell_caption_ends_with_its_number(name):
    tr = AttentionModel.from_preset(name).trace
    for step in Timeline.from_trace(tr, detail="full").steps:
        h, i, j = step.head, step.query, step.key
        if step.kind == "dot":
            assert rounds_to(tr.scores[h, i, j], final_number(step.caption)), step
        elif step.kind == "softmax" and not tr.mask[i, j]:
            assert rounds_to(tr.weights[h, i, j], final_number(re.sub(r" \([^()]*\)$", "", step.caption))), (
                step
            )
            assert re.search(rf"e\^{NUMBER} / ", step.caption), step
        elif step.kind == "weighted_sum" and not tr.mask[i, j]:
            alpha, shares = re.search(rf"= ({NUMBER}) × \[.*?\] = \[([^\]]*)\]", step.caption).groups()
            assert rounds_to(tr.weights[h, i, j], alpha), step
            share = tr.weights[h, i, j] * tr.v[h, j]
            assert all(rounds_to(x, s) for x, s in zip(share, shares.split(", "), strict=True)), step


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
    assert "-" not in caption


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
        root = re.search(rf"√{tr.d_k} = ({NUMBER})\.", step.caption).group(1)
        assert rounds_to(math.sqrt(tr.d_k), root)
        before, again, divisor, after = re.search(
            rf"({NUMBER}) → ({NUMBER}) / ({NUMBER}) = ({NUMBER})", step.caption
        ).groups()
        assert (again, divisor) == (before, root)
        # The example is the largest score the mask leaves visible …
        visible = np.where(tr.mask, -np.inf, tr.scores[step.head])
        assert rounds_to(visible.max(), before)
        # … and the division adds up from the printed numbers.
        assert rounds_to(value(before) / value(root), after)
        # Why: large scores push softmax towards one-hot. The weights with and without scaling
        # come at the softmax step, which computes them (nothing is shown before its step).
        assert "Dot products grow with d_k" in step.caption and "one-hot" in step.caption
        assert step.caption.endswith("; every gap between two scores shrinks by the same factor.")
        assert "α" not in step.caption


def test_mask_caption_counts_the_masked_cells(causal):
    steps = [s for s in Timeline.from_trace(causal).steps if s.kind == "mask"]
    assert steps
    for step in steps:
        assert f"the {int(causal.mask.sum())} cells" in step.caption
        assert "−∞" in step.caption
        # Why, not only what: a decoder generating text has no later words yet.
        assert "the later words do not exist yet" in step.caption
        assert "only at itself and the words before it" in step.caption


def test_row_captions_quote_the_row(translate):
    tr = translate
    timeline = Timeline.from_trace(tr, detail="rows")
    for i, token in enumerate(tr.query_tokens):
        dot = cell_step(timeline, "dot", 0, i, None).caption
        assert f"q_{token} · k" in dot
        assert dot.endswith("[" + ", ".join(fmt(x) for x in tr.scores[0, i]) + "].")
        softmax = cell_step(timeline, "softmax", 0, i, None).caption
        weights = [fmt(x) for x in tr.weights[0, i]]
        assert "= [" + ", ".join(weights) + "];" in softmax
        # What the printed weights add up to, said truthfully (1.01 is rounding, not an error).
        printed = fmt(sum(value(w) for w in weights))
        said = (
            "the weights add up to 1.00."
            if printed == "1.00"
            else f"unrounded, the weights add up to 1 (as printed, to {printed})."
        )
        assert said in softmax, softmax
        total = cell_step(timeline, "weighted_sum", 0, i, None).caption
        # The head output, every key's term in key order, and the finished row in full.
        terms = " + ".join(f"{fmt(a)}·v_{k}" for a, k in zip(tr.weights[0, i], tr.key_tokens, strict=True))
        assert total.startswith(f"head output of “{token}” = Σ_j α({token}, j)·v_j = {terms} = ")
        assert total.endswith("[" + ", ".join(fmt(x) for x in tr.context[0, i]) + "].")


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
    assert f"x_{causal.query_tokens[0]}₁ = [{fmt(causal.x_q[0, 0])}, " in embed.caption
    assert f"{len(causal.query_tokens)} × {causal.n_heads * causal.d_v}" in concat.caption
    assert "head outputs" in concat.caption
    # d_model = 6: the whole output row is written, no "…".
    assert output.caption.endswith("[" + ", ".join(fmt(x) for x in causal.output[0]) + "].")
    cross = Timeline.from_trace(translate).steps
    assert "I hate this movie" in cross[0].caption and "kono eiga ga kirai" in cross[0].caption
    project_k = next(s for s in cross if s.kind == "project_k")
    assert "K = X_kv · W_K" in project_k.caption
    assert project_k.caption.endswith("[" + ", ".join(fmt(x) for x in translate.k[0, 0]) + "].")


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
            rf"α\(a, {'ab'[j]}\) = e\^\(({NUMBER}) − ({NUMBER})\) / Σ_j e\^\(s\(a, j\) − \2\)"
            rf" = ({NUMBER}) / \(1\.00 \+ 0\.00\) = \3 / ({NUMBER}) = ({NUMBER})"
            r" \(subtracting the row's largest score, 100\.00, keeps e\^s readable and does not change α\)",
            caption,
        )
        assert match, caption
        score, shift, _e, total, weight = (value(x) for x in match.groups())
        assert (score, shift) == (tr.scores[0, 0, j], 100.0)
        assert total == pytest.approx(np.exp(tr.scores[0, 0] - 100.0).sum(), abs=0.005)
        assert weight == pytest.approx(tr.weights[0, 0, j], abs=0.005)
        assert "inf" not in caption
