"""Refresh the gettext catalog of the web page (locales/*/LC_MESSAGES/web.po).

    python tools/web_catalog.py          # extract appeal/web (Python and templates), merge
    python tools/web_catalog.py --check  # exit 1 if a Spanish message is untranslated

Messages the other catalogs already carry (appeal.po, batch.po, …) are left to them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]


def extracted() -> Catalog:
    template = Catalog(project="appeal")
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT / "appeal" / "web"), method_map=METHODS, keywords=KEYWORDS, comment_tags=()
    ):
        template.add(message)
    return template


def other_ids(lang_dir: Path) -> set:
    ids = set()
    for po in lang_dir.glob("*.po"):
        if po.name != "web.po":
            with po.open("rb") as fh:
                ids |= {m.id for m in read_po(fh) if m.id}
    return ids


def main(check: bool) -> int:
    template = extracted()
    missing = 0
    for lang_dir in sorted((ROOT / "locales").glob("*/LC_MESSAGES")):
        lang = lang_dir.parent.name
        po_path = lang_dir / "web.po"
        if po_path.exists():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="appeal")
        others = other_ids(lang_dir)
        mine = Catalog(project="appeal")
        for m in template:
            if m.id and m.id not in others:
                mine.add(m.id)
        catalog.update(mine, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        untranslated = [] if lang == "en" else [m.id for m in catalog if m.id and not m.string or
                        (isinstance(m.string, tuple) and not all(m.string))]
        for mid in untranslated:
            print(f"{po_path}: untranslated: {mid!r}")
        missing += len(untranslated)
        if not check:
            with po_path.open("wb") as fh:
                write_po(fh, catalog, width=100, omit_header=False, sort_output=True,
                         no_location=True)
    return 1 if check and missing else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
