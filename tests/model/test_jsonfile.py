"""read_json: one line naming the file for every way a JSON file can be unusable."""

from __future__ import annotations

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
