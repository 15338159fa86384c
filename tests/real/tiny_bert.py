"""A tiny random BERT checkpoint written by the tests, and a plain loop implementation to check against.

The checkpoint has the traps of the real one: its tokenizer.json pads every input (to 16)
and truncates (to 10), and its tensor names can carry a ``bert.`` prefix.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

WORDS = ["the", "cat", "sat", "on", "mat", "a", "dog", "saw", "it", "because", "was", "tired", "and"]
WORDS += ["ran", "away"]
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
CONFIG = {
    "architectures": ["BertModel"],
    "model_type": "bert",
    "hidden_act": "gelu",
    "hidden_size": 8,
    "intermediate_size": 12,
    "num_attention_heads": 2,
    "num_hidden_layers": 3,
    "max_position_embeddings": 72,
    "type_vocab_size": 2,
    "vocab_size": len(SPECIALS) + len(WORDS),
    "layer_norm_eps": 1e-12,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
}


def tiny_weights(config: dict, seed: int = 0) -> dict[str, np.ndarray]:
    """Random float32 weights, spread wide enough that attention is far from uniform."""
    rng = np.random.default_rng(seed)
    h, i = config["hidden_size"], config["intermediate_size"]

    def draw(*shape: int, mean: float = 0.0, spread: float = 0.6) -> np.ndarray:
        return rng.normal(mean, spread, shape).astype(np.float32)

    weights = {
        "embeddings.word_embeddings.weight": draw(config["vocab_size"], h),
        "embeddings.position_embeddings.weight": draw(config["max_position_embeddings"], h),
        "embeddings.token_type_embeddings.weight": draw(config["type_vocab_size"], h),
        "embeddings.LayerNorm.weight": draw(h, mean=1.0, spread=0.2),
        "embeddings.LayerNorm.bias": draw(h, spread=0.1),
        "embeddings.position_ids": np.arange(config["max_position_embeddings"])[None],
    }
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        for name in ("attention.self.query", "attention.self.key", "attention.self.value"):
            weights[f"{p}{name}.weight"] = draw(h, h)
            weights[f"{p}{name}.bias"] = draw(h, spread=0.2)
        weights[f"{p}attention.output.dense.weight"] = draw(h, h)
        weights[f"{p}attention.output.dense.bias"] = draw(h, spread=0.2)
        weights[f"{p}intermediate.dense.weight"] = draw(i, h)
        weights[f"{p}intermediate.dense.bias"] = draw(i, spread=0.2)
        weights[f"{p}output.dense.weight"] = draw(h, i)
        weights[f"{p}output.dense.bias"] = draw(h, spread=0.2)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            weights[f"{p}{norm}.weight"] = draw(h, mean=1.0, spread=0.2)
            weights[f"{p}{norm}.bias"] = draw(h, spread=0.1)
    return weights


def tiny_tokenizer() -> Tokenizer:
    """A WordLevel tokenizer with BERT's [CLS] … [SEP] template, padding and truncation on."""
    vocab = {token: index for index, token in enumerate(SPECIALS + WORDS)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])]
    )
    tokenizer.add_special_tokens(SPECIALS)
    tokenizer.enable_padding(length=16, pad_id=0, pad_token="[PAD]")
    tokenizer.enable_truncation(max_length=10)
    return tokenizer


def write_tiny_bert(folder: Path, *, prefix: str = "", seed: int = 0, **overrides: object) -> Path:
    """Write config.json, model.safetensors and tokenizer.json into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    config = {**CONFIG, **overrides}
    (folder / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    weights = tiny_weights(config, seed)
    save_file({prefix + name: array for name, array in weights.items()}, str(folder / "model.safetensors"))
    tiny_tokenizer().save(str(folder / "tokenizer.json"))
    return folder


# ---------------------------------------------------------------- plain reference
def _layer_norm(row: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = sum(row) / len(row)
    variance = sum((v - mean) ** 2 for v in row) / len(row)
    return np.array([(v - mean) / math.sqrt(variance + eps) for v in row]) * weight + bias


def _linear(row: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """PyTorch's Linear for one row: out[o] = Σ_i weight[o, i] · row[i] + bias[o]."""
    return np.array([sum(weight[o, i] * row[i] for i in range(len(row))) + bias[o] for o in range(len(bias))])


def loop_bert(
    weights: dict[str, np.ndarray], config: dict, ids: list[int]
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Per layer: hidden states entering it (plus the final ones), its (heads, n, n) attention maps,
    and its attention output (the output dense, before the residual).

    Written token by token and head by head with math.exp and math.erf, independently of explainer.real.
    """
    w = {name: np.asarray(array, dtype=np.float64) for name, array in weights.items()}
    eps, heads = config["layer_norm_eps"], config["num_attention_heads"]
    size = config["hidden_size"] // heads
    n = len(ids)
    x = [
        _layer_norm(
            w["embeddings.word_embeddings.weight"][ids[t]]
            + w["embeddings.position_embeddings.weight"][t]
            + w["embeddings.token_type_embeddings.weight"][0],
            w["embeddings.LayerNorm.weight"],
            w["embeddings.LayerNorm.bias"],
            eps,
        )
        for t in range(n)
    ]
    states, attentions, outputs = [np.array(x)], [], []
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."

        q, k, v = (
            [
                _linear(row, w[f"{p}attention.self.{name}.weight"], w[f"{p}attention.self.{name}.bias"])
                for row in x
            ]
            for name in ("query", "key", "value")
        )
        maps = np.zeros((heads, n, n))
        context = [np.zeros(heads * size) for _ in range(n)]
        for h in range(heads):
            cols = slice(h * size, (h + 1) * size)
            for i in range(n):
                scores = [sum(q[i][cols] * k[j][cols]) / math.sqrt(size) for j in range(n)]
                top = max(scores)
                exps = [math.exp(s - top) for s in scores]
                maps[h, i] = [e / sum(exps) for e in exps]
                context[i][cols] = sum(maps[h, i, j] * v[j][cols] for j in range(n))
        attentions.append(maps)
        new_x, dense_rows = [], []
        for t in range(n):
            dense = _linear(
                context[t], w[f"{p}attention.output.dense.weight"], w[f"{p}attention.output.dense.bias"]
            )
            dense_rows.append(dense)
            a = _layer_norm(
                x[t] + dense,
                w[f"{p}attention.output.LayerNorm.weight"],
                w[f"{p}attention.output.LayerNorm.bias"],
                eps,
            )
            inner = _linear(a, w[f"{p}intermediate.dense.weight"], w[f"{p}intermediate.dense.bias"])
            inner = np.array([0.5 * u * (1.0 + math.erf(u / math.sqrt(2.0))) for u in inner])
            out = _linear(inner, w[f"{p}output.dense.weight"], w[f"{p}output.dense.bias"])
            new_x.append(
                _layer_norm(a + out, w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"], eps)
            )
        x = new_x
        states.append(np.array(x))
        outputs.append(np.array(dense_rows))
    return states, attentions, outputs
