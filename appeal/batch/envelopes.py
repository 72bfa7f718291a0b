"""``envelopes.pdf``: one envelope per letter, in print order.

The recipient block is the letter's own (laid out for the destination country's post, with
the country line in capitals when the letter crosses a border); the return address is the
attendee's, when they gave one. Letters that cross a border get an airmail marking.

A batch draws its envelopes in chunks (:func:`draw_part`, in the worker processes) that the
parent joins into one file (:func:`appeal.batch.pack.join_parts`): what each envelope shows
(:class:`Envelope`) and the characters of the whole file (:class:`EnvelopeSheet`) are decided
first, so every chunk embeds the same font subset and the file embeds it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..addresses import country_name, sender_language
from .plan import Job

# Landscape (width, height) in mm.
ENVELOPES_MM = {"dl": (220.0, 110.0), "c5": (229.0, 162.0), "us10": (241.3, 104.8)}
ENVELOPE_FOR_PAPER = {"a4": "dl", "letter": "us10"}
AIRMAIL = {"es": "POR AVIÓN / PAR AVION", "en": "BY AIR MAIL / PAR AVION",
           "fr": "PAR AVION", "de": "LUFTPOST / PAR AVION", "pt": "POR AVIÃO / PAR AVION",
           "it": "POSTA AEREA / PAR AVION"}
META = {"title": "Envelopes", "subject": "", "lang": ""}


def organizer_paper(jobs: list[Job], paper: str | None, country: str | None) -> str:
    """The paper in the organizer's printer: --paper, else their country's, else the most
    common among the letters (see :func:`.paper.pack_paper`)."""
    from .paper import pack_paper

    return pack_paper((j.letter.paper for j in jobs), paper, country)


def crosses_border(job: Job) -> bool:
    """The letter leaves the sender's country (or we do not know the sender's country)."""
    return job.supporter.country != job.target_country


def airmail_text(job: Job) -> str:
    return _airmail(job.supporter.country, job.letter.lang)


@lru_cache(maxsize=256)
def _airmail(country: str | None, lang: str) -> str:
    return AIRMAIL.get(sender_language(country, lang), "PAR AVION")


@lru_cache(maxsize=256)
def _country_line(country: str, lang: str) -> str:
    # In the sender's post office's language, as the destination's country line is.
    return country_name(country, sender_language(country, lang)).upper()


def return_lines(job: Job) -> list[str]:
    s = job.supporter
    if job.blank or not s.address:
        return []
    lines = [s.name, *[line for line in s.address.split("\n") if line.strip()]]
    if crosses_border(job) and s.country:
        lines.append(_country_line(s.country, job.letter.lang))
    return lines


@dataclass(frozen=True)
class Envelope:
    """What one envelope shows (small: sent to the worker that draws it)."""

    recipient: tuple[str, ...]
    sender: tuple[str, ...]  # the return address; empty when none is given or wanted
    airmail: str  # the airmail marking; empty for mail that stays in the country


def envelope_of(job: Job, return_address: bool = True) -> Envelope:
    return Envelope(tuple(job.letter.recipient),
                    tuple(return_lines(job)) if return_address else (),
                    airmail_text(job) if crosses_border(job) else "")


@dataclass(frozen=True)
class EnvelopeSheet:
    """The size of every envelope of a file and the characters of all of them (so each
    chunk gives them the same subset codes, see :func:`appeal.fonts.seed_subset`)."""

    width: float  # points
    height: float
    seed: tuple[tuple[str, str], ...]  # (font, characters)


def envelope_sheet(envelopes: list[Envelope], paper: str, kind: str | None) -> EnvelopeSheet:
    from reportlab.lib.units import mm

    from .. import fonts

    family = fonts.register()
    kind = (kind or ENVELOPE_FOR_PAPER.get(paper, "dl")).lower()
    w, h = (v * mm for v in ENVELOPES_MM[kind])
    regular = set().union(*(e.recipient + e.sender for e in envelopes))
    bold = set().union(*(e.airmail for e in envelopes))
    return EnvelopeSheet(w, h, ((family, "".join(sorted(regular))),
                                (family + "-Bold", "".join(sorted(bold)))))


def fit_size(lines: Sequence[str], font: str, width: float, height: float, start: float,
             smallest: float, leading: float = 1.2) -> float:
    """Largest font size (from ``start`` down) at which ``lines`` fit the box."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = start
    widest = max((stringWidth(line, font, 1) for line in lines), default=0)
    while size > smallest and (widest * size > width or len(lines) * size * leading > height):
        size -= 0.25
    return size


def draw_part(envelopes: list[Envelope], sheet: EnvelopeSheet) -> bytes:
    """A chunk of envelopes, drawn and kept as a part of ``envelopes.pdf`` (see
    :class:`appeal.batch.pack.PackShare`)."""
    from .pack import draw_share

    return draw_share((sheet.width, sheet.height), META, dict(sheet.seed),
                      lambda c, family: _draw(c, family, envelopes, sheet))


def _draw(c, family: str, envelopes: list[Envelope], sheet: EnvelopeSheet) -> None:
    from reportlab.lib.units import mm

    from .pack import TextCache

    w, h = sheet.width, sheet.height
    margin = 10 * mm
    text = TextCache(c)
    # Recipient: left edge a little left of centre, block centred in the lower part,
    # clear of the bottom 15 mm that sorting machines print their barcode on.
    x = w * 0.42
    box_w = w - x - margin
    box_h = h * 0.55
    recipient_size: dict[tuple[str, ...], float] = {}  # a few targets, many envelopes
    for env in envelopes:
        c.setPageSize((w, h))
        y_top = h - margin
        lines = env.sender
        if lines:
            size = fit_size(lines, family, w * 0.42, h * 0.3, 8.5, 6)
            for i, line in enumerate(lines):
                c.setFont(family, size)
                c.drawString(margin, y_top - size - i * size * 1.2, line)
            y_top -= len(lines) * size * 1.2 + 3 * mm
        if env.airmail:
            c.setFont(family + "-Bold", 9)
            tw = c.stringWidth(env.airmail, family + "-Bold", 9)
            c.setStrokeColorRGB(0.1, 0.2, 0.6)
            c.setFillColorRGB(0.1, 0.2, 0.6)
            c.rect(margin, y_top - 14, tw + 8, 14, stroke=1, fill=0)
            text.draw(margin + 4, y_top - 10.5, env.airmail)
            c.setFillColorRGB(0, 0, 0)
        lines = env.recipient
        if lines not in recipient_size:
            recipient_size[lines] = fit_size(lines, family, box_w, box_h, 11, 7)
        size = recipient_size[lines]
        lead = size * 1.25
        block = len(lines) * lead
        bottom = 18 * mm
        top = max(bottom + block, min(h * 0.62, bottom + box_h))
        y = top - size
        for line in lines:
            c.setFont(family, size)
            text.draw(x, y, line)
            y -= lead
        c.showPage()


def render_envelopes(jobs: list[Job], paper: str, kind: str | None,
                     return_address: bool = True) -> bytes:
    """The whole envelopes file in memory (a few letters: the web print queue)."""
    from .pack import join_parts

    items = [envelope_of(job, return_address) for job in jobs]
    return join_parts([draw_part(items, envelope_sheet(items, paper, kind))])
