"""A checkpoint, text or layer that cannot be used is refused in Korean when Korean is in use."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from explainer.real import LayerError, PretrainedError, load_bert, pretrained_document


def message(call, *args, **kwargs) -> str:
    with pytest.raises(PretrainedError) as info:
        call(*args, **kwargs)
    return str(info.value)


def test_a_missing_package_says_make_real_in_korean(korean, monkeypatch, tiny_folder: Path) -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "tokenizers"]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "tokenizers", None)
    assert message(load_bert, tiny_folder) == (
        "사전 학습 모델에는 다음 패키지가 필요합니다: tokenizers. "
        "real 추가 기능을 설치하십시오: make real (또는 pip install '.[real]')"
    )


def test_missing_files_are_listed_in_korean(korean, tmp_path: Path) -> None:
    assert message(load_bert, tmp_path) == (
        f"{tmp_path}: 파일이 없습니다: config.json, model.safetensors, tokenizer.json "
        "(BERT 체크포인트 폴더에는 config.json, model.safetensors, tokenizer.json 파일이 있습니다)"
    )


def test_an_empty_text_and_a_missing_layer_in_korean(korean, tiny_folder: Path) -> None:
    assert message(pretrained_document, tiny_folder, "   ") == (
        "text: 문장을 입력하십시오 (텍스트가 비어 있습니다)"
    )
    with pytest.raises(LayerError) as info:
        pretrained_document(tiny_folder, "hello", 7)
    n_layers = info.value.n_layers
    assert str(info.value).startswith(f"layer: 0부터 {n_layers - 1}까지가 필요합니다 (")
    assert str(info.value).endswith(f"의 층은 {n_layers}개). 받은 값: 7")
