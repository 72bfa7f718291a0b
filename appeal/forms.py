"""Forms of address per language: salutation, closing, honorific, dateline, subject line.

All of it is data (``data/forms.yaml``); this module only picks the right entry for a target.
"""

from __future__ import annotations

import string


from .errors import UsageError
from .i18n import _
from .models import Target
from .resources import language_table


def _table() -> dict:
    return language_table("forms.yaml")


def framing_languages() -> list[str]:
    return sorted(_table())


def framing(lang: str) -> dict:
    base = lang.split("-")[0]
    table = _table()
    if base not in table:
        raise UsageError(
            _("appeal has no letter framing (salutations, closings) for language '{lang}'.").format(
                lang=lang
            ),
            _("Languages with framing: {langs}").format(langs=", ".join(framing_languages())),
        )
    return table[base]


def _fields(pattern: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(pattern) if name}


def vocative(target: Target, lang: str, common: dict[str, str] | None = None) -> str:
    """The form of address without its punctuation: 'Señor Presidente', 'Dear President X'.

    The target's own salutation wins; then ``common``, the case's salutation for every target
    (a UA whose sample letter greets several officials at once: "Estimados señores")."""
    override = target.salutation.get(lang) or target.salutation.get(lang.split("-")[0])
    if not override and common:
        override = common.get(lang) or common.get(lang.split("-")[0])
    if override:
        return override.rstrip(" ,:")
    known = {"surname": target.surname, "name": target.name}
    known = {k: v for k, v in known.items() if v}
    options = framing(lang)["salutation"][target.role.value][target.gender.value]
    for option in options:
        if _fields(option) <= known.keys():
            return option.format(**known)
    return options[-1].format(**{k: "" for k in _fields(options[-1])}).strip()


def salutation(target: Target, lang: str, common: dict[str, str] | None = None) -> str:
    return vocative(target, lang, common) + framing(lang)["salutation_end"]


def closing(target: Target, lang: str, common: dict[str, str] | None = None,
            locale: str | None = None) -> str:
    """The closing formula for the target's role and the letter's region (``locale`` such as
    "en-US": Americans close "Sincerely,", the British "Yours sincerely,")."""
    entry = framing(lang)["closing"]
    if isinstance(entry, dict):
        region = (locale or lang).split("-")[1].upper() if "-" in (locale or lang) else None
        entry = (entry.get("role", {}).get(target.role.value)
                 or entry.get("region", {}).get(region)
                 or entry["default"])
    return entry.format(vocative=vocative(target, lang, common))


def honorific(target: Target, lang: str) -> str:
    return framing(lang)["honorific"][target.gender.value]
