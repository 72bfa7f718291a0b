"""Sheet cells as people type them: languages, targets and countries by name.

"Español", "español", "Spanish", "inglés", "Français" or "es"; "President", "presidente",
"Moctezuma" or "ambassador"; "México", "Mexico", "Estados Unidos", "USA" or "MX". Names come
from CLDR (Babel) in the interface languages (en, es, fr, de, pt) and the case's own, never
from a hand list; case, accents and spacing are ignored. A cell still not understood gets
the valid values and the closest one ("did you mean …?").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from ..errors import UsageError
from ..i18n import _

NAME_LANGUAGES = ("en", "es", "fr", "de", "pt")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """'  Estados  Unidos ' / 'ESTADOS UNIDOS' / 'estados unidos' -> 'estados unidos'.
    Cached: a sheet repeats the same few cells on every row."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\u2019'`´-]", " ", plain.replace(".", "")).split())


def _suggest(text: str, choices, shown: dict[str, str] | None = None) -> str:
    """The closest valid value, as people write it (``shown``: folded -> spelled)."""
    close = difflib.get_close_matches(fold(text), list(choices), n=1, cutoff=0.6)
    return (shown or {}).get(close[0], close[0]) if close else ""


def _hint(valid: str, suggestion: str) -> str:
    if suggestion:
        return _("Did you mean '{value}'? Valid values: {values}").format(
            value=suggestion, values=valid)
    return _("Valid values: {values}").format(values=valid)


# -- languages ---------------------------------------------------------------------------------

def language_key(languages: tuple[str, ...], text: str) -> str:
    """The case language (template key) that ``text`` names, or a usage error."""
    table = _language_table(tuple(languages))
    found = table.get(fold(text))
    if found:
        return found
    raise UsageError(
        _("Unknown language '{value}'.").format(value=text),
        _hint(", ".join(sorted(f"{_display_language(key)} ({key})" for key in languages)),
              _suggest(text, table, _SPELLED)),
    )


def _display_language(key: str) -> str:
    from babel import Locale

    from ..i18n import current_language

    base = key.split("-")[0]
    try:
        return Locale.parse(current_language()).languages.get(base, key)
    except (ValueError, LookupError):
        return key


@lru_cache(maxsize=16)
def _language_table(languages: tuple[str, ...]) -> dict[str, str]:
    """Every name of each case language, in every naming language -> the case's key."""
    from babel import Locale

    table: dict[str, str] = {}
    bases = {key: key.split("-")[0].lower() for key in languages}
    namers = dict.fromkeys([*NAME_LANGUAGES, *bases.values()])
    for key, base in bases.items():
        table.setdefault(fold(key), key)
        table.setdefault(fold(key.replace("-", "_")), key)
        table.setdefault(base, key)
        for namer in namers:
            try:
                name = Locale.parse(namer).languages.get(base)
            except (ValueError, LookupError):
                continue
            if name:
                table.setdefault(fold(name), key)
                _SPELLED.setdefault(fold(name), name)
    return table


_SPELLED: dict[str, str] = {}  # folded name -> the name as CLDR spells it


# -- countries ---------------------------------------------------------------------------------

def country_code(text: str) -> str:
    """The ISO 3166 code for ``text``: a code ('mx'), an alpha-3 code ('USA') or a name in
    en/es/fr/de/pt ('México', 'Estados Unidos', 'Allemagne'); a usage error otherwise."""
    folded = fold(text)
    table = _country_table()
    if len(folded) == 2 and folded.isascii() and folded.isalpha():
        # Checked against the list of countries by Supporter.cleaned; 'UK' means GB.
        return table.get(folded, folded.upper()) if folded == "uk" else folded.upper()
    found = table.get(folded)
    if found:
        return found
    raise UsageError(
        _("country: '{value}' is not a country name or code.").format(value=text),
        _hint(_("a two-letter code such as MX, US, ES, DE, or the country's name"),
              _suggest(text, table, _SPELLED)),
    )


@lru_cache(maxsize=1)
def _country_table() -> dict[str, str]:
    from babel import Locale
    from babel.core import get_global

    table: dict[str, str] = {}
    for namer in NAME_LANGUAGES:
        for code, name in Locale.parse(namer).territories.items():
            if len(code) == 2 and code.isalpha():
                table.setdefault(fold(name), code)
                _SPELLED.setdefault(fold(name), name)
    for alias, codes in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(codes) == 1:
            table.setdefault(fold(alias), codes[0])  # USA, MEX, GBR; also UK
        elif alias == "UK":
            table.setdefault("uk", codes[0])
    return table


# -- targets -----------------------------------------------------------------------------------

def target_ids(targets, cell_parts: tuple[str, ...], case_id: str) -> tuple[str, ...]:
    """Target ids for the parts of a 'to' cell: each by id, name, surname, a word of the
    name, or title (or its first word: 'President', 'presidente') in any language."""
    table = _target_table(targets)
    out: list[str] = []
    for part in cell_parts:
        ids = table.get(fold(part))
        if ids is None and " " in part.strip():  # 'president ambassador'
            words = [table.get(fold(w)) for w in part.split()]
            if all(w is not None and len(w) == 1 for w in words):
                out += [next(iter(w)) for w in words]
                continue
        if ids is None:
            raise UsageError(
                _("Case {case} has no target '{target}'.").format(case=case_id, target=part),
                _hint(", ".join(t.id for t in targets), _suggest(part, table)),
            )
        if len(ids) > 1:
            raise UsageError(
                _("'{value}' could be any of: {targets}.").format(
                    value=part, targets=", ".join(sorted(ids))),
                _("Use the target's id or surname."))
        out.append(next(iter(ids)))
    return tuple(out)


def _target_table(targets) -> dict[str, set[str]]:
    """Built once per case: every row of a sheet asks with the same targets."""
    return _target_table_of(tuple(
        (t.id, t.role.value, t.name, t.surname, tuple(t.title.values())) for t in targets))


@lru_cache(maxsize=8)
def _target_table_of(targets: tuple) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}

    def add(text: str | None, target_id: str) -> None:
        if text and fold(text):
            table.setdefault(fold(text), set()).add(target_id)

    for target_id, role, name, surname, titles in targets:
        add(target_id, target_id)
        add(target_id.replace("_", " "), target_id)
        add(role.replace("_", " "), target_id)
        add(name, target_id)
        add(surname, target_id)
        for word in (name or "").split() + (surname or "").split():
            if len(fold(word)) > 3:
                add(word, target_id)
        for title in titles:
            add(title, target_id)
            add(title.split()[0] if title.split() else "", target_id)
    # An id always means its own target, whatever else shares the word.
    for target_id, *_rest in targets:
        table[fold(target_id)] = {target_id}
    return table
