"""Write appeal/data/native_countries.json: country names in each country's own official
languages, from CLDR (Babel), so ``appeal import`` does not load ~250 locales on every run.

    python tools/country_tables.py           # rewrite the table
    python tools/country_tables.py --check   # exit 1 if it differs from CLDR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appeal.importer.lexicon import (  # noqa: E402
    NATIVE_COUNTRIES, _babel_version, build_native_country_names)


def table() -> str:
    names = build_native_country_names()
    return json.dumps({"babel": _babel_version(), "names": dict(sorted(names.items()))},
                      ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def main(check: bool) -> int:
    text = table()
    if check:
        same = NATIVE_COUNTRIES.exists() and NATIVE_COUNTRIES.read_text("utf-8") == text
        print("up to date" if same else f"{NATIVE_COUNTRIES} differs from CLDR: rewrite it")
        return 0 if same else 1
    NATIVE_COUNTRIES.write_text(text, "utf-8")
    print(f"wrote {NATIVE_COUNTRIES}")
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
