"""``cover.pdf``: the organizer's sheet: the case, its deadline and a post-by date, how many
letters per target and language, postage notes and which rows need attention."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

from ..addresses import country_name
from ..i18n import _, current_language, ngettext
from ..models import pick
from .envelopes import crosses_border, organizer_paper

# Days to allow for the post: generous, so letters arrive before the deadline.
POST_DAYS = {"domestic": 5, "international": 14}


def post_by(deadline: dt.date | None, international: bool) -> dt.date | None:
    if deadline is None:
        return None
    return deadline - dt.timedelta(days=POST_DAYS["international" if international else
                                                 "domestic"])


def cover_lines(loaded, result, options) -> list[tuple[str, str]]:
    """(style, text) pairs; style is 'title', 'head' or 'text'."""
    case = loaded.case
    ui = current_language()
    printed = [j for j in result.jobs if j.status in ("made", "unchanged")]
    out: list[tuple[str, str]] = [
        ("title", _("Letter-writing pack")),
        ("text", (f"UA {case.ua_number} — " if case.ua_number else "")
         + f"{pick(case.title, ui)} ({case.id})"),
    ]
    international = any(crosses_border(j) for j in printed)
    if case.deadline:
        out.append(("text", _("Deadline: {deadline}").format(
            deadline=case.deadline_text or case.deadline.isoformat())))
        by = post_by(case.deadline, international)
        out.append(("text", _("Post by: {date}").format(date=by.isoformat())))
        if (options.date or dt.date.today()) > case.deadline:
            out.append(("text", _("Warning: the deadline has passed. Please check with the "
                                  "Amnesty office in your country before sending appeals.")))
    out.append(("text", _("Sign-up sheet: {name}").format(name=result.sheet.path.name)))

    out.append(("head", _("Letters")))
    blank = sum(1 for j in printed if j.blank)
    out.append(("text", ngettext("{n} letter in print-all.pdf", "{n} letters in print-all.pdf",
                                 len(printed)).format(n=len(printed))))
    if blank:
        out.append(("text", ngettext("including {n} blank letter for walk-ins to name and sign",
                                     "including {n} blank letters for walk-ins to name and sign",
                                     blank).format(n=blank)))
    names = {t.id: t.name for t in case.targets}
    per = Counter((j.letter.target_id, j.letter.lang) for j in printed)
    for (target, lang), n in sorted(per.items()):
        out.append(("text", "    " + _("{target} ({lang}): {n}").format(
            target=names.get(target, target), lang=lang, n=n)))
    problems = result.failed_rows
    if problems:
        out.append(("head", _("Rows not made")))
        for line, reason in problems[:20]:
            where = result.sheet.where(line) if line is not None else _("blank letter")
            out.append(("text", f"{where}: {reason}"))
        if len(problems) > 20:
            out.append(("text", _("… and {n} more: see manifest.csv").format(
                n=len(problems) - 20)))

    out.append(("head", _("Postage")))
    by_country = Counter((j.target_country, crosses_border(j)) for j in printed)
    for (country, abroad), n in sorted(by_country.items(), key=lambda kv: str(kv[0])):
        where = country_name(country, ui) if country else _("unknown country")
        kind = _("international: airmail") if abroad else _("domestic")
        out.append(("text", "    " + _("{n} to {country} ({kind})").format(
            n=n, country=where, kind=kind)))
    out.append(("text", _("One sheet in a standard envelope weighs under 20 g: standard letter "
                          "postage. Check the address on each envelope against the letter "
                          "before sealing.")))
    out.append(("text", _("Files: print-all.pdf (letters), envelopes.pdf, labels.pdf, "
                          "manifest.csv (one row per letter).")))
    return out


def render_cover(loaded, result, options) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    from .. import fonts
    from ..paper import PAPER_SIZES_MM

    family = fonts.register()
    printed = [j for j in result.jobs if j.status in ("made", "unchanged")]
    paper = organizer_paper(printed, options.paper, options.country) if printed else "a4"
    w, h = (v * mm for v in PAPER_SIZES_MM[paper])
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(w, h), invariant=True, initialFontName=family)
    c.setTitle(_("Letter-writing pack"))
    c.setCreator("appeal")
    left, width = 25 * mm, w - 50 * mm
    y = h - 25 * mm
    styles = {"title": (family + "-Bold", 18, 8), "head": (family + "-Bold", 12, 4),
              "text": (family, 10.5, 0)}
    for style, text in cover_lines(loaded, result, options):
        font, size, before = styles[style]
        y -= before + (6 if style == "head" else 0)
        for part in simpleSplit(text, font, size, width) or [""]:
            if y < 20 * mm:
                c.showPage()
                y = h - 25 * mm
            c.setFont(font, size)
            c.drawString(left, y - size, part)
            y -= size * 1.35
    c.showPage()
    c.save()
    return buf.getvalue()
