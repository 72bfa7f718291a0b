"""Rebuild the importer's tables of names from Babel's CLDR data after upgrading Babel:
appeal/importer/native_countries.json (country names in their own languages) and
appeal/importer/cldr_names.json (country, language and month names in en/es/fr).

    python tools/native_countries.py
"""

import json
from pathlib import Path

from appeal.importer.lexicon import (CLDR_NAMES_FILE, NATIVE_NAMES_FILE, build_cldr_names,
                                     build_native_country_names)

folder = Path(__file__).resolve().parent.parent / "appeal" / "importer"
names = build_native_country_names()
path = folder / NATIVE_NAMES_FILE
path.write_text(json.dumps(names, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
print(f"{len(names)} names written to {path}")
tables = build_cldr_names()
path = folder / CLDR_NAMES_FILE
# insertion order kept: it is CLDR's order, which the lookups were built in
path.write_text(json.dumps(tables, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
print(f"{sum(map(len, tables.values()))} names written to {path}")
