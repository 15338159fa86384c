"""The lecture's words in the captions: masked keys, head output vs output, the kind of attention, '…'."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from caption_parser import parse_list

from explainer.animation import DETAIL_MODES, Timeline, captions
from explainer.model import AttentionModel, Document


def steps(trace, detail="full", kind=None):
    return [s for s in Timeline(trace, detail).steps if kind is None or s.kind == kind]


def step(trace, kind, head, query, key, detail=None):
    detail = detail or ("rows" if key is None else "full")
    (found,) = [s for s in steps(trace, detail, kind) if (s.head, s.query, s.key) == (head, query, key)]
    return found.caption


# ------------------------------------------------------------------ masked keys
def test_masked_keys_are_named_as_masked_never_written_as_zero_terms(causal):
    # “sat” (query 2) sees the₁, cat and itself; on, the₅ and mat come later.
    row = captions.weighted_sum(causal, 0, 2, None)
    assert "“on”, “the₅” and “mat” come later and are masked: α = 0" in row
    assert "·v_on" not in row and "·v_mat" not in row and "0.00·v" not in row
    assert re.search(r"= \d\.\d\d·v_the₁ \+ \d\.\d\d·v_cat \+ \d\.\d\d·v_sat = \[", row)
    softmax_row = captions.softmax(causal, 0, 2, None)
    assert "(“the₁”, “cat” and “sat”; “on”, “the₅” and “mat” come later and are masked)" in softmax_row
    assert (
        softmax_row.count("s = [") == 1 and re.search(r"s = \[[^\]]+\]", softmax_row).group(0).count(",") == 2
    )
    # A masked cell takes no step of its own; asked for, its α and share say why, not "0.00 × v = 0".
    assert (
        captions.softmax(causal, 0, 2, 4)
        == "Head 1: α(sat, the₅) = 0: “the₅” comes after “sat”, so it is masked."
    )
    assert captions.weighted_sum(causal, 0, 2, 4) == (
        "Head 1: “the₅” is masked for “sat” (it comes later): it adds nothing to the head output of “sat”."
    )
    # The last key “sat” sees finishes its head output, stated in full (after its own share).
    last = captions.weighted_sum(causal, 0, 2, 2)
    assert re.search(
        r"; (all 3 shares added:|the 3 shares add up to \[.*\] ≈) head output of “sat” = \[", last
    )
    # The softmax of an unmasked cell leaves the masked keys out of Σ and says so.
    alpha = captions.softmax(causal, 0, 2, 1)
    assert alpha.endswith("(“on”, “the₅” and “mat” come later and are masked: not in the sum)")
    assert re.search(r"/ \(\d+\.\d+ \+ \d+\.\d+ \+ \d+\.\d+\) =", alpha)  # three terms, not six


def test_the_mask_is_explained_once_per_head_with_the_reason(causal):
    masks = steps(causal, "first-query", "mask")
    assert len(masks) == causal.n_heads
    for caption in (s.caption for s in masks):
        assert "when a decoder generates text, the later words do not exist yet" in caption
        assert "only at itself and the words before it" in caption
    others = [s.caption for s in steps(causal, "first-query") if s.kind != "mask"]
    assert not any("do not exist yet" in c for c in others)


def test_a_fully_masked_row_says_so(causal):
    # Unreachable with causal self-attention (a word sees itself), yet said plainly if it happens.
    trace = dataclasses.replace(
        causal,
        mask=np.ones_like(causal.mask),
        masked=np.full_like(causal.masked, -np.inf),
        weights=np.zeros_like(causal.weights),
        context=np.zeros_like(causal.context),
    )
    assert captions.softmax(trace, 0, 1, None) == (
        "Head 1: Every key is masked for “cat”: it has no weights, so its α are all 0."
    )
    assert captions.weighted_sum(trace, 0, 1, None) == (
        "Head 1: Every key is masked for “cat”: its head output is all 0."
    )


def test_matrix_mode_names_the_largest_visible_score_not_a_masked_one():
    # One-hot words, d_k = 1: q = [3, 1, 2], k = [1, 1.5, 3]; score(a, c) = 9 is the largest
    # and masked; the largest the mask leaves visible is score(c, c) = 6.
    model = AttentionModel(["a", "b", "c"], d_model=3, d_k=1, causal=True, scale=False)
    model.set_param("x_q", np.eye(3))
    model.set_param("w_q", [[[3.0], [1.0], [2.0]]])
    model.set_param("w_k", [[[1.0], [1.5], [3.0]]])
    trace = model.trace
    assert trace.scores[0, 0, 2] == 9.0 and trace.mask[0, 2]
    dot = steps(trace, "matrix", "dot")[0].caption
    assert "score(a, c)" not in dot
    assert dot.endswith("The largest of the scores the mask will leave visible is score(c, c) = 6.00.")
    softmax = steps(trace, "matrix", "softmax")[0].caption
    assert "Apart from “a”, which sees one key only (α = 1), the largest is α(c, c) = " in softmax


# ------------------------------------------------------------ head output, output
@pytest.mark.parametrize("detail", DETAIL_MODES)
def test_weighted_sums_say_head_output_and_the_projection_says_output(causal, detail):
    for s in steps(causal, detail):
        assert "out_" not in s.caption, s.caption
        if s.kind == "weighted_sum":
            assert "head output" in s.caption.lower(), s.caption
        if s.kind == "concat_heads":
            assert "head outputs side by side" in s.caption
        if s.kind == "output_projection":
            assert s.caption.startswith("Output = concat · W_O") and "head output" not in s.caption
            assert "output of “the₁” = [" in s.caption


def test_a_finished_head_output_row_is_stated_in_full(translate):
    rows = steps(translate, "first-query", "weighted_sum")
    last_cell = next(s for s in rows if s.query == 0 and s.key == len(translate.key_tokens) - 1)
    head_output = "[" + ", ".join(f"{x:.2f}".replace("-", "−") for x in translate.context[0, 0]) + "]"
    assert f"head output of “I” = {head_output}" in last_cell.caption
    for s in rows:
        if s.key is None:
            assert s.caption.startswith(f"head output of “{translate.query_tokens[s.query]}” = Σ_j α(")
            assert "…" not in s.caption


# --------------------------------------------------------------- kind of attention
@pytest.mark.parametrize(
    ("preset", "words", "not_words"),
    [
        (
            "seed-translate",
            ["Cross-attention", "decoder's words", "encoder's words"],
            ["Self-attention", "Causal"],
        ),
        ("seed-self", ["Self-attention", "queries, keys and values at once"], ["Cross", "Causal", "decoder"]),
        (
            "seed-causal",
            ["Causal self-attention", "decoder-only model", "words before it"],
            ["Cross", "encoder"],
        ),
    ],
)
def test_the_first_caption_names_the_kind_of_attention_and_what_q_k_v_are_for(preset, words, not_words):
    embed = Timeline(Document.from_preset(preset).model.trace, "first-query").steps[0].caption
    for word in words:
        assert word in embed, embed
    for word in not_words:
        assert word not in embed, embed
    assert "A query is what a word looks for, a key what a word offers, a value what it passes on." in embed


def test_cross_attention_projections_say_which_side_of_the_model(translate):
    q, k, v = (steps(translate, "rows", kind)[0].caption for kind in ("project_q", "project_k", "project_v"))
    assert "each decoder word's row of X_q" in q and "query, what it looks for" in q
    assert "each encoder word's row of X_kv" in k and "key, what it offers" in k
    assert "each encoder word's row of X_kv" in v and "value, what it passes on" in v


# ---------------------------------------------------------------- the 8-entry rule
def ten_tokens() -> AttentionModel:
    words = ["the", "cat", "sat", "on", "the", "mat", "and", "looked", "at", "me"]
    model = AttentionModel(words, d_model=10, d_k=10, seed=3)
    rng = np.random.default_rng(7)
    model.set_param("w_q", rng.normal(0, 0.8, (1, 10, 10)))
    model.set_param("w_k", rng.normal(0, 0.8, (1, 10, 10)))
    return model


def test_beyond_eight_entries_the_largest_and_the_own_are_written_and_the_rest_counted():
    trace = ten_tokens().trace
    scores_row = step(trace, "dot", 0, 3, None)
    listing = parse_list(re.search(r"= (\[.*\])\.$", scores_row).group(1), scores_row)
    assert 4 <= len(listing.shown) < 10 and listing.n == 10 and listing.gaps, scores_row
    # The four largest are written where they are; the others are counted, with a bound.
    row = trace.scores[0, 3]  # "the" twice: two equal scores, either may stand for both
    assert set(np.sort(row)[-4:]) <= {row[j] for j in listing.shown}
    for gap in listing.gaps:
        assert gap.relation == "≤" and max(trace.scores[0, 3, gap.indices]) <= float(
            gap.bound.replace("−", "-")
        )
        assert re.search(rf"… {len(gap.indices)} more, (each )?≤ {gap.bound} …", scores_row)
    # A cell whose key has a small weight is still written in its own softmax caption.
    j = int(np.argmin(trace.weights[0, 3]))
    own = step(trace, "softmax", 0, 3, j)
    e_own = re.search(r"= (\d+\.\d+) / \(", own).group(1)
    assert f"({e_own} + " in own or f" + {e_own} + " in own or f" + {e_own})" in own
    assert re.search(r"… \d+ more, together \d+\.\d+ …", own)
    # The weighted sum row keeps its largest terms, in key order, and counts the rest.
    row = step(trace, "weighted_sum", 0, 3, None)
    assert re.search(r"… \d+ more, each α ≤ \d\.\d\d …", row)
    biggest = trace.key_tokens[int(np.argmax(trace.weights[0, 3]))]
    assert f"·v_{biggest}" in row or f"·v_{biggest}₁" in row or f"·v_{biggest}₅" in row


def test_eight_entries_are_all_written():
    model = AttentionModel(list("abcdefgh"), d_model=8, d_k=8, seed=1)
    for s in Timeline(model.trace, "full").steps:
        assert "…" not in s.caption, s.caption
