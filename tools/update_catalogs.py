"""Extract the marked strings, merge them into each language's .po, and compile the .mo files.

    python tools/update_catalogs.py

Needs Babel (in the dev extra). New strings enter each .po with an empty
translation for a person to write; strings no longer in the code are dropped.
tests/test_catalogs.py fails until every string is translated and every .mo is
compiled from its .po.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "explainer" / "resources" / "locale"
LANGUAGES = ("ko",)


def template() -> Catalog:
    """Every string the code marks with _(…) or N_(…)."""
    catalog = Catalog(project="attention-explainer")
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT / "explainer", method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
    ):
        catalog.add(message, locations=[(f"explainer/{filename}", lineno)])
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "explainer.po"


def compiled(language: str) -> bytes:
    """The .mo that the language's .po compiles to (what tests compare with the shipped one)."""
    import io

    with po_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main() -> None:
    fresh = template()
    for language in LANGUAGES:
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as po:
                catalog = read_po(po, locale=language)
        else:
            catalog = Catalog(locale=language, project="attention-explainer")
        catalog.update(fresh, no_fuzzy_matching=True)
        with path.open("wb") as po:
            write_po(po, catalog, omit_header=False, width=100, include_lineno=False, sort_output=True)
        path.with_suffix(".mo").write_bytes(compiled(language))
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{path.relative_to(ROOT)}: {len(catalog)} strings, {len(missing)} to translate")


if __name__ == "__main__":
    main()
