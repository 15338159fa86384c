"""read_json: one line naming the file for every way a JSON file can be unusable."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest

from explainer.model.jsonfile import read_json


class Refused(ValueError):
    pass


def test_a_file_and_a_package_resource_decode() -> None:
    document = read_json(files("explainer.resources") / "presets" / "seed-self.json", Refused, "x")
    assert document["name"] == "seed-self"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"^here\.json: cannot read the file \(No such file or directory\)$"),
        (b"\xff\xfe{", r"^here\.json: not valid JSON \('utf-8' codec can't decode"),
        (b"{ nope", r"^here\.json: not valid JSON \(Expecting property name"),
    ],
)
def test_each_failure_is_one_line_of_the_given_type(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "here.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(Refused, match=message) as info:
        read_json(path, Refused, "here.json")
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_expected_names_what_the_file_should_have_been(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("[", encoding="utf-8")
    with pytest.raises(Refused, match=r"^p\.json: not a JSON preset \("):
        read_json(path, Refused, "p.json", expected="a JSON preset")


def finishes(call: Callable[[], object], fifo: Path, seconds: float = 5) -> object:
    """``call()``'s result or exception; fails (after unblocking it) if it waits on ``fifo`` for a writer."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # a writer that leaves: the reader sees EOF
        thread.join(seconds)
        pytest.fail(f"hung waiting for a writer on the named pipe {fifo.name}")
    return outcome[0]


def refusal(path: Path, **kwargs: object) -> str:
    with pytest.raises(Refused) as info:
        read_json(path, Refused, "p.json", expected="a JSON preset", **kwargs)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    message = str(info.value)
    assert "\n" not in message
    return message


def test_a_device_and_a_folder_are_refused_unread(tmp_path: Path) -> None:
    assert refusal(Path(os.devnull)) == "p.json: is a device, not a JSON preset"
    (tmp_path / "dir.json").mkdir()
    assert refusal(tmp_path / "dir.json") == "p.json: is a folder, not a JSON preset"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    outcome = finishes(lambda: read_json(fifo, Refused, "p.json", expected="a JSON preset"), fifo)
    assert isinstance(outcome, Refused)
    assert str(outcome) == "p.json: is a named pipe (FIFO), not a JSON preset"


def test_a_file_over_the_cap_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with open(path, "wb") as file:
        file.truncate(200 * 2**20)  # sparse: no disk used
    assert refusal(path) == "p.json: the file is too large (200 MB); a JSON file here is at most 128 MB"
    path.write_bytes(b"[" + b" " * 2000 + b"]")
    assert (
        refusal(path, limit=1000)
        == "p.json: the file is too large (0.0 MB); a JSON file here is at most 0.0 MB"
    )


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "lists or objects are nested too deeply"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "lists or objects are nested too deeply"),
        (b'{"n": ' + b"9" * 5000 + b"}", "a number with 5000 digits"),
    ],
    ids=["lists", "objects", "5000 digits"],
)
def test_what_python_cannot_decode_is_one_line(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(content)
    assert refusal(path) == f"p.json: not a JSON preset ({why})"
