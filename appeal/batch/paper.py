"""One paper size for a whole letter night: every letter of a batch, the blanks and
``print-all.pdf`` go through one printer, so they share one size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..i18n import _
from ..paper import paper_for


def pack_paper(papers: Iterable[str], paper: str | None, country: str | None) -> str:
    """``--paper``, else the organizer's ``--country``'s, else the most common among the
    rows' letters (A4 on a tie or with no rows)."""
    if paper or country:
        return paper_for(country, paper)
    counts = Counter(papers)
    if not counts:
        return "a4"
    return max(sorted(counts), key=lambda size: counts[size])


def paper_reason(paper: str, given_paper: str | None, country: str | None) -> str:
    """Which paper the pack uses and why, for the terminal."""
    name = {"a4": "A4", "letter": "US Letter"}.get(paper, paper)
    if given_paper:
        why = _("as --paper says")
    elif country:
        why = _("the paper of --country {country}").format(country=country)
    else:
        why = _("the most common among the rows; choose with --paper")
    return _("Paper for every letter and print-all.pdf: {paper} ({why}).").format(
        paper=name, why=why)
