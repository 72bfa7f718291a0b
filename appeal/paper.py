"""Paper size by the supporter's country: US Letter where CLDR says so, A4 everywhere else."""

from __future__ import annotations

from .errors import UsageError
from .i18n import _

# CLDR supplemental measurementData, paperSize "US-Letter" (Babel does not expose it).
US_LETTER_TERRITORIES = frozenset(
    ["BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"]
)
PAPER_SIZES_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
_ALIASES = {"a4": "a4", "letter": "letter", "us-letter": "letter", "us": "letter"}


def paper_for(country: str | None, override: str | None = None) -> str:
    if override:
        key = _ALIASES.get(override.strip().lower())
        if key is None:
            raise UsageError(
                _("Unknown paper size '{paper}'.").format(paper=override),
                _("Use one of: {sizes}").format(sizes=", ".join(PAPER_SIZES_MM)),
            )
        return key
    return "letter" if country and country.upper() in US_LETTER_TERRITORIES else "a4"
