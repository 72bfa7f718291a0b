"""``labels.pdf``: recipient addresses on a standard label sheet, in print order.

A4: 3 x 7 labels of 63.5 x 38.1 mm (Avery L7160 and compatibles). US Letter: 3 x 10 labels of
2.625 x 1 in (Avery 5160). One type size for the whole sheet, the largest at which the
addresses fit, never below 8 pt; on the small US labels the recipient's title lines give way
first. An address that does not fit at 8 pt is reported (and cut with "…" at the label's
edge), never set smaller.
"""

from __future__ import annotations

import io

from .plan import Job

INCH = 25.4
# paper -> (columns, rows, label w, label h, left margin, top margin, column pitch, row pitch)
SHEETS_MM = {
    "a4": (3, 7, 63.5, 38.1, 7.25, 15.15, 66.04, 38.1),
    "letter": (3, 10, 2.625 * INCH, 1.0 * INCH, 0.1875 * INCH, 0.5 * INCH, 2.75 * INCH,
               1.0 * INCH),
}
PAD_MM = (3.5, 2.5)  # inside each label: left/right, top/bottom
LARGEST = 9.0
SMALLEST = 8.0


def label_lines(job: Job, recipient_extra: int) -> list[str]:
    """The recipient block, without ``recipient_extra`` title/office lines if needed."""
    lines = list(job.letter.recipient)
    return [lines[0], *lines[1 + recipient_extra:]] if recipient_extra else lines


def _layout(job: Job, family: str, size: float, box_w: float, box_h: float):
    """The lines of ``job``'s label at ``size``, dropping title lines as needed, and whether
    they fit."""
    for drop in range(0, job.title_lines + 1):
        lines = label_lines(job, drop)
        if _fits(lines, family, size, box_w, box_h):
            return lines, True
        if len(lines) <= 2:
            break
    return lines, False


def sheet_size(jobs: list[Job], family: str, box_w: float, box_h: float) -> float:
    """The one type size of the sheet: the largest (from 9 pt down to 8 pt) at which every
    address that can fit at 8 pt fits."""
    size = LARGEST
    for job in jobs:
        while size > SMALLEST and not _layout(job, family, size, box_w, box_h)[1]:
            size -= 0.25
    return size


def render_labels(jobs: list[Job], paper: str, misfits: list[Job] | None = None) -> bytes:
    """The label sheets; labels whose address does not fit at the sheet's size go to
    ``misfits``."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from .. import fonts
    from ..paper import PAPER_SIZES_MM

    family = fonts.register()
    cols, rows, lw, lh, left, top, cp, rp = SHEETS_MM[paper]
    pw, ph = (v * mm for v in PAPER_SIZES_MM[paper])
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(pw, ph), invariant=True, initialFontName=family)
    c.setTitle("Labels")
    c.setCreator("appeal")
    per_page = cols * rows
    box_w, box_h = (lw - 2 * PAD_MM[0]) * mm, (lh - 2 * PAD_MM[1]) * mm
    size = sheet_size(jobs, family, box_w, box_h)
    lead = size * 1.2
    for n, job in enumerate(jobs):
        if n and n % per_page == 0:
            c.showPage()
        slot = n % per_page
        col, row = slot % cols, slot // cols
        x0 = (left + col * cp) * mm
        y_top = ph - (top + row * rp) * mm
        lines, fits = _layout(job, family, size, box_w, box_h)
        if not fits:
            if misfits is not None:
                misfits.append(job)
            lines = lines[: max(1, int(box_h / lead))]
        # Centre the block vertically in the label.
        y = y_top - (lh * mm - len(lines) * lead) / 2 - size * 0.9
        for line in lines:
            c.setFont(family, size)
            c.drawString(x0 + PAD_MM[0] * mm, y, _clip(line, family, size, box_w))
            y -= lead
    c.showPage()
    c.save()
    return buf.getvalue()


def _fits(lines, family, size, width, height) -> bool:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return (len(lines) * size * 1.2 <= height
            and all(stringWidth(line, family, size) <= width for line in lines))


def _clip(text: str, family: str, size: float, width: float) -> str:
    """Never draw past the label edge: cut a line that still does not fit, with '…'."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, family, size) <= width:
        return text
    while text and stringWidth(text + "…", family, size) > width:
        text = text[:-1]
    return text + "…"
