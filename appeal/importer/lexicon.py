"""Words the importer recognises: country and language names, months, dates, document language.

Country and language names come from Babel's CLDR data in English, Spanish and French (the
three languages Amnesty publishes Urgent Actions in), so no hand-kept list can drift; a few
aliases cover names CLDR spells differently from UAs ("Democratic Republic of the Congo").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from functools import lru_cache

DOC_LANGS = ("en", "es", "fr")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in "’‘`´":
        return "'"
    bare = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    bare = bare.lower()
    return bare if len(bare) == 1 else c.lower()[:1] or c


class _FoldTable(dict):
    """``str.translate`` table: each character → its folded character, worked out on first
    sight (a translate runs in C; a join over a generator cost ~0.1 s per import)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case without accents or curly quotes, for matching only (never for output).

    Keeps the length of ``text`` so that match positions index the original string.
    """
    return text.translate(_FOLD_TABLE)


_ALIASES = {
    "usa": "US", "u.s.a.": "US", "united states of america": "US", "ee.uu.": "US", "eeuu": "US",
    "estados unidos de america": "US", "etats-unis d'amerique": "US", "uk": "GB",
    "great britain": "GB", "democratic republic of the congo": "CD", "drc": "CD",
    "dr congo": "CD", "republica democratica del congo": "CD",
    "republique democratique du congo": "CD", "rdc": "CD", "republic of the congo": "CG",
    "burma": "MM", "myanmar": "MM", "ivory coast": "CI", "cote d'ivoire": "CI",
    "hong kong": "HK", "palestine": "PS", "state of palestine": "PS", "macau": "MO",
    "estados unidos mexicanos": "MX", "mexique": "MX", "south korea": "KR", "north korea": "KP",
    "russia": "RU", "russian federation": "RU", "federation de russie": "RU",
    "federacion de rusia": "RU", "iran": "IR", "syria": "SY", "turkey": "TR", "turkiye": "TR",
    "vietnam": "VN", "viet nam": "VN", "laos": "LA", "the gambia": "GM", "czech republic": "CZ",
    "swaziland": "SZ", "eswatini": "SZ", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "islamic republic of iran": "IR", "republique islamique d'iran": "IR",
    "people's republic of china": "CN", "republica popular china": "CN",
    "republica popular de china": "CN", "republique populaire de chine": "CN",
    "kingdom of saudi arabia": "SA", "reino de arabia saudita": "SA",
    "royaume d'arabie saoudite": "SA",
    "republica islamica de iran": "IR", "ee. uu": "US", "ee uu": "US", "e.u.a": "US",
    "etats-unis": "US", "mexico city": "", "distrito federal": "",
}


def _cldr_country_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for lang in DOC_LANGS:
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "ZZ", "QO"):
                names.setdefault(fold(name), code)
                bare = re.sub(r"\s*\(.*\)$", "", name)  # "Myanmar (Burma)" → "Myanmar"
                names.setdefault(fold(bare), code)
    return names


def _cldr_language_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for lang in DOC_LANGS:
        for code, name in Locale(lang).languages.items():
            if re.fullmatch(r"[a-z]{2,3}", code):
                names.setdefault(fold(name), code)
    return names


def _cldr_month_names() -> dict[str, int]:
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for lang in DOC_LANGS:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=lang).items():
                    key = fold(name).rstrip(".")
                    if len(key) >= 3:
                        names.setdefault(key, number)
    return names


CLDR_NAMES_FILE = "cldr_names.json"


def build_cldr_names() -> dict[str, dict]:
    """Folded country, language and month names in en/es/fr from Babel's CLDR data. Loading
    those locales takes ~0.1 s, so the result ships as ``cldr_names.json``
    (``python tools/native_countries.py`` rebuilds it; a test checks that it matches the
    installed Babel)."""
    return {"countries": _cldr_country_names(), "languages": _cldr_language_names(),
            "months": _cldr_month_names()}


@lru_cache(maxsize=1)
def _cldr_names() -> dict[str, dict]:
    import json
    from pathlib import Path

    try:
        tables = json.loads(Path(__file__).with_name(CLDR_NAMES_FILE).read_text(encoding="utf-8"))
        if set(tables) == {"countries", "languages", "months"}:
            return tables
    except (OSError, ValueError):
        pass
    return build_cldr_names()


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Folded country name (en/es/fr, CLDR) → ISO 3166 alpha-2 code."""
    names = dict(_cldr_names()["countries"])
    for alias, code in _ALIASES.items():
        if code:
            names[alias] = code
        else:
            names.pop(alias, None)
    return names


NATIVE_NAMES_FILE = "native_countries.json"


def build_native_country_names() -> dict[str, str]:
    """Folded country names in the country's own official languages ("Deutschland",
    "Türkiye", "Brasil"), from CLDR: address lines end in these; prose rarely does.

    Reading them means loading ~300 CLDR locales (over a second), so the result ships as
    ``native_countries.json`` (``python tools/native_countries.py`` rebuilds it; a test checks
    that it matches the installed Babel)."""
    from babel import Locale
    from babel.languages import get_official_languages

    names: dict[str, str] = {}
    for code in Locale("en").territories:
        if len(code) != 2 or not code.isalpha():
            continue
        for lang in get_official_languages(code, de_facto=True)[:3]:
            for ident in (f"{lang}_{code}", lang):
                try:
                    name = Locale.parse(ident).territories.get(code)
                except Exception:  # no CLDR data for this locale
                    continue
                if name:
                    names.setdefault(fold(name), code)
                    break
    return names


@lru_cache(maxsize=1)
def native_country_names() -> dict[str, str]:
    """:func:`build_native_country_names`, read from the file shipped with the package."""
    import json
    from pathlib import Path

    path = Path(__file__).with_name(NATIVE_NAMES_FILE)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return build_native_country_names()


def country_code(text: str) -> str | None:
    """The code of a string that is exactly a country name ("México", "Mexique", "MEXICO",
    or the country's own name, "Deutschland")."""
    key = fold(text).strip(" .,;:()")
    key = re.sub(r"^(the|la|le|les|el|l')\s*", "", key)
    return country_names().get(key) or (native_country_names().get(key) if len(key) > 3 else None)


_STATE_WORDS = re.compile(
    r"\b(?:republic|kingdom|federation|emirates|state|sultanate|principality|commonwealth|"
    r"republica|reino|federacion|emiratos|estado|sultanato|principado|"
    r"republique|royaume|federation|emirats|etat|sultanat|principaute)\b")


def official_country(text: str) -> str | None:
    """The code of a country's official long name ("Arab Republic of Egypt", "République
    arabe d'Égypte", "Kingdom of Saudi Arabia"), or of its plain name."""
    code = country_code(text)
    if code:
        return code
    folded = fold(text).strip(" .,;:")
    if len(folded.split()) > 7 or any(c.isdigit() for c in folded) or not _STATE_WORDS.search(folded):
        return None
    codes = {c for c, _w in countries_in(text)}
    return codes.pop() if len(codes) == 1 else None


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _countries_by_first_word() -> dict[str, tuple[int, ...]]:
    """First word of each country name looked for (over 3 characters) → the lengths of the
    names starting with it, longest first."""
    lengths: dict[str, set[int]] = {}
    for name in country_names():
        first = _WORD.match(name)
        if len(name) > 3 and first:  # every CLDR name starts with a letter (a test checks)
            lengths.setdefault(first.group(), set()).add(len(name))
    return {word: tuple(sorted(ns, reverse=True)) for word, ns in lengths.items()}


def countries_in(text: str) -> list[tuple[str, str]]:
    """Every country named in ``text``, as (code, the words found), in order: where a word
    starts (not after a hyphen), the longest name that ends where a word ends. This finds
    what the regular expression ``(?<![\\w-])(longest|...|shortest)(?![\\w-])`` finds,
    without compiling 600 names into one pattern (~30 ms, each run)."""
    folded = fold(text)
    names = country_names()
    by_first = _countries_by_first_word()
    found: list[tuple[str, str]] = []
    done = 0
    for word in _WORD.finditer(folded):
        i = word.start()
        if i < done or (i and folded[i - 1] == "-"):
            continue
        for n in by_first.get(word.group(), ()):
            words = folded[i:i + n]
            after = folded[i + n:i + n + 1]  # "" at the end of the text
            if len(words) == n and words in names and not (after.isalnum() or after == "_"
                                                            or after == "-"):
                found.append((names[words], words))
                done = i + n
                break
    return found


@lru_cache(maxsize=1)
def language_names() -> dict[str, str]:
    """Folded language name in en/es/fr ("Spanish", "español", "espagnol") → code."""
    return _cldr_names()["languages"]


def language_codes_in(text: str) -> list[str]:
    """Language codes named in ``text`` in order ("in English, Spanish or your own" → en, es)."""
    names = language_names()
    found = []
    for word in re.findall(r"[^\W\d_]+", fold(text)):
        code = names.get(word)
        if code and code not in found and word not in ("own", "propio", "propre"):
            found.append(code)
    return found


# --- document language ------------------------------------------------------------------------

_STOP = {
    "en": "the and of to in is are that for with you your this have has be on by from their was "
          "were they please we dear sincerely write urgent action".split(),
    "es": "el la los las de del que y en es son por para con su sus una un le se al lo ha han "
          "señor señora atentamente escriban accion urgente".split(),
    "fr": "le la les des du de et est sont que qui pour dans une un sur au aux vous votre nous "
          "ce cette monsieur madame veuillez action urgente".split(),
}


def detect_language(text: str) -> str | None:
    """en, es or fr by counting common words; None when the text is too short to tell."""
    words = re.findall(r"[^\W\d_]+", fold(text))
    if len(words) < 3:
        return None
    scores = {lang: 0 for lang in _STOP}
    stop = {lang: set(fold(w) for w in ws) for lang, ws in _STOP.items()}
    for word in words[:5000]:
        for lang in scores:
            if word in stop[lang]:
                scores[lang] += 1
    best = max(scores, key=scores.get)
    return best if scores[best] >= 2 else None


# --- dates ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    names = dict(_cldr_names()["months"])
    names.update({"sept": 9, "setiembre": 9})
    return names


def _month_re() -> str:
    return "|".join(sorted((re.escape(m) for m in month_names()), key=len, reverse=True))


@lru_cache(maxsize=1)
def _date_patterns() -> list[tuple[re.Pattern, str]]:
    month = rf"(?P<month>{_month_re()})\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|ro|º|°)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    sep = r"(?:\s+de|\s*,)?\s+"
    return [
        (re.compile(rf"\b{year}-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b"), "iso"),
        (re.compile(rf"\b{day}{sep}{month}{sep}(?:del?\s+)?{year}\b"), "dmy"),
        (re.compile(rf"\b{month}\s+{day},?\s+{year}\b"), "mdy"),
        (re.compile(rf"\b(?P<day>[0-3]?\d)[./-](?P<m>[01]?\d)[./-]{year}\b"), "numeric"),
        (re.compile(rf"\b{month}{sep}(?:del?\s+)?{year}\b"), "my"),
    ]


def parse_date(text: str) -> tuple[dt.date, str] | None:
    """The first date in ``text`` and the words it came from. A month alone means its last day.

    Numeric dates are read day first, as the international UAs write them.
    """
    folded = fold(text)
    best = None
    for pattern, kind in _date_patterns():
        match = pattern.search(folded)
        if not match or (best and match.start() >= best[0]):
            continue
        groups = match.groupdict()
        try:
            year = int(groups["year"])
            month = int(groups["m"]) if groups.get("m") else month_names()[groups["month"]]
            if kind == "my":
                day = calendar.monthrange(year, month)[1]
            else:
                day = int(groups["day"])
            value = dt.date(year, month, day)
        except (KeyError, ValueError, TypeError):
            continue
        best = (match.start(), value, text[match.start():match.end()])
    return (best[1], best[2]) if best else None


# --- section labels (headings.yaml) -----------------------------------------------------------

# kinds found anywhere in a line (a flattened page runs the whole UA onto one line); the
# others must start the line
_SEARCHED = {"deadline", "write"}


@lru_cache(maxsize=1)
def section_patterns() -> dict[str, re.Pattern]:
    """headings.yaml → one pattern per kind, all languages together, on folded text."""
    from pathlib import Path

    import yaml

    text = Path(__file__).with_name("headings.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # C: 10× faster
    out = {}
    for kind, by_lang in data.items():
        alternatives = "|".join(f"(?:{p})" for lang in DOC_LANGS for p in by_lang.get(lang, []))
        out[kind] = re.compile((r"(?<![\w'])" if kind in _SEARCHED else "^") + f"(?:{alternatives})")
    return out


def section_match(kind: str, folded: str) -> re.Match | None:
    """Where a section label of ``kind`` is in a folded, bullet-stripped line (None if not)."""
    pattern = section_patterns().get(kind)
    if pattern is None:
        return None
    return pattern.search(folded) if kind in _SEARCHED else pattern.match(folded)
