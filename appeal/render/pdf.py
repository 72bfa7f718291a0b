"""PDF rendering with reportlab and the embedded FiraGO font.

Lines are broken and justified by platypus ``Paragraph``; the blocks are stacked on the page
by a small frame of our own (:func:`layout_letter`) instead of ``SimpleDocTemplate``. Laying a
letter out once and drawing it onto any canvas is what lets ``appeal batch`` put the same pages
in a letter's own file and in the combined print file without doing the work twice, and skips
platypus' per-document template machinery, which cost more than the letter itself.

Every piece of text is escaped before it reaches ``Paragraph``, which would otherwise read it
as markup (``<img src=...>`` would embed a local file, ``x<y`` would vanish).
"""

from __future__ import annotations

import io
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from .. import fonts
from ..letter import Letter
from . import layout

# Platypus frames pad their content by 6 pt on every side; we keep the same text area.
_PAD = 6.0


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


@lru_cache(maxsize=16)
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


@dataclass
class LaidOutLetter:
    """A letter broken into lines and placed on pages: ``pages[i]`` is a list of
    ``(flowable, x, y)`` ready to draw on any canvas of ``pagesize``."""

    letter: Letter
    pagesize: tuple[float, float]
    font_size: float
    pages: list[list[tuple[object, float, float]]]


@lru_cache(maxsize=1)
def _paragraph_class():
    from reportlab.platypus import Paragraph

    from reportlab.pdfbase import pdfmetrics

    class SharedParagraph(Paragraph):
        """A paragraph parsed once, broken into lines once per width and drawn once per
        encoding: most blocks of a batch's letters (the sample letter, the recipient, the
        closing) are the same text.

        Drawn, a paragraph is a list of PDF operators relative to its origin; they depend on
        its lines and on the codes the document gives its characters in the font subset (and
        on the names of the fonts in the document). With the same codes and font names, a
        later letter gets the very operators drawn for an earlier one."""

        _wrapped_at = None
        _drawn = None

        def wrap(self, availWidth, availHeight):
            if availWidth == self._wrapped_at:  # lines depend on the width only
                return self.width, self.height
            self._wrapped_at = None
            self._drawn = None
            result = super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
            return result

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # The font and characters of the paragraph as parsed (wrapping regroups frags).
            fonts_used = {getattr(frag, "fontName", None) for frag in self.frags}
            # A paragraph split across pages is rebuilt from line fragments without ``text``:
            # those are drawn afresh, never from the cache.
            has_text = all(hasattr(frag, "text") for frag in self.frags)
            if has_text and len(fonts_used) == 1 and None not in fonts_used:
                self._chars = (fonts_used.pop(), tuple(sorted(
                    {ord(c) for frag in self.frags for c in frag.text} - {0xA0})))
            else:
                self._chars = ()

        def _draw_key(self, canvas):
            """What the operators depend on besides the lines, or None (draw afresh)."""
            if not self._chars or self._wrapped_at is None:
                return None
            font_name, chars = self._chars
            doc = canvas._doc
            font = pdfmetrics.getFont(font_name)
            state = getattr(font, "state", {}).get(doc)
            if state is None:
                return None
            assigned = state.assignments
            try:
                codes = tuple([assigned[c] for c in chars])
            except KeyError:  # a character not yet in the subset: drawing assigns its code
                return None
            return (self._wrapped_at, tuple(doc.fontMapping.items()), codes)

        def drawOn(self, canvas, x, y, _sW=0):
            key = self._draw_key(canvas)
            if key is None or _sW or getattr(self, "_showBoundary", None):
                return super().drawOn(canvas, x, y, _sW)
            x = self._hAlignAdjust(x, _sW)
            canvas.saveState()
            canvas.translate(x, y)
            code = canvas._code
            drawn = self._drawn if self._drawn is not None else {}
            cached = drawn.get(key)
            if cached is None:
                doc = canvas._doc
                fonts_before, start = len(doc.delayedFonts), len(code)
                self._drawOn(canvas)
                if len(drawn) >= 8:
                    drawn.clear()
                drawn[key] = (code[start:], [f.fontName for f in doc.delayedFonts[fonts_before:]])
                self._drawn = drawn
            else:
                ops, new_fonts = cached
                code.extend(ops)
                for name in new_fonts:  # the font names the operators use, as drawing would
                    pdfmetrics.getFont(name).getSubsetInternalName(0, canvas._doc)
            canvas.restoreState()

    return SharedParagraph


_PARAGRAPHS: OrderedDict = OrderedDict()
_PARAGRAPHS_MAX = 2048


def _paragraph(markup: str, style, width: float):
    """The paragraph for ``markup`` in ``style`` (one of the cached :func:`_styles`) in a frame
    ``width`` wide, shared between letters; only whole paragraphs are shared, never the parts
    of a split one. One paragraph per width: letters on A4 and on US letter alternate in a
    batch, and a paragraph keeps only the lines of its last width. The least recently used
    paragraphs go first, so the sample letter's stay while each signer's name comes and goes."""
    key = (markup, id(style), width)
    para = _PARAGRAPHS.get(key)
    if para is None or para.style is not style:
        if len(_PARAGRAPHS) >= _PARAGRAPHS_MAX:
            _PARAGRAPHS.popitem(last=False)
        para = _PARAGRAPHS[key] = _paragraph_class()(markup, style)
    else:
        _PARAGRAPHS.move_to_end(key)
    return para


def _frame(pagesize: tuple[float, float]) -> tuple[float, float, float, float]:
    """The text area of a page: left, width, top, bottom (as a platypus ``Frame``)."""
    from reportlab.lib.units import mm

    m = layout.MARGIN_MM
    left = m["left"] * mm + _PAD
    width = pagesize[0] - (m["left"] + m["right"]) * mm - 2 * _PAD
    top = pagesize[1] - m["top"] * mm - _PAD
    bottom = m["bottom"] * mm + _PAD
    return left, width, top, bottom


def _story(letter: Letter, family: str, size: float, width: float) -> list:
    """Flowables in order; the closing, signature and name form one group kept together."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Spacer

    def Paragraph(markup: str, style):
        return _paragraph(markup, style, width)

    st = _styles(family, size)
    story: list = [Paragraph(_markup(line), st["sender"]) for line in letter.sender]
    story.append(Paragraph(_markup(letter.date_line), st["date"]))
    story += [Paragraph(_markup(line), st["recipient"]) for line in letter.recipient]
    story.append(Paragraph(_markup(letter.subject), st["subject"]))
    story.append(Paragraph(_markup(letter.salutation), st["salutation"]))
    story += [Paragraph(_markup(p), st["body"]) for p in letter.paragraphs]

    ending: list = [Paragraph(_markup(letter.closing), st["closing"])]
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
    story.append(ending)
    return story


def _flow(story: list, pagesize: tuple[float, float]) -> list[list[tuple[object, float, float]]]:
    """Stack flowables down the text area like a platypus ``Frame``: attached spaces overlap
    (the gap is the larger of space-after and space-before), no space before the first block
    of a page, paragraphs split across pages, a group moves whole to the next page."""
    left, width, top, bottom = _frame(pagesize)
    pages: list[list[tuple[object, float, float]]] = [[]]
    y, prev_after, at_top = top, 0.0, True

    def new_page():
        nonlocal y, prev_after, at_top
        pages.append([])
        y, prev_after, at_top = top, 0.0, True

    def gap(flowable) -> float:
        return 0.0 if at_top else max(flowable.getSpaceBefore() - prev_after, 0.0)

    def place(flowable, h: float, s: float):
        nonlocal y, prev_after, at_top
        x = left
        if getattr(flowable, "hAlign", "LEFT") != "LEFT" and hasattr(flowable, "drawWidth"):
            x = left + (width - flowable.drawWidth) / 2
        y -= s + h
        pages[-1].append((flowable, x, y))
        after = flowable.getSpaceAfter()
        y -= after
        prev_after, at_top = after, False

    queue = list(story)
    while queue:
        item = queue.pop(0)
        if isinstance(item, list):  # keep-together group
            sizes = [f.wrap(width, 1e6) for f in item]
            total = sum(h for _w, h in sizes) + sum(
                max(f.getSpaceBefore(), 0) + f.getSpaceAfter() for f in item
            )
            if not at_top and total > y - bottom:
                new_page()
            queue[0:0] = item
            continue
        _w, h = item.wrap(width, y - bottom)
        s = gap(item)
        if h + s <= y - bottom + 1e-6:
            place(item, h, s)
            continue
        parts = item.split(width, y - bottom - s) if hasattr(item, "split") else []
        if len(parts) >= 2:
            first = parts[0]
            _w, h = first.wrap(width, y - bottom - s)
            place(first, h, s)
            new_page()
            queue[0:0] = parts[1:]
        elif at_top:  # too tall for any page: draw it anyway rather than loop
            place(item, h, s)
        else:
            new_page()
            queue.insert(0, item)
    return pages


def layout_letter(letter: Letter, *, checked: bool = False) -> LaidOutLetter:
    """Break and place the letter; raises before laying out if the font lacks a character
    (``checked``: the caller has made that check already, as batch does when planning).

    A letter that spills onto a second page by a few lines is set again in a slightly smaller
    size (down to ``layout.MIN_BODY_PT``) so it stays on one sheet.
    """
    from reportlab.lib.units import mm

    family = fonts.register()
    if not checked:
        fonts.check_coverage(letter.text_fields())
    width_mm, height_mm = layout.page_size_mm(letter.paper)
    pagesize = (width_mm * mm, height_mm * mm)
    size = layout.BODY_PT
    while True:
        pages = _flow(_story(letter, family, size, _frame(pagesize)[1]), pagesize)
        if len(pages) == 1 or size <= layout.MIN_BODY_PT:
            _number_pages(pages, pagesize, family, size)
            return LaidOutLetter(letter, pagesize, size, pages)
        size -= 0.5


def _number_pages(pages: list, pagesize: tuple[float, float], family: str, size: float) -> None:
    """A letter that runs onto more sheets gets "2/3" at the foot of each page, so loose
    sheets can be put back in order; a one-page letter gets nothing."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    if len(pages) < 2:
        return
    left, width, _top, _bottom = _frame(pagesize)
    style = ParagraphStyle("page", fontName=family, fontSize=size * 0.8, leading=size,
                           alignment=TA_CENTER)
    for number, page in enumerate(pages, start=1):
        mark = Paragraph(f"{number}/{len(pages)}", style)
        mark.wrap(width, size * 2)
        page.append((mark, left, layout.MARGIN_MM["bottom"] * mm / 2))


def draw_letter(laid: LaidOutLetter, canvas) -> int:
    """Draw the letter's pages onto ``canvas`` (ending each page); returns the page count."""
    family = fonts.register()
    for page in laid.pages:
        canvas.setPageSize(laid.pagesize)
        canvas.setFont(family, laid.font_size)
        for flowable, x, y in page:
            flowable.drawOn(canvas, x, y)
        canvas.showPage()
    return len(laid.pages)


def new_canvas(buf, letter: Letter, pagesize: tuple[float, float]):
    """A canvas with the letter's metadata, starting pages in the embedded font (so no
    unembedded Helvetica is referenced)."""
    from reportlab.pdfgen.canvas import Canvas

    family = fonts.register()
    canvas = Canvas(
        buf, pagesize=pagesize, invariant=True, lang=letter.lang,
        initialFontName=family, initialFontSize=layout.BODY_PT,
    )
    canvas.setTitle(letter.title)
    canvas.setAuthor(letter.author)
    canvas.setSubject(letter.description)
    canvas.setCreator("appeal")
    return canvas


def _seed_fonts(canvas, letter: Letter) -> None:
    """Subset codes in a fixed order (see :func:`fonts.seed_subset`): the subject is bold."""
    family = fonts.register()
    fields = letter.text_fields()
    fonts.seed_subset(canvas, {
        family: "".join(text for block, text in fields if block != "subject"),
        family + "-Bold": letter.subject,
    })


def render_laid_out(laid: LaidOutLetter) -> bytes:
    buf = io.BytesIO()
    canvas = new_canvas(buf, laid.letter, laid.pagesize)
    _seed_fonts(canvas, laid.letter)
    draw_letter(laid, canvas)
    canvas.save()
    return buf.getvalue()


@dataclass
class CapturedPage:
    """One drawn page, ready to be copied into another PDF (``print-all.pdf``): its size, its
    compressed content stream and the font subsets it names (resource name -> font key,
    see :meth:`fonts.subset_parts`)."""

    width: float
    height: float
    content: bytes  # FlateDecode
    fonts: dict[str, tuple[str, int, tuple[int, ...]]]


def render_captured(laid: LaidOutLetter, pdf: bool = True) -> tuple[bytes | None,
                                                                       list[CapturedPage]]:
    """The letter's own PDF (unless ``pdf`` is false) and its pages for the print file, drawn
    once for both. The PDF is written from the captured pages by :mod:`.pdfwrite` (the same
    objects reportlab would write, without its document model)."""
    import zlib

    canvas = new_canvas(None, laid.letter, laid.pagesize)
    _seed_fonts(canvas, laid.letter)
    draw_letter(laid, canvas)
    doc = canvas._doc
    fonts_used: dict[str, tuple[str, int, tuple[int, ...]]] = {}
    for font in doc.delayedFonts:
        state = font.state.get(doc)
        if state is None or not hasattr(font, "subset_parts"):
            raise RuntimeError(f"cannot copy pages that use the font {font.fontName}")
        for n, subset in enumerate(state.subsets):
            fonts_used[f"{state.internalName}+{n}"] = (font.fontName, n, tuple(subset))
    if len(doc.fontMapping) != len(doc.delayedFonts):
        raise RuntimeError("cannot copy pages that use a standard PDF font")
    pages = []
    for page in doc.Pages.pages:
        if (page.XObjects or page.Annots or getattr(page, "ExtGState", None)
                or page._colorsUsed or page._shadingUsed or page.Rotate):
            raise RuntimeError("cannot copy pages with images, annotations or rotation")
        stream = page.stream.encode("utf-8") if isinstance(page.stream, str) else page.stream
        pages.append(CapturedPage(page.pagewidth, page.pageheight, zlib.compress(stream),
                                  fonts_used))
    for font in doc.delayedFonts:  # the document is dropped unsaved: free its font state
        font.state.pop(doc, None)
    if not pdf:
        return None, pages
    return write_pages(laid.letter, pages), pages


def write_pages(letter: Letter, pages: list[CapturedPage]) -> bytes:
    """The letter's PDF from its captured pages: one embedding per font subset, the letter's
    language and metadata."""
    from reportlab.pdfbase import pdfmetrics

    from .pdfwrite import PdfWriter

    out = PdfWriter()
    catalog, tree, info = out.reserve(), out.reserve(), out.reserve()
    written: dict[tuple, int] = {}
    kids = []
    for page in pages:
        refs = {}
        for res, key in page.fonts.items():
            number = written.get(key)
            if number is None:
                font_name, n, subset = key
                font = pdfmetrics.getFont(font_name)
                number = written[key] = out.font(font.face, *font.subset_parts(n, subset))
            refs[res] = number
        kids.append(out.page(tree, page.width, page.height, page.content, refs))
    return out.finish(catalog, tree, info, kids, lang=letter.lang, title=letter.title,
                      author=letter.author, subject=letter.description)


def render_pdf(letter: Letter) -> bytes:
    """The letter as a PDF; raises before drawing if the font lacks a character."""
    laid = layout_letter(letter)
    if letter.signature_image is not None:  # an image: reportlab writes the whole document
        return render_laid_out(laid)
    return render_captured(laid)[0]
