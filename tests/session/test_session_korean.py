"""A session file the app cannot use is refused in the language in use: the file, the field, the values."""

from __future__ import annotations

import json
import re
from pathlib import Path

from session_helpers import NAME, document_of, refused

from explainer.i18n import set_language


def write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_an_empty_file_is_refused_in_korean(korean, tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"")
    assert refused(path) == f"{NAME}: 세션 파일이 아닙니다: 파일이 비어 있습니다"


def test_cut_json_names_the_line_and_column_in_korean(korean, saved: Path) -> None:
    saved.write_bytes(saved.read_bytes()[:40])
    set_language("en")
    assert "invalid JSON at line 2, column 13: " in refused(saved)
    set_language("ko")
    message = refused(saved)
    # the line and column of the English message, in Korean words (json's own reason stays as json says it)
    assert re.match(
        rf"{re.escape(NAME)}: 세션 파일이 아닙니다: 2행 13열의 JSON이 잘못되었습니다: \S", message
    )
    assert message.endswith("(파일이 너무 일찍 끝납니다: 잘렸나요?)")


def test_a_wrong_field_names_it_with_what_was_expected_and_got(korean, saved: Path) -> None:
    doc = document_of(saved)
    doc["view"]["step"] = "three"
    message = refused(write(saved, doc))
    assert message.startswith(f"{NAME}: 필드 view.step: 필요한 값: ")
    assert message.endswith("받은 값: 문자열 'three'")
    doc["format"] = "zip"
    assert refused(write(saved, doc)) == (
        f"{NAME}: 필드 format: 필요한 값: 'attention-explainer-session', 받은 값: 문자열 'zip'"
    )


def test_a_missing_file_and_a_folder_are_refused_in_korean(korean, tmp_path: Path) -> None:
    assert refused(tmp_path / NAME) == f"{NAME}: 열 수 없습니다: 그런 파일이 없습니다"
    (tmp_path / "folder.attn.json").mkdir()
    assert refused(tmp_path / "folder.attn.json") == "folder.attn.json: 세션 파일이 아니라 폴더입니다"


def test_the_same_file_is_refused_in_english_again(korean, tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"  ")
    set_language("en")
    assert refused(path) == f"{NAME}: not a session file: the file is empty"
