"""Refresh the gettext catalogs of appeal's core messages (locales/*/LC_MESSAGES/appeal.po).

    python tools/catalogs.py          # extract messages, merge into every appeal.po
    python tools/catalogs.py --check  # exit 1 if any catalog of any language lacks a translation
    python tools/catalogs.py --web [--check]  # the same for the web page's web.po (appeal/web,
                                              # Python and templates)

Feature catalogs (batch.po, channels.po, import.po, robust.po) hold their own modules'
messages; this script adds new messages only to appeal.po (leaving out msgids those catalogs
already carry), and checks every catalog: each message of the code must be in one of them,
translated (every plural form too).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
WEB_METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
# domain -> (folder its messages are extracted from, extraction methods)
# (the web page's catalog also carries the messages of `appeal serve`, which starts it)
DOMAINS = {"appeal": [(ROOT / "appeal", None)],
           "web": [(ROOT / "appeal" / "web", WEB_METHODS), (ROOT / "appeal" / "cli" / "serve.py", None)]}


def extracted(domain: str = "appeal") -> Catalog:
    template = Catalog(project="appeal")
    for source, methods in DOMAINS[domain]:
        if source.is_file():
            found = ((None, *m) for m in extract_from_file("python", str(source),
                                                          keywords=KEYWORDS, comment_tags=()))
        else:
            found = extract_from_dir(str(source), method_map=methods or [("**.py", "python")],
                                     keywords=KEYWORDS, comment_tags=())
        for _file, _line, message, _comments, _ctx in found:
            template.add(message)
    return template


def feature_ids(lang_dir: Path, domain: str = "appeal") -> set:
    """Messages the other catalogs of the language already carry (left to them)."""
    ids = set()
    for po in lang_dir.glob("*.po"):
        if po.name != f"{domain}.po":
            with po.open("rb") as fh:
                ids |= {m.id for m in read_po(fh) if m.id}
    return ids


def _untranslated(message) -> bool:
    if isinstance(message.string, (tuple, list)):
        return not all(message.string)
    return not message.string


def _report_untranslated(po_path: Path, catalog: Catalog) -> int:
    ids = [m.id for m in catalog if m.id and _untranslated(m)]
    for mid in ids:
        print(f"{po_path.relative_to(ROOT)}: untranslated: {mid!r}")
    return len(ids)


def main(check: bool, domain: str = "appeal") -> int:
    """Merge the extracted messages into every ``<domain>.po``; the core domain also checks
    every other catalog of each language (each message of the code is in one, translated)."""
    template = extracted(domain)
    missing = 0
    for lang_dir in sorted((ROOT / "locales").glob("*/LC_MESSAGES")):
        lang = lang_dir.parent.name
        po_path = lang_dir / f"{domain}.po"
        if po_path.exists():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="appeal")
        others = feature_ids(lang_dir, domain)
        mine = Catalog(project="appeal")
        for m in template:
            if m.id and m.id not in others:
                mine.add(m.id)
        catalog.update(mine, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if lang != "en":
            missing += _report_untranslated(po_path, catalog)
            for other in sorted(lang_dir.glob("*.po")) if domain == "appeal" else ():
                if other.name != po_path.name:
                    with other.open("rb") as fh:
                        missing += _report_untranslated(other, read_po(fh, locale=lang))
        if not check:
            with po_path.open("wb") as fh:
                write_po(fh, catalog, width=100, omit_header=False, sort_output=True,
                         no_location=True)
    return 1 if check and missing else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv, "web" if "--web" in sys.argv else "appeal"))
