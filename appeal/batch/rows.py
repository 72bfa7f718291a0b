"""One sheet row -> the supporter, their note and letter options, checked like ``compose``.

Every cell passes the same gate as the command line (:func:`appeal.text.clean_field` via
``Supporter.cleaned`` and ``clean_edits``), and language and targets are checked against the
case, so a bad row is named before anything is drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cases import LoadedCase
from ..compose import Edits, Supporter, choose_language, choose_targets, clean_edits
from ..errors import AppealError, UsageError
from ..i18n import _
from ..text import clean_field
from . import aliases
from ..models import Target
from .sheet import SheetRow


@dataclass(frozen=True)
class RowInput:
    line: int
    supporter: Supporter
    edits: Edits
    lang: str  # the case's template key
    targets: tuple[Target, ...]


def split_targets(cell: str) -> tuple[str, ...]:
    """'president, ambassador' or 'president;ambassador' or 'Presidente de México'; parts
    that are several words are read by :func:`appeal.batch.aliases.target_ids`
    ('president ambassador' is two targets, 'López Obrador' one)."""
    return tuple(t.strip() for t in re.split(r"[,;/+\n]+", cell.strip()) if t.strip())


def read_row(
    loaded: LoadedCase,
    row: SheetRow,
    *,
    default_lang: str | None = None,
    default_targets: tuple[str, ...] = (),
    default_country: str | None = None,
) -> RowInput:
    """Check one row; raises :class:`AppealError` with the reason (the caller adds file:line)."""
    cells = {k: (v or "").strip() for k, v in row.cells.items()}
    address = cells.get("address") or None
    if address:
        # Lines as typed in one cell: line breaks, ";" or " / " ("S/N" stays whole).
        address = "\n".join(part.strip() for part in re.split(r"\r\n|\r|\n|;|\s+/\s+", address)
                             if part.strip())
    country = cells.get("country") or None
    if country:
        country = aliases.country_code(clean_field(country, _("country")))
    supporter = Supporter(
        name=cells.get("name", ""),
        city=cells.get("city") or None,
        country=country or default_country or None,
        address=address,
        email=cells.get("email") or None,
    ).cleaned()
    edits = clean_edits(Edits(note=cells.get("note") or None))
    lang = _language(loaded, cells.get("language") or None, default_lang)
    cell = split_targets(cells.get("to", ""))
    wanted = aliases.target_ids(loaded.case.targets, cell, loaded.id) if cell else default_targets
    targets = tuple(choose_targets(loaded, wanted))
    return RowInput(row.line, supporter, edits, lang, targets)


def _language(loaded: LoadedCase, cell: str | None, default: str | None) -> str:
    """A language code ('es', 'es-MX') or name in any interface language ('Español',
    'inglés', 'Français')."""
    if not cell:
        return choose_language(loaded, default)
    try:
        return choose_language(loaded, cell)
    except UsageError:
        key = aliases.language_key(tuple(loaded.case.languages),
                                   clean_field(cell, _("language")))
        return choose_language(loaded, key)


def blank_supporter(country: str | None) -> Supporter:
    """For walk-ins: a line to write the name on instead of a name."""
    return Supporter(name=BLANK_NAME, country=country)


BLANK_NAME = "_" * 28


def row_error(exc: AppealError) -> str:
    return exc.message
