"""Rebuild appeal/importer/native_countries.json (country names in their own languages, from
Babel's CLDR data) after upgrading Babel: `python tools/native_countries.py`."""

import json
from pathlib import Path

from appeal.importer.lexicon import NATIVE_NAMES_FILE, build_native_country_names

path = Path(__file__).resolve().parent.parent / "appeal" / "importer" / NATIVE_NAMES_FILE
names = build_native_country_names()
path.write_text(json.dumps(names, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
print(f"{len(names)} names written to {path}")
