"""Large arrays read in bulk (explainer.session.numbers) give what the careful reading gives.

The careful reading (json.loads of the whole file, every number a Python float)
is the reference: for any text, the bulk reading must load the same bits or
leave the file to the careful reading, so that every message stays its own.
The files here are small; SMALLEST is lowered so that every array is cut, and
CHUNK so that each is converted in many pieces.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_helpers import NAME, document_of

from explainer.model import AttentionModel, Document, PretrainedSource
from explainer.model.limits import PARAM_NAMES
from explainer.session import SessionError, ViewSettings, files, load_session, numbers, save_session

SPECIAL = (0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 0.1 + 0.2, 1 / 3, 1e6, -1e6, 1e-300, 123456.0)
# Numbers JSON reads one way and a lenient parser another, numbers JSON refuses, values the model refuses.
NUMBERS = (
    "-0", "0", "-0.0", "0.0", "-0e0", "01", "-01", "00", "00.5", "1.", ".5", "-.5", "+1", "1.e5", "1e", "1e+",
    "-", "--1", "1E+05", "1e-05", "1e05", "-1e-400", "1e400", "-1e400", "1000000", "1000001", "-1000000",
    "1000000.0000000001", "1e6", "5e-324", "123456789012345678901234567890", "1" * 5000, "0.1", "1.2.3",
    "1e5e5", "1e5.5", "- 1", "1 2", "1. 5", "1e 5", "", " ", "NaN", "-Infinity", "Infinity", "nan", "inf",
    "0x10", "1_0", "１", "1\u00a0", "\u000b1", "true", "null", '"1"', "[1]", "1]", "[1", "1,1",
    "9007199254740993", "9007199254740993.0", "0.30000000000000004", "2.9999999999999996",
)  # fmt: skip
PIECES = (*NUMBERS, ",", "[", "]", "[]", "],[", "\n", "\t", "\r", "}", "{", ":", '"', "\\", "\\u0000", "é")
FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
NUMBER = re.compile(r"-?[0-9][0-9.eE+-]*")


def fingerprint(path: Path) -> tuple[str, Any]:
    """What loading ``path`` gives: every bit of the document and view, or the message."""
    try:
        document, view = load_session(path)
    except SessionError as error:
        return "refused", str(error)
    state = document.model.state
    numbers_ = {name: (array.shape, array.tobytes()) for name, array in state.params.items()}
    options = (state.query_tokens, state.key_tokens, state.causal, state.scale, state.seed)
    return "loaded", (options, numbers_, document.source, view)


def carefully(path: Path) -> tuple[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "cut_arrays", lambda data: None)
        return fingerprint(path)


def in_bulk(path: Path) -> tuple[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "SMALLEST", 1)
        patch.setattr(numbers, "CHUNK", 5)  # converted in many pieces, cut after almost every row
        return fingerprint(path)


def bulk_reads(path: Path) -> bool:
    """Whether the bulk reading (every array cut) takes the file rather than leaving it to the careful one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "SMALLEST", 1)
        patch.setattr(numbers, "CHUNK", 5)
        cut = numbers.cut_arrays(path.read_bytes())
        return cut is not None and files._read_in_bulk(*cut, path.name) is not None


def agree(path: Path) -> bool:
    """Both readings give the same; True when the bulk one took the file."""
    careful = carefully(path)
    assert in_bulk(path) == careful
    taken = bulk_reads(path)
    assert not taken or careful[0] == "loaded"
    return taken


def special_model(n_q: int = 3, d_model: int = 4, n_heads: int = 2, seed: int = 5) -> AttentionModel:
    """A cross-attention model whose numbers include the awkward ones (-0.0, subnormals, ±1e6, 0.1+0.2)."""
    model = AttentionModel(
        [f"q{k}" for k in range(n_q)], ["x", "y"], d_model=d_model, d_k=3, d_v=2, n_heads=n_heads, seed=seed
    )
    rng = np.random.default_rng(seed)
    with model.batch():
        for name in PARAM_NAMES:
            values = rng.normal(size=model.params[name].shape)
            values.flat[: len(SPECIAL)] = SPECIAL[: values.size]
            model.set_param(name, values)
    return model


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / NAME
    save_session(path, special_model(), ViewSettings(head=1))
    return path


def test_a_large_session_is_read_in_bulk_bit_for_bit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = special_model(n_q=40, d_model=96, n_heads=4)
    path = tmp_path / NAME
    save_session(path, model)
    read: list[tuple[int, ...]] = []
    original = numbers.NumberText.array

    def spy(self: numbers.NumberText, shape: tuple[int, ...]) -> np.ndarray:
        read.append(shape)
        return original(self, shape)

    monkeypatch.setattr(numbers.NumberText, "array", spy)
    assert fingerprint(path) == carefully(path)
    assert {(40, 96), (4, 96, 3), (4, 96, 2), (8, 96)} <= set(read)  # the biases are too small to cut
    document, _view = load_session(path)
    for name in PARAM_NAMES:
        assert document.model.params[name].tobytes() == model.params[name].tobytes(), name


@pytest.mark.parametrize("layout", ["compact", "indented", "spaced"])
def test_any_json_layout_is_read_in_bulk(base: Path, layout: str) -> None:
    doc = document_of(base)
    text = {
        "compact": json.dumps(doc, separators=(",", ":")),
        "indented": json.dumps(doc, indent="\t"),
        "spaced": json.dumps(doc, indent=7, separators=(" ,\r\n ", " : ")),
    }[layout]
    base.write_text(text, encoding="utf-8")
    assert agree(base)


def test_the_saved_base_is_read_in_bulk(base: Path) -> None:
    assert agree(base)
    assert carefully(base)[0] == "loaded"


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("name", ["b_o", "w_q"])
def test_each_kind_of_number_reads_as_json_reads_it(base: Path, name: str, number: str) -> None:
    text = base.read_text(encoding="utf-8")
    start = text.index(f'"{name}"')
    first = NUMBER.search(text, start + len(name) + 2)
    assert first is not None
    base.write_text(text[: first.start()] + number + text[first.end() :], encoding="utf-8")
    agree(base)


def test_an_integer_minus_zero_is_zero_as_json_reads_it(base: Path) -> None:
    doc = document_of(base)
    doc["params"]["b_o"] = [0] * len(doc["params"]["b_o"])
    base.write_text(json.dumps(doc).replace("[0, 0,", "[-0, 0,"), encoding="utf-8")
    assert not agree(base)  # the careful reading reads it
    document, _view = load_session(base)
    assert not np.signbit(document.model.params["b_o"]).any()


def test_random_edits_of_the_numbers(base: Path) -> None:
    text = base.read_text(encoding="utf-8")
    params = text.index('"params"')
    cases: list[bool] = []

    @settings(FUZZ, max_examples=700)
    @given(
        st.lists(
            st.tuples(st.integers(params, len(text) - 1), st.integers(0, 3), st.sampled_from(PIECES)),
            min_size=1,
            max_size=3,
        )
    )
    def check(edits: list[tuple[int, int, str]]) -> None:
        edited = text
        for position, length, piece in sorted(edits, reverse=True):
            edited = edited[:position] + piece + edited[position + length :]
        base.write_text(edited, encoding="utf-8")
        cases.append(agree(base))

    check()
    assert len(cases) >= 700
    assert sum(cases) >= 10  # a few edits leave a session (about 1 in 30): read in bulk


def test_random_numbers_in_place_of_numbers(base: Path) -> None:
    text = base.read_text(encoding="utf-8")
    spans = [match.span() for match in NUMBER.finditer(text, text.index('"params"'))]
    cases: list[bool] = []
    floats = st.floats(allow_nan=False, allow_infinity=False).map(repr)
    written = floats | st.integers(-(10**7), 10**7).map(str) | st.sampled_from(NUMBERS)

    @settings(FUZZ, max_examples=500)
    @given(
        st.lists(st.tuples(st.sampled_from(spans), written), min_size=1, max_size=4, unique_by=lambda e: e[0])
    )
    def check(edits: list[tuple[tuple[int, int], str]]) -> None:
        edited = text
        for (start, end), number in sorted(edits, reverse=True):
            edited = edited[:start] + number + edited[end:]
        base.write_text(edited, encoding="utf-8")
        cases.append(agree(base))

    check()
    assert sum(cases) >= 100


@pytest.mark.parametrize(
    "text",
    [
        '", "params": {"b_o": [1, 2]}, "x": [3, 4]',
        '\\", "b_o": [1, 2], "\\\\',
        "[1, 2, 3]" * 2000,
        'a\\"b": [0.5, 0.5] \\\\" c',
        "\x00 zero",
    ],
)
def test_text_that_looks_like_arrays_is_left_in_its_string(tmp_path: Path, text: str) -> None:
    source = PretrainedSource("tiny", "models/" + text, False, 0, 2, text)
    model = special_model(n_q=2)
    path = tmp_path / NAME
    save_session(path, Document(model, source))
    assert agree(path) == ("\x00" not in text)  # a zero character: the careful reading only
    document, _view = load_session(path)
    assert document.source == source


def test_arrays_elsewhere_than_params_are_left_to_the_careful_reading(base: Path) -> None:
    doc = document_of(base)
    doc["view"]["layout"] = [[1.0, 2.0], [3.0, 4.0]]
    base.write_text(json.dumps(doc), encoding="utf-8")
    assert not agree(base)
    assert "field view.layout" in carefully(base)[1]
