"""Phone and fax numbers as printed → international form, with the country of the target.

UAs print numbers the way people dial them locally ("(202) 728-1600" at an embassy in
Washington, "33 3837 6000" in Jalisco). A supporter abroad needs the country code, so a number
that libphonenumber (the ``phonenumbers`` port) finds valid for the target's country is stored
as "+1 202-728-1600"; anything it cannot vouch for is kept exactly as printed.
"""

from __future__ import annotations


def international(printed: str, country: str | None) -> str:
    """"(202) 728-1600", "US" → "+1 202-728-1600"; the printed text when not sure."""
    import phonenumbers

    text = printed.strip()
    if text.lstrip("( ").startswith(("+", "00")) or not country:
        return printed  # already international (kept as printed), or no country to read it with
    region = country
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return printed
    if not phonenumbers.is_valid_number(number):
        return printed
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
