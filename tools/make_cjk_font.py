"""Make the CJK font the app ships: a subset of Noto Sans CJK KR with Hangul, kana and the presets' kanji.

Run once, by hand, when the set of characters changes (its output is committed):

    python tools/make_cjk_font.py [--source NotoSansCJK-Regular.ttc]

It needs fontTools (``pip install fonttools``, in the dev extra) and the Debian
``fonts-noto-cjk`` package (``apt install fonts-noto-cjk``), whose Regular
collection holds the KR face. Writes explainer/resources/fonts/NotoSansCJKkr-Subset.otf
and copies the SIL Open Font License beside it. Why a subset: the full face is
16 MB; every Hangul syllable (so any Korean a student types shows), the kana, CJK
punctuation and the kanji of the presets and lessons are what the app needs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "explainer" / "resources" / "fonts"
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
LICENSE = Path("/usr/share/doc/fonts-noto-cjk/copyright")
KR_FACE = "Noto Sans CJK KR"

RANGES = [
    (0x0020, 0x007E),  # ASCII: a Korean caption mixes in Latin tokens and numbers
    (0x00A0, 0x00FF),  # Latin-1: ×, ·, …
    (0x2000, 0x206F),  # general punctuation: quotes, dashes, ellipsis
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # maths operators: −, √, Σ, ∞
    (0x3000, 0x303F),  # CJK punctuation
    (0x3040, 0x309F),  # hiragana
    (0x30A0, 0x30FF),  # katakana
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0xAC00, 0xD7A3),  # every Hangul syllable
    (0xFF00, 0xFFEF),  # full-width forms
]
# Kanji the presets and lessons use (この 映画 が 嫌い …), and a few a lecture on translation shows.
KANJI = "映画嫌好私彼女今日本語文言葉意味注目自己"


def codepoints() -> list[int]:
    points = {c for start, end in RANGES for c in range(start, end + 1)}
    points.update(ord(c) for c in KANJI)
    return sorted(points)


def licence_text(font: object) -> str:
    """The font's own copyright line, then the SIL Open Font License 1.1 as Debian ships it."""
    lines = LICENSE.read_text(encoding="utf-8").splitlines()
    start = max(i for i, line in enumerate(lines) if line.strip() == "License: SIL-1.1") + 1
    body = []
    for line in lines[start:]:
        if line.startswith("License:"):
            break
        body.append("" if line.strip() == "." else line.removeprefix(" "))
    copyright_line = font["name"].getDebugName(0)  # type: ignore[index]
    header = [
        "NotoSansCJKkr-Subset.otf: a subset of Noto Sans CJK KR (Regular), made by tools/make_cjk_font.py",
        "from the Debian package fonts-noto-cjk; source: https://github.com/notofonts/noto-cjk",
        "",
        copyright_line,
        "",
    ]
    return "\n".join(header + body).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    args = parser.parse_args()
    collection = TTCollection(str(args.source))
    (font,) = [f for f in collection.fonts if f["name"].getDebugName(4) == KR_FACE]
    options = subset.Options()
    options.layout_features = ["*"]  # vertical forms, proportional kana …
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # Qt renders CJK unhinted; the hints are half the size
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "NotoSansCJKkr-Subset.otf"
    font.save(str(target))
    (OUT / "NotoSansCJK-LICENSE.txt").write_text(licence_text(font), encoding="utf-8")
    size = target.stat().st_size / 1e6
    print(f"wrote {target.relative_to(ROOT)}: {size:.2f} MB, {len(codepoints())} characters")


if __name__ == "__main__":
    main()
