"""PDF rendering with reportlab platypus and the embedded FiraGO font.

Every piece of text is escaped before it reaches ``Paragraph``, which would otherwise read it
as markup (``<img src=...>`` would embed a local file, ``x<y`` would vanish).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from .. import fonts
from ..letter import Letter
from . import layout


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _styles(family: str, size: float):
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    small = size * layout.SMALL_PT / layout.BODY_PT
    base = ParagraphStyle(
        "body", fontName=family, fontSize=size, leading=size * layout.LEADING,
        alignment=TA_JUSTIFY, spaceAfter=size * 0.75, allowWidows=0, allowOrphans=0,
    )
    block = ParagraphStyle("block", parent=base, alignment=TA_LEFT, spaceAfter=0)
    return {
        "body": base,
        "sender": ParagraphStyle(
            "sender", parent=block, fontSize=small, leading=small * 1.3
        ),
        "date": ParagraphStyle(
            "date", parent=block, alignment=TA_RIGHT, spaceBefore=5 * mm, spaceAfter=7 * mm
        ),
        "recipient": block,
        "subject": ParagraphStyle(
            "subject", parent=block, fontName=family + "-Bold", spaceBefore=8 * mm,
            spaceAfter=5 * mm,
        ),
        "salutation": ParagraphStyle("salutation", parent=block, spaceAfter=size * 0.75),
        "closing": ParagraphStyle("closing", parent=block, spaceBefore=size * 0.25),
        "signature": block,
    }


def render_pdf(letter: Letter) -> bytes:
    """The letter as a PDF; raises before drawing if the font lacks a character.

    A letter that spills onto a second page by a few lines is set again in a slightly smaller
    size (down to ``layout.MIN_BODY_PT``) so it stays on one sheet.
    """
    family = fonts.register()
    fonts.check_coverage(letter.text_fields())
    size = layout.BODY_PT
    while True:
        data, pages = _build(letter, family, size)
        if pages == 1 or size <= layout.MIN_BODY_PT:
            return data
        size -= 0.5


def _build(letter: Letter, family: str, size: float) -> tuple[bytes, int]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    st = _styles(family, size)
    width_mm, height_mm = layout.page_size_mm(letter.paper)
    m = layout.MARGIN_MM

    story = [Paragraph(_markup(line), st["sender"]) for line in letter.sender]
    story.append(Paragraph(_markup(letter.date_line), st["date"]))
    story += [Paragraph(_markup(line), st["recipient"]) for line in letter.recipient]
    story.append(Paragraph(_markup(letter.subject), st["subject"]))
    story.append(Paragraph(_markup(letter.salutation), st["salutation"]))
    story += [Paragraph(_markup(p), st["body"]) for p in letter.paragraphs]

    ending = [Paragraph(_markup(letter.closing), st["closing"])]
    sig = letter.signature_image
    if sig:
        max_w, max_h = layout.SIGNATURE_MAX_MM
        scale = min(max_w / sig.width_px, max_h / sig.height_px)
        img = Image(io.BytesIO(sig.data), width=sig.width_px * scale * mm,
                    height=sig.height_px * scale * mm)
        img.hAlign = "LEFT"
        ending += [Spacer(1, 2 * mm), img, Spacer(1, 1 * mm)]
    else:
        ending.append(Spacer(1, layout.SIGNATURE_SPACE_MM * mm))
    ending.append(Paragraph(_markup(letter.signature_name), st["signature"]))
    story.append(KeepTogether(ending))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=(width_mm * mm, height_mm * mm),
        leftMargin=m["left"] * mm, rightMargin=m["right"] * mm,
        topMargin=m["top"] * mm, bottomMargin=m["bottom"] * mm,
        title=letter.title, author=letter.author, subject=letter.description,
        creator="appeal", lang=letter.lang, invariant=True,
        # Start pages in the embedded font, so no unembedded Helvetica is referenced.
        initialFontName=family, initialFontSize=size,
    )
    doc.build(story)
    return buf.getvalue(), doc.page
