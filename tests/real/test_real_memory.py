"""Small hostile checkpoints that asked for gigabytes (issue 15, defect 5): refused in one line, or
loaded reading only the tensors the model needs.

Each load runs in a child process whose private memory is capped (RLIMIT_DATA: file-backed
mappings such as safetensors' read-only mmap do not count), so a regression fails fast with
a MemoryError or a Rust panic instead of eating the machine's memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from safetensors.numpy import load_file, save_file

from explainer.real import PretrainedError, load_bert
from explainer.real import files as files_module

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 1 << 30  # private memory of the child: a few times what loading a tiny checkpoint takes
GIB = 1 << 30

LOAD = """
import sys
from explainer.real import load_bert
try:
    checkpoint = load_bert(sys.argv[1])
except ValueError as error:
    print("refused:", error)
else:
    print("loaded", checkpoint.n_layers, "layers:", " ".join(checkpoint.run("the cat sat").tokens))
"""


def load_in_capped_child(folder: Path) -> tuple[str, str]:
    """stdout and stderr of ``load_bert(folder)`` in a child with at most LIMIT private memory."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (LIMIT, LIMIT))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "RAYON_NUM_THREADS": "1"}
    child = subprocess.Popen(
        [sys.executable, "-c", LOAD, str(folder)],
        cwd=ROOT,
        env=env,
        preexec_fn=cap,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = child.communicate(timeout=60)
    return out, err


def add_sparse_tensor(path: Path, name: str, nbytes: int, shape: list[int] | None = None) -> None:
    """Append tensor ``name`` of ``nbytes`` zero bytes to a safetensors file, as a hole: no disk, no time."""
    raw = path.read_bytes()
    size = int.from_bytes(raw[:8], "little")
    header, data = json.loads(raw[8 : 8 + size]), raw[8 + size :]
    header[name] = {
        "dtype": "F32",
        "shape": shape or [nbytes // 4],
        "data_offsets": [len(data), len(data) + nbytes],
    }
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with path.open("wb") as file:
        file.write(len(text).to_bytes(8, "little") + text + data)
        file.truncate(8 + len(text) + len(data) + nbytes)


def test_an_unused_sparse_3_gb_tensor_is_never_read(fresh_folder: Path) -> None:
    # Before: load_file read all 3 GB (6.3 GB RSS, 31 s); under a cap, a PanicException traceback.
    add_sparse_tensor(fresh_folder / "model.safetensors", "unused.big", 3 * GIB)
    out, err = load_in_capped_child(fresh_folder)
    assert (out, err) == ("loaded 3 layers: [CLS] the cat sat [SEP]\n", "")


def test_a_billion_layers_in_config_json_is_refused_before_anything_is_built(fresh_folder: Path) -> None:
    # Before: 16 entries per layer were built first (GBs, then a MemoryError traceback).
    path = fresh_folder / "config.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "num_hidden_layers": 1_000_000_000}))
    out, err = load_in_capped_child(fresh_folder)
    assert err == ""
    assert out.startswith("refused: config.json in ") and out.count("\n") == 1
    assert "num_hidden_layers 1000000000" in out and "model.safetensors has 3" in out


def test_a_needed_tensor_too_large_to_hold_is_refused_before_it_is_read(fresh_folder: Path) -> None:
    # A truthful but sparse word-embedding table of 3 GB: the sizes agree, the memory would not.
    vocab = 3 * GIB // (8 * 4)
    path = fresh_folder / "config.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "vocab_size": vocab}))
    weights = fresh_folder / "model.safetensors"
    tensors = load_file(str(weights))
    del tensors["embeddings.word_embeddings.weight"]
    save_file(tensors, str(weights))
    add_sparse_tensor(weights, "embeddings.word_embeddings.weight", vocab * 8 * 4, [vocab, 8])
    out, err = load_in_capped_child(fresh_folder)
    assert err == ""
    assert out.startswith("refused: model.safetensors in ") and out.count("\n") == 1
    assert "take 3.2 GB" in out


def test_a_huge_tokenizer_file_is_refused_unread(fresh_folder: Path) -> None:
    with (fresh_folder / "tokenizer.json").open("r+b") as file:
        file.truncate(1 << 30)  # sparse: no disk, no time
    with pytest.raises(PretrainedError, match=r"tokenizer\.json in .*: more than 100 MB"):
        load_bert(fresh_folder)


class PanicException(BaseException):
    """What pyo3 raises when Rust code panics (e.g. an allocation failing): not an Exception."""


PanicException.__module__ = "pyo3_runtime"


@pytest.mark.parametrize("where", ["safe_open", "tokenizer"])
def test_a_rust_panic_is_one_line(fresh_folder: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    def panic(*_args: object, **_kwargs: object) -> None:
        raise PanicException("PyObject pointer is null")

    if where == "safe_open":
        monkeypatch.setattr(files_module, "open_tensors", panic)
        match = r"model\.safetensors in .*: not a readable safetensors file \(PyObject pointer is null\)"
    else:
        monkeypatch.setattr(files_module, "tokenizer_from_str", panic)
        match = r"tokenizer\.json in .*: not a readable tokenizer \(PyObject pointer is null\)"
    with pytest.raises(PretrainedError, match=match) as info:
        load_bert(fresh_folder)
    assert "\n" not in str(info.value)
