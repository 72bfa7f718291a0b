"""What the signer should know about how a letter fits the paper, in words: the text set
smaller, a second page, an address the envelope window cannot show. Read from the layout's
:class:`~appeal.render.layout.Fit`; shown on the terminal and in the batch manifest."""

from __future__ import annotations

from .i18n import _, ngettext
from .render.layout import BODY_PT, Fit


def _size(value: float) -> str:
    """10.5 in English, 10,5 in Spanish."""
    from babel.numbers import format_decimal

    from .i18n import current_language

    return format_decimal(value, format="#,##0.#", locale=current_language())


def fit_notes(fit: Fit | None) -> list[str]:
    """One sentence per thing worth knowing, each saying how to fix it; [] when all is well."""
    if fit is None:
        return []
    notes = []
    if fit.spilled:
        notes.append(ngettext(
            "Runs to {pages} pages even in {size} pt: shorten your note or the letter by about "
            "{lines} line (~{chars} characters) to fit one page.",
            "Runs to {pages} pages even in {size} pt: shorten your note or the letter by about "
            "{lines} lines (~{chars} characters) to fit one page.", fit.shorten_lines).format(
                pages=fit.pages, size=_size(fit.size), lines=fit.shorten_lines,
                chars=fit.shorten_chars))
    elif fit.shrunk:
        notes.append(ngettext(
            "Set in {size} pt instead of {normal} pt to fit one page: shorten your note by "
            "about {lines} line (~{chars} characters) to keep {normal} pt.",
            "Set in {size} pt instead of {normal} pt to fit one page: shorten your note by "
            "about {lines} lines (~{chars} characters) to keep {normal} pt.",
            fit.shorten_lines).format(size=_size(fit.size), normal=_size(BODY_PT),
                                      lines=fit.shorten_lines, chars=fit.shorten_chars))
    if fit.address_lines > fit.address_capacity:
        notes.append(_(
            "The address takes {lines} lines; the envelope window shows {capacity}: use a plain "
            "envelope, or shorten the address.").format(lines=fit.address_lines,
                                                       capacity=fit.address_capacity))
    for line in fit.address_too_wide:
        notes.append(_("Address line too wide for the envelope window: «{line}»; use a plain "
                       "envelope, or shorten it.").format(line=line))
    if fit.sender_lines_over:
        notes.append(ngettext(
            "Your address is {n} line too long for the top of the page and runs into the "
            "window: shorten it.",
            "Your address is {n} lines too long for the top of the page and runs into the "
            "window: shorten it.", fit.sender_lines_over).format(n=fit.sender_lines_over))
    return notes


def fit_summary(fit: Fit | None) -> str:
    """A short cell for the batch manifest: '', '10 pt', '2 pages', '+ address'."""
    if fit is None:
        return ""
    parts = []
    if fit.spilled:
        parts.append(_("{pages} pages").format(pages=fit.pages))
    if fit.shrunk:
        parts.append(_("{size} pt").format(size=_size(fit.size)))
    if not fit.address_fits:
        parts.append(_("address outside the window"))
    return "; ".join(parts)
