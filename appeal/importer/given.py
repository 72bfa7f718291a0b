"""Values the user gives at import time (``--title``, ``--country``, ``--deadline``, ``--lang``):
checked, then put in the extraction in place of what the document printed, marked "given by
you" so the review says where they came from."""

from __future__ import annotations

import datetime as dt
import unicodedata

from ..errors import USAGE, AppealError
from ..i18n import _
from .parse import Extraction, Found


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def country_code(text: str) -> str:
    """'pe', 'PE', 'Peru', 'Perú', 'Pérou' → 'PE'; anything else is a usage error."""
    from babel import Locale

    from ..compose import NOT_COUNTRIES
    from ..i18n import current_language

    value = (text or "").strip()
    names = Locale("en").territories
    if len(value) == 2 and value.isascii() and value.isalpha():
        code = value.upper()
        if code in names and code not in NOT_COUNTRIES:
            return code
    else:
        wanted = _fold(value)
        for lang in dict.fromkeys(("en", "es", "fr", current_language().split("-")[0])):
            try:
                territories = Locale.parse(lang).territories
            except (ValueError, LookupError):
                continue
            for code, name in territories.items():
                if (len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
                        and _fold(name) == wanted):
                    return code
    raise AppealError(
        _("--country: '{value}' is not a country code or a country name.").format(value=value),
        _("Give a two-letter code such as PE or MX, or the country's name, e.g. --country "
          "Peru."),
        exit_code=USAGE,
    )


def deadline_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise AppealError(
            _("--deadline: '{value}' is not a date in the form YYYY-MM-DD.").format(value=text),
            _("For example: --deadline 2026-03-16"),
            exit_code=USAGE,
        ) from None


def check_given(title: str | None, country: str | None, deadline: str | None) -> dict:
    """The given values, checked and normalised (before the document is read)."""
    from ..text import clean_field

    out: dict = {}
    if title is not None:
        out["title"] = (clean_field(title, "--title"), "--title", title)
        if not out["title"][0]:
            raise AppealError(_("--title: must not be empty."), exit_code=USAGE)
    if country is not None:
        out["country"] = (country_code(country), "--country", country)
    if deadline is not None:
        out["deadline"] = (deadline_date(deadline), "--deadline", deadline)
    return out


def _labels() -> dict[str, str]:
    return {"title": _("title"), "country": _("country"), "deadline": _("deadline")}


def apply_given(x: Extraction, given: dict, lang: str | None = None) -> None:
    """Put the given values in ``x`` in place of the document's, noting every replacement."""
    for key, (value, option, typed) in given.items():
        printed = x.get(key)
        if printed is not None and printed != value:
            x.notes.append(_("The document gives {field} \"{printed}\"; the value you gave with "
                             "{option} is used instead.").format(
                field=_labels()[key], printed=printed, option=option))
        x.fields[key] = Found(value, f"{option} {typed}",
                              _("given by you with {option}, not read from the document").format(
                                  option=option))
        if key == "deadline":
            x.fields.pop("deadline_text", None)  # the UA's wording of another date
    if lang:
        x.notes.append(_("The document was read as '{lang}', as you gave with --lang.").format(
            lang=lang))
