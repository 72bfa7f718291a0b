"""``labels.pdf``: recipient addresses on a standard label sheet, in print order.

A4: 3 x 7 labels of 63.5 x 38.1 mm (Avery L7160 and compatibles). US Letter: 3 x 10 labels of
2.625 x 1 in (Avery 5160). One type size for the whole sheet, the largest at which the
addresses fit, never below 8 pt; on the small US labels the recipient's title lines give way
first. An address that does not fit at 8 pt is reported (and cut with "…" at the label's
edge), never set smaller.

A batch draws its labels in chunks of whole sheets (:func:`draw_part`, in the worker
processes) that the parent joins into one file; the type size and the characters of the whole
file are decided over all labels first (:func:`label_sheet`) and given to every chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

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
ELLIPSIS = "…"  # ends an address line cut at the label's edge
META = {"title": "Labels", "subject": "", "lang": ""}


@dataclass(frozen=True)
class Label:
    """What one label holds (small: sent to the worker that draws it)."""

    recipient: tuple[str, ...]
    title_lines: int  # recipient lines between the name and the address, dropped first


def label_of(job: Job) -> Label:
    return Label(tuple(job.letter.recipient), job.title_lines)


def label_lines(label: Label, recipient_extra: int) -> list[str]:
    """The recipient block, without ``recipient_extra`` title/office lines if needed."""
    lines = list(label.recipient)
    return [lines[0], *lines[1 + recipient_extra:]] if recipient_extra else lines


def _layout(label: Label, family: str, size: float, box_w: float, box_h: float):
    """The lines of ``label`` at ``size``, dropping title lines as needed, and whether they
    fit."""
    for drop in range(0, label.title_lines + 1):
        lines = label_lines(label, drop)
        if _fits(lines, family, size, box_w, box_h):
            return lines, True
        if len(lines) <= 2:
            break
    return lines, False


def sheet_size(labels: list[Label], family: str, box_w: float, box_h: float) -> float:
    """The one type size of the sheet: the largest (from 9 pt down to 8 pt) at which every
    address that can fit at 8 pt fits."""
    size = LARGEST
    for label in dict.fromkeys(labels):  # each distinct label once: a few targets, many rows
        while size > SMALLEST and not _layout(label, family, size, box_w, box_h)[1]:
            size -= 0.25
    return size


@dataclass(frozen=True)
class LabelSheet:
    """The sheet of a whole labels file: its paper, its one type size and the characters of
    all its labels (so each chunk gives them the same subset codes)."""

    paper: str
    size: float
    seed: str

    @property
    def per_page(self) -> int:
        cols, rows = SHEETS_MM[self.paper][:2]
        return cols * rows


def _box(paper: str) -> tuple[float, float]:
    from reportlab.lib.units import mm

    lw, lh = SHEETS_MM[paper][2:4]
    return (lw - 2 * PAD_MM[0]) * mm, (lh - 2 * PAD_MM[1]) * mm


def label_sheet(labels: list[Label], paper: str) -> LabelSheet:
    from .. import fonts

    family = fonts.register()
    distinct = list(dict.fromkeys(labels))
    chars = set(ELLIPSIS).union(*(line for label in distinct for line in label.recipient))
    return LabelSheet(paper, sheet_size(distinct, family, *_box(paper)), "".join(sorted(chars)))


def draw_part(labels: list[Label], sheet: LabelSheet) -> tuple[bytes, list[int]]:
    """A chunk of whole sheets of labels, drawn and kept as a part of ``labels.pdf`` (see
    :class:`appeal.batch.pack.PackShare`), and the positions in ``labels`` of those whose
    address was cut."""
    from reportlab.lib.units import mm

    from .. import fonts
    from ..paper import PAPER_SIZES_MM
    from .pack import draw_share

    pw, ph = (v * mm for v in PAPER_SIZES_MM[sheet.paper])
    misfits: list[int] = []
    share = draw_share((pw, ph), META, {fonts.register(): sheet.seed},
                       lambda c, family: _draw(c, family, labels, sheet, ph, misfits))
    return share, misfits


def _draw(c, family: str, labels: list[Label], sheet: LabelSheet, ph: float,
          misfits: list[int]) -> None:
    from reportlab.lib.units import mm

    from .pack import TextCache

    cols, rows, lw, lh, left, top, cp, rp = SHEETS_MM[sheet.paper]
    per_page = cols * rows
    box_w, box_h = _box(sheet.paper)
    size = sheet.size
    lead = size * 1.2
    text = TextCache(c)
    laid: dict[Label, tuple[list[str], bool]] = {}  # a few targets, many labels
    c.setFont(family, size)
    for n, label in enumerate(labels):
        if n and n % per_page == 0:
            c.showPage()
            c.setFont(family, size)
        slot = n % per_page
        col, row = slot % cols, slot // cols
        x0 = (left + col * cp) * mm
        y_top = ph - (top + row * rp) * mm
        if label not in laid:
            lines, fits = _layout(label, family, size, box_w, box_h)
            if not fits:
                lines = lines[: max(1, int(box_h / lead))]
            laid[label] = [_clip(line, family, size, box_w) for line in lines], fits
        lines, fits = laid[label]
        if not fits:
            misfits.append(n)
        # Centre the block vertically in the label.
        y = y_top - (lh * mm - len(lines) * lead) / 2 - size * 0.9
        for line in lines:
            text.draw(x0 + PAD_MM[0] * mm, y, line)
            y -= lead
    c.showPage()


def render_labels(jobs: list[Job], paper: str, misfits: list[Job] | None = None) -> bytes:
    """The whole labels file in memory (a few letters: the web print queue); labels whose
    address does not fit at the sheet's size go to ``misfits``."""
    from .pack import join_parts

    items = [label_of(job) for job in jobs]
    share, cut = draw_part(items, label_sheet(items, paper))
    if misfits is not None:
        misfits += [jobs[n] for n in cut]
    return join_parts([share])


def _fits(lines, family, size, width, height) -> bool:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return (len(lines) * size * 1.2 <= height
            and all(stringWidth(line, family, size) <= width for line in lines))


def _clip(text: str, family: str, size: float, width: float) -> str:
    """Never draw past the label edge: cut a line that still does not fit, with '…'."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, family, size) <= width:
        return text
    while text and stringWidth(text + ELLIPSIS, family, size) > width:
        text = text[:-1]
    return text + ELLIPSIS
