"""What reaches the reader is what was checked; what Python cannot convert names its field; one line.

A named pipe swapped in for the file between a look and the open must not hang
the load (the file is opened first, without waiting, and checked through the
descriptor); a number of more digits than Python converts names the field it
is in; a file name holding a newline is escaped, so the message stays one line.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from session_helpers import NAME, document_of, refused

from explainer.session import SessionError, load_session


def test_a_5000_digit_number_names_its_field(saved: Path) -> None:
    doc = document_of(saved)
    doc["params"]["w_q"][0][1][0] = 0.123456789
    text = json.dumps(doc).replace("0.123456789", "-" + "7" * 5000)
    saved.write_text(text, encoding="utf-8")
    assert refused(saved) == f"{NAME}: field params.w_q[0, 1, 0]: expected a number, got a 5000-digit number"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_renamed_onto_the_file_while_it_is_opened_does_not_hang(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of a stat-then-open reader, made certain: the pipe arrives right after any look."""
    fifo = saved.with_name("pipe")
    os.mkfifo(fifo)
    real_stat, real_fstat = os.stat, os.fstat

    def swap() -> None:
        if fifo.exists():
            os.replace(fifo, saved)

    def stat_then_swap(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        info = real_stat(path, *args, **kwargs)
        if os.fspath(path) == os.fspath(saved):
            swap()
        return info

    def fstat_then_swap(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        swap()
        return info

    monkeypatch.setattr(os, "stat", stat_then_swap)
    monkeypatch.setattr(os, "fstat", fstat_then_swap)
    outcome: list[object] = []

    def load() -> None:
        try:
            outcome.append(load_session(saved)[0])
        except SessionError as error:
            outcome.append(error)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(5)
    if thread.is_alive():
        os.close(os.open(saved, os.O_WRONLY | os.O_NONBLOCK))  # let it go: a writer that leaves
        thread.join(5)
        pytest.fail("load_session hung on a named pipe that replaced the file after it was checked")
    # What was opened was the session file; it was read whole, and the pipe never was.
    assert not isinstance(outcome[0], SessionError), outcome[0]


def test_a_path_with_a_newline_is_named_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "lecture\nfinal.attn.json"
    with pytest.raises(SessionError) as caught:
        load_session(path)
    assert str(caught.value) == "'lecture\\nfinal.attn.json': cannot open: no such file"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(SessionError) as caught:
        load_session(path)
    assert str(caught.value).startswith("'lecture\\nfinal.attn.json': field format: ")


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        ("\x07\x1b[31m", "a control character (U+0007) at character 1"),
        ("a\x00b", "a control character (U+0000) at character 2"),
        ("\uffff", "a noncharacter (U+FFFF) at character 1"),
    ],
)
def test_a_token_with_a_control_character_is_refused_naming_file_and_field(
    saved: Path, token: str, problem: str
) -> None:
    doc = document_of(saved)
    doc["query_tokens"][2] = token
    saved.write_text(json.dumps(doc), encoding="utf-8")  # escaped as \u0007 …: valid JSON
    message = refused(saved)
    assert message.startswith(f"{NAME}: field query_tokens[2]: {token!r} holds {problem}; a token may hold ")
