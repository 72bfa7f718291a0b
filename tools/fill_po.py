"""Fill msgstr entries of a .po file from a Python dict of translations (maintenance helper).

    python tools/fill_po.py locales/es/LC_MESSAGES/appeal.po translations.py

``translations.py`` defines ``T = {msgid: msgstr}``; plural entries use tuples for both.
Spanish gets two plural forms (Babel would otherwise write three and leave one empty, which
silently falls back to English).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PLURAL_FORMS = {"es": "nplurals=2; plural=(n != 1);", "en": "nplurals=2; plural=(n != 1);"}


def main(po_path: str, table_path: str) -> None:
    table = runpy.run_path(table_path)["T"]
    path = Path(po_path)
    lang = path.parent.parent.name
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    catalog.fuzzy = False
    catalog._num_plurals, catalog._plural_expr = 2, "(n != 1)"
    for message in catalog:
        if message.id in table:
            message.string = table[message.id]
            message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, no_location=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
