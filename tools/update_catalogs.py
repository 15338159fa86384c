"""Extract the marked strings, merge them into each language's .po, and compile the .mo files.

    python tools/update_catalogs.py [DOMAIN …]

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


# Which source files feed which catalogue (explainer.i18n.DOMAINS), by path under explainer/.
SOURCES = {
    "window": ["qt/**.py"],
    "captions": ["animation/**.py", "model/**.py"],
    "scenes": ["scenes/**.py"],
    "cli": ["cli/**.py", "export/**.py", "session/**.py", "real/**.py", "atomic.py", "i18n.py"],
}


def template(domain: str) -> Catalog:
    """Every string the domain's code marks with _(…) or N_(…)."""
    catalog = Catalog(project="attention-explainer")
    method_map = [(pattern, "python") for pattern in SOURCES[domain]]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT / "explainer", method_map=method_map, keywords={"_": None, "N_": None}
    ):
        catalog.add(message, locations=[(f"explainer/{filename}", lineno)])
    return catalog


def po_path(language: str, domain: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def compiled(language: str, domain: str) -> bytes:
    """The .mo that the domain's .po compiles to (what tests compare with the shipped one)."""
    import io

    with po_path(language, domain).open("rb") as po:
        catalog = read_po(po, locale=language)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update(language: str, domain: str) -> None:
    path = po_path(language, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with path.open("rb") as po:
            catalog = read_po(po, locale=language)
    else:
        catalog = Catalog(locale=language, project="attention-explainer")
    catalog.update(template(domain), no_fuzzy_matching=True)
    with path.open("wb") as po:
        write_po(po, catalog, omit_header=False, width=100, include_lineno=False, sort_output=True)
    path.with_suffix(".mo").write_bytes(compiled(language, domain))
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{path.relative_to(ROOT)}: {len(catalog)} strings, {len(missing)} to translate")


def main() -> None:
    import sys

    domains = sys.argv[1:] or list(SOURCES)  # one domain: python tools/update_catalogs.py captions
    for language in LANGUAGES:
        for domain in domains:
            update(language, domain)


if __name__ == "__main__":
    main()
