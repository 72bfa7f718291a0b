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
    """'president, ambassador' or 'president;ambassador' or 'president ambassador'."""
    return tuple(t for t in re.split(r"[\s,;/+]+", cell.strip()) if t)


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
    supporter = Supporter(
        name=cells.get("name", ""),
        city=cells.get("city") or None,
        country=cells.get("country") or default_country or None,
        address=address,
        email=cells.get("email") or None,
    ).cleaned()
    edits = clean_edits(Edits(note=cells.get("note") or None))
    lang = choose_language(loaded, cells.get("language") or default_lang)
    wanted = split_targets(cells.get("to", "")) or default_targets
    targets = tuple(choose_targets(loaded, wanted))
    return RowInput(row.line, supporter, edits, lang, targets)


BLANK_NAME = "_" * 28


def blank_supporter(country: str | None) -> Supporter:
    """For walk-ins: a line to write the name on instead of a name."""
    return Supporter(name=BLANK_NAME, country=country)
