"""Build the classic presets in explainer/resources/presets from readable designs.

Each preset is designed, not sampled: the embeddings carry a few named
features and W_Q·W_Kᵀ is chosen so that the attention pattern is the one a
lecture needs (this→kore, hate→kirai, …). Small seeded noise keeps the
matrices from looking like textbook identities. Run it again only when a
design changes: ``python tools/make_presets.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "explainer" / "resources" / "presets"


def rounded(array: np.ndarray) -> list:
    return np.round(np.asarray(array, dtype=float), 2).tolist()


def factor(scores: np.ndarray, x_q: np.ndarray, x_kv: np.ndarray, d_k: int) -> tuple[np.ndarray, np.ndarray]:
    """W_Q, W_K with x_q·W_Q·W_Kᵀ·x_kvᵀ ≈ scores, rank d_k (least squares + SVD)."""
    inner = np.linalg.pinv(x_q) @ scores @ np.linalg.pinv(x_kv).T
    u, s, vt = np.linalg.svd(inner)
    root = np.sqrt(s[:d_k])
    return u[:, :d_k] * root, vt[:d_k].T * root


def document(name, title, description, queries, keys, causal, params, worked_query) -> dict:
    assert worked_query in queries, worked_query
    return {
        "format": "attention-explainer-preset",
        "version": 1,
        "name": name,
        "title": title,
        "description": description,
        "worked_query": worked_query,
        "query_tokens": queries,
        "key_tokens": keys,
        "causal": causal,
        "scale": True,
        "params": {key: rounded(value) for key, value in params.items()},
    }


def single_head(x_q, x_kv, scores, rng, d_v=4):
    d_model = x_q.shape[1]
    d_k = d_model
    w_q, w_k = factor(scores, x_q, x_kv, d_k)
    return {
        "x_q": x_q,
        "x_kv": x_kv,
        "w_q": w_q[None],
        "w_k": w_k[None],
        "w_v": (np.eye(d_model, d_v) + rng.normal(0, 0.15, (d_model, d_v)))[None],
        "b_q": np.zeros((1, d_k)),
        "b_k": np.zeros((1, d_k)),
        "b_v": np.zeros((1, d_v)),
        # One head: W_O = I, so the output is the head output itself and the app
        # shows no output-projection step (what is shown is trace.output).
        "w_o": np.eye(d_v, d_model),
        "b_o": np.zeros(d_model),
    }


def aligned_scores(n_q: int, n_k: int, pairs: dict[int, int], strong: float = 3.9) -> np.ndarray:
    scores = np.full((n_q, n_k), -0.4)
    for i, j in pairs.items():
        scores[i, j] = strong
    return scores


def seed_translate(rng) -> dict:
    queries, keys = ["I", "hate", "this", "movie"], ["kono", "eiga", "ga", "kirai"]
    # features: subject, dislike, demonstrative, film
    x_q = np.array([[1.0, 0.1, 0.0, 0.1], [0.1, 1.0, 0.1, 0.0], [0.0, 0.1, 1.0, 0.2], [0.1, 0.0, 0.2, 1.0]])
    x_kv = np.array([[0.0, 0.1, 0.9, 0.3], [0.1, 0.0, 0.2, 0.9], [0.8, 0.1, 0.1, 0.0], [0.2, 0.9, 0.0, 0.1]])
    scores = aligned_scores(4, 4, {0: 2, 1: 3, 2: 0, 3: 1})
    scores[0, 2] = 1.6  # "I" leans on the subject particle "ga", less sharply
    params = single_head(x_q, x_kv, scores + rng.normal(0, 0.15, scores.shape), rng)
    return document(
        "seed-translate",
        "Translation: kono eiga ga kirai → I hate this movie",
        "Cross-attention, as in the lecture: an encoder–decoder model translates the Japanese "
        "“kono eiga ga kirai” into English. The decoder's English words are the queries; the "
        "encoder's Japanese words give the keys and values. Each English word takes most from "
        "the Japanese word it translates: hate→kirai, this→kono, movie→eiga.",
        queries,
        keys,
        False,
        params,
        "hate",
    )


def seed_translate_ja(rng) -> dict:
    """The lecture's example in Japanese script: the same design as seed-translate, other words."""
    doc = seed_translate(rng)
    doc.update(
        name="seed-translate-ja",
        title="Translation: この 映画 が 嫌い → I hate this movie",
        description="The lecture's example in Japanese script: the decoder's English words are the "
        "queries; the encoder's Japanese words この 映画 が 嫌い (kono eiga ga kirai) give the keys and "
        "values. Each English word takes most from the word it translates: hate→嫌い, this→この, "
        "movie→映画.",
        key_tokens=["この", "映画", "が", "嫌い"],
    )
    return doc


def seed_translate_ko(rng) -> dict:
    queries, keys = ["I", "hate", "this", "movie"], ["나는", "이", "영화가", "싫어"]
    # features: subject, dislike, demonstrative, film (Korean keeps the subject first, the verb last)
    x_q = np.array([[1.0, 0.1, 0.0, 0.1], [0.1, 1.0, 0.1, 0.0], [0.0, 0.1, 1.0, 0.2], [0.1, 0.0, 0.2, 1.0]])
    x_kv = np.array([[0.9, 0.1, 0.0, 0.1], [0.0, 0.1, 0.9, 0.3], [0.3, 0.0, 0.2, 0.9], [0.1, 0.9, 0.0, 0.1]])
    scores = aligned_scores(4, 4, {0: 0, 1: 3, 2: 1, 3: 2})
    params = single_head(x_q, x_kv, scores + rng.normal(0, 0.15, scores.shape), rng)
    return document(
        "seed-translate-ko",
        "Translation: 나는 이 영화가 싫어 → I hate this movie",
        "Cross-attention on the lecture's example in Korean: the decoder's English words are the "
        "queries; the encoder's Korean words 나는 이 영화가 싫어 give the keys and values. Each English "
        "word takes most from the word it translates: I→나는, hate→싫어, this→이, movie→영화가.",
        queries,
        keys,
        False,
        params,
        "hate",
    )


def seed_cross(rng) -> dict:
    queries, keys = ["this", "is", "an", "example"], ["kore", "wa", "rei", "desu"]
    # features: demonstrative, copula, noun, topic
    x_q = np.array([[1.0, 0.0, 0.1, 0.1], [0.0, 1.0, 0.0, 0.1], [0.1, 0.2, 0.5, 0.4], [0.0, 0.1, 1.0, 0.0]])
    x_kv = np.array([[0.9, 0.0, 0.1, 0.1], [0.1, 0.1, 0.0, 0.8], [0.0, 0.1, 0.9, 0.0], [0.0, 0.9, 0.0, 0.1]])
    scores = aligned_scores(4, 4, {0: 0, 1: 3, 3: 2})
    scores[2] = [-0.2, 0.6, 1.2, 0.1]  # "an" has no partner: a soft spread, leaning to rei
    params = single_head(x_q, x_kv, scores + rng.normal(0, 0.15, scores.shape), rng)
    return document(
        "seed-cross",
        "Cross-attention: kore wa rei desu → this is an example",
        "Cross-attention: the English words being written (the decoder) are the queries; the "
        "Japanese sentence (the encoder) gives the keys and values. Aligned pairs attend most: "
        "this→kore, is→desu, example→rei; “an” has no partner and spreads its attention.",
        queries,
        keys,
        False,
        params,
        "example",
    )


def seed_self(rng) -> dict:
    tokens = ["this", "is", "an", "example"]
    x = np.eye(4) + rng.normal(0, 0.12, (4, 4))
    scores = np.array(
        [
            [1.0, 0.0, -0.5, 3.6],  # this → example (the noun it points at)
            [3.6, 0.8, -0.5, 1.0],  # is → this (its subject)
            [-0.5, 0.0, 0.8, 3.6],  # an → example (the noun it introduces)
            [1.2, 0.3, 0.6, 3.0],  # example → itself
        ]
    )
    params = single_head(x, x, scores, rng)
    params.pop("x_kv")
    return document(
        "seed-self",
        "Self-attention: this is an example",
        "Self-attention, as in an encoder: one sentence gives the queries, the keys and the "
        "values, so every word looks at every word of its own sentence, itself included: "
        "this→example, is→this, an→example.",
        tokens,
        None,
        False,
        params,
        "is",
    )


def seed_causal(rng) -> dict:
    tokens = ["the", "cat", "sat", "on", "the", "mat"]
    n, d_model, d_k, n_heads = 6, 6, 3, 2
    x = np.eye(n) + rng.normal(0, 0.1, (n, n))
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    # Head 1 looks one token back: cos(π/3 · (j - i + 1)) peaks at j = i - 1,
    # stays bounded, and has rank 2, so it fits in d_k = 3.
    previous = 5.0 * np.cos(np.pi / 3 * (j - i + 1)) - 0.5
    # Head 2 finds the subject: every later word looks at "cat".
    subject = np.where(j == 1, 3.5, -0.5) + np.where(i == j, 0.6, 0.0)
    heads = [factor(scores, x, x, d_k) for scores in (previous, subject)]
    params = {
        "x_q": x,
        "w_q": np.stack([w_q for w_q, _ in heads]),
        "w_k": np.stack([w_k for _, w_k in heads]),
        "w_v": rng.normal(0, 0.5, (n_heads, d_model, d_k)),
        "b_q": np.zeros((n_heads, d_k)),
        "b_k": np.zeros((n_heads, d_k)),
        "b_v": np.zeros((n_heads, d_k)),
        "w_o": np.eye(n_heads * d_k, d_model) + rng.normal(0, 0.2, (n_heads * d_k, d_model)),
        "b_o": np.zeros(d_model),
    }
    return document(
        "seed-causal",
        "Causal self-attention: the cat sat on the mat",
        "Causal self-attention, as in a decoder-only model: a word may look only at itself "
        "and the words before it, because when the model writes a sentence the later words "
        "do not exist yet. Two heads learn different things: head 1 looks one word back; "
        "head 2 finds the subject, cat.",
        tokens,
        None,
        True,
        params,
        "mat",
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for build in (seed_translate, seed_translate_ja, seed_translate_ko, seed_cross, seed_self, seed_causal):
        doc = build(np.random.default_rng(7))
        path = OUT / f"{doc['name']}.json"
        path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print("wrote", path.name)


if __name__ == "__main__":
    main()
