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
from typing import Any

from .. import fonts
from ..letter import Letter
from ..xmltext import escape
from . import layout

# Platypus frames pad their content by 6 pt on every side; we keep the same text area.
_PAD = 6.0


@lru_cache(maxsize=1024)
def _markup(text: str, size: float = layout.BODY_PT) -> str:
    """Escaped text; U+202F (French "Objet :"), which FiraGO lacks and reportlab would break a
    line at, is drawn as a no-break space at 70 % size: about a fifth of an em, unbreakable."""
    text = escape(text).replace("\n", "<br/>")
    if "\u202f" in text:
        text = text.replace("\u202f", f'<font size="{size * 0.7:.2f}">\u00a0</font>')
    return text


@lru_cache(maxsize=16)
def _styles(family: str, size: float):
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    base = ParagraphStyle(
        "body", fontName=family, fontSize=size, leading=size * layout.LEADING,
        alignment=TA_LEFT, spaceAfter=size * 0.75, allowWidows=0, allowOrphans=0,
    )
    block = ParagraphStyle("block", parent=base, alignment=TA_LEFT, spaceAfter=0)
    return {
        "body": base,
        "sender": ParagraphStyle(
            "sender", parent=block, fontSize=layout.SMALL_PT, leading=layout.SMALL_LEADING_PT
        ),
        "return": ParagraphStyle(
            "return", parent=block, fontSize=layout.RETURN_PT, leading=layout.RETURN_PT * 1.2
        ),
        "date": ParagraphStyle("date", parent=block, alignment=TA_RIGHT, spaceAfter=6 * mm),
        "recipient": block,
        "subject": ParagraphStyle(
            "subject", parent=block, fontName=family + "-Bold", spaceAfter=5 * mm,
        ),
        "salutation": ParagraphStyle("salutation", parent=block, spaceAfter=size * 0.75),
        "closing": ParagraphStyle("closing", parent=block, spaceBefore=size * 0.25),
        "signature": ParagraphStyle("signature", parent=block),  # the signer's: not shared
        "header": ParagraphStyle(
            "header", parent=block, fontSize=layout.SMALL_PT, leading=layout.SMALL_LEADING_PT
        ),
        "header_right": ParagraphStyle(
            "header_right", parent=block, fontSize=layout.SMALL_PT,
            leading=layout.SMALL_LEADING_PT, alignment=TA_RIGHT,
        ),
    }


@dataclass
class LaidOutLetter:
    """A letter broken into lines and placed on pages: ``pages[i]`` is a list of
    ``(flowable, x, y)`` ready to draw on any canvas of ``pagesize``."""

    letter: Letter
    pagesize: tuple[float, float]
    font_size: float
    pages: list[list[tuple[Any, float, float]]]  # reportlab flowables (untyped)
    fit: layout.Fit | None = None


@lru_cache(maxsize=1)
def _paragraph_class():
    from .platypus import load as load_platypus

    Paragraph = load_platypus().Paragraph

    from reportlab.lib.rl_accel import fp_str
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
            # Lines depend on the width only; ``split`` drops them when a paragraph cannot be
            # split (the same paragraph may stand twice in a letter, or in the next one).
            if availWidth == self._wrapped_at and hasattr(self, "blPara"):
                return self.width, self.height
            self._wrapped_at = None
            self._drawn = None
            result = super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
            return result

        def __init__(self, text, style, *args, **kwargs):
            frags = None if args or kwargs else _plain_frags(text, style)
            if frags is not None:
                super().__init__(text, style, frags=frags)
            else:
                super().__init__(text, style, *args, **kwargs)
            # The font and characters of the paragraph as parsed (wrapping regroups frags).
            fonts_used = {getattr(frag, "fontName", None) for frag in self.frags}
            # A paragraph split across pages is rebuilt from line fragments without ``text``:
            # those are drawn afresh, never from the cache.
            has_text = all(hasattr(frag, "text") for frag in self.frags)
            if has_text and len(fonts_used) == 1 and None not in fonts_used:
                self._chars = (fonts_used.pop(), tuple(sorted(
                    {ord(c) for frag in self.frags for c in frag.text} - {0xA0})))
                self._unusual = frozenset(chr(c) for c in self._chars[1] if c >= 128)
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
            code = canvas._code
            drawn = self._drawn if self._drawn is not None else {}
            cached = drawn.get(key)
            if cached is None:
                canvas.saveState()
                canvas.translate(x, y)
                doc = canvas._doc
                fonts_before, start = len(doc.delayedFonts), len(code)
                self._drawOn(canvas)
                if len(drawn) >= 8:
                    drawn.clear()
                drawn[key] = (code[start:], [f.fontName for f in doc.delayedFonts[fonts_before:]])
                self._drawn = drawn
                canvas.restoreState()
            else:
                # The operators saveState, translate, the drawing and restoreState write,
                # without the canvas' state bookkeeping (restored to the same state anyway).
                ops, new_fonts = cached
                code.append("q")
                code.append(f"{fp_str(1, 0, 0, 1, x, y)} cm")
                code.extend(ops)
                code.append("Q")
                for name in new_fonts:  # the font names the operators use, as drawing would
                    pdfmetrics.getFont(name).getSubsetInternalName(0, canvas._doc)

    return SharedParagraph


_PLAIN_TEMPLATES: dict[int, tuple] = {}
_MARKUP_CHARS = frozenset("<>&")


def _plain_frags(text: str, style) -> list | None:
    """The parsed fragments of a paragraph of plain text (no markup, already single-spaced:
    a signer's name, a city) without running reportlab's markup parser: the fragment of a
    one-letter paragraph in the same style, with this text. None: parse it as usual."""
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    if _MARKUP_CHARS.intersection(text) or cleanBlockQuotedText(text) != text:
        return None
    template = _PLAIN_TEMPLATES.get(id(style))
    if template is None or template[0] is not style:
        from .platypus import load as load_platypus

        parsed = load_platypus().Paragraph("x", style)
        frags = parsed.frags
        ok = (parsed.style is style and len(frags) == 1 and frags[0].text == "x")
        template = _PLAIN_TEMPLATES[id(style)] = (style, frags[0] if ok else None)
    frag = template[1]
    if frag is None:
        return None
    copy = frag.clone(text=text)
    for name, value in vars(frag).items():  # lists (links, underlines) are the paragraph's own
        if isinstance(value, list):
            setattr(copy, name, list(value))
    return [copy]


_PARAGRAPHS: OrderedDict = OrderedDict()
_PARAGRAPHS_MAX = 256


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


def _tops(letter: Letter, pagesize: tuple[float, float]) -> tuple[float, float]:
    """Where the flowing text starts: below the address field on page 1, below the
    continuation header on later pages."""
    from reportlab.lib.units import mm

    window = layout.window(letter.paper)
    first = pagesize[1] - (window.bottom + layout.BODY_GAP_MM) * mm
    later = pagesize[1] - (layout.MARGIN_MM["top"] + layout.CONTINUATION_MM) * mm
    return first, later


def _story(letter: Letter, family: str, size: float, width: float) -> list:
    """Flowables in order, after the fixed blocks of page 1; the last body lines, the
    closing, signature and name form one group kept together (see :func:`_flow`)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Spacer

    def Paragraph(markup: str, style):
        return _paragraph(markup, style, width)

    st = _styles(family, size)
    story: list = [Paragraph(_markup(letter.date_line, size), st["date"])]
    story.append(Paragraph(_markup(letter.subject, size), st["subject"]))
    story.append(Paragraph(_markup(letter.salutation, size), st["salutation"]))
    story += [Paragraph(_markup(p, size), st["body"]) for p in letter.paragraphs]

    ending: list = [Paragraph(_markup(letter.closing, size), st["closing"])]
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
    ending.append(Paragraph(_markup(letter.signature_name, size), st["signature"]))
    story.append(ending)
    return story


def _head(letter: Letter, family: str, pagesize: tuple[float, float]):
    """Page 1's fixed blocks: the sender block under the top margin, the return line and the
    recipient's address in the window. Returns the placed blocks and, for :class:`Fit`, the
    address's wrapped line count, the lines wider than the window and the sender lines that
    do not fit above the return line."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    st = _styles(family, layout.BODY_PT)
    left, width, _top, _bottom = _frame(pagesize)
    window = layout.window(letter.paper)
    height = pagesize[1]
    placed: list[tuple[object, float, float]] = []

    y = height - layout.MARGIN_MM["top"] * mm
    sender_room = layout.sender_room_mm(letter.paper) * mm
    used = 0.0
    for line in letter.sender:
        para = _paragraph(_markup(line, layout.SMALL_PT), st["sender"], width)
        _w, h = para.wrap(width, 1e6)
        used += h
        placed.append((para, left, y - used))
    sender_over = max(0, round((used - sender_room) / layout.SMALL_LEADING_PT + 0.49))

    if letter.return_line:
        size = layout.RETURN_PT
        while (size > layout.RETURN_MIN_PT
               and stringWidth(letter.return_line, family, size) > window.width * mm):
            size -= 0.25
        style = st["return"] if size == layout.RETURN_PT else _return_style(family, size)
        para = _paragraph(_markup(letter.return_line, size), style, window.width * mm)
        _w, h = para.wrap(window.width * mm, 1e6)
        bottom = height - (window.return_top + window.return_height) * mm + 1.0
        placed.append((para, left, bottom))

    style = _address_style(family, window.size, window.leading)
    paras = [_paragraph(_markup(line, window.size), style, window.width * mm)
             for line in letter.recipient]
    heights = [para.wrap(window.width * mm, 1e6)[1] for para in paras]
    lines = round(sum(heights) / window.leading)
    wide = tuple(line for line, h in zip(letter.recipient, heights, strict=False)
                 if h > window.leading + 0.5)
    y = height - window.address_top(lines) * mm
    for para, h in zip(paras, heights, strict=True):
        y -= h
        placed.append((para, left, y))
    return placed, lines, wide, sender_over


@lru_cache(maxsize=8)
def _address_style(family: str, size: float, leading: float):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("recipient", parent=_styles(family, layout.BODY_PT)["recipient"],
                          fontSize=size, leading=leading)


@lru_cache(maxsize=8)
def _return_style(family: str, size: float):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("return", parent=_styles(family, layout.BODY_PT)["return"],
                          fontSize=size, leading=size * 1.2)


def _flow(story: list, pagesize: tuple[float, float], tops: tuple[float, float],
          tall: bool = False) -> tuple[list[list[tuple[object, float, float]]], float]:
    """Stack flowables down the text area like a platypus ``Frame``: attached spaces overlap
    (the gap is the larger of space-after and space-before), no space before the first block
    of a page, paragraphs split across pages, a group moves whole to the next page and takes
    the last lines of the paragraph before it along (never a signature alone on a page).
    ``tall``: one page without a bottom, to measure how far the text runs. Returns the pages
    and where the text ends on the last one."""
    left, width, _top, bottom = _frame(pagesize)
    if tall:
        bottom = -1e9
    pages: list[list[tuple[object, float, float]]] = [[]]
    y, prev_after, at_top = tops[0], 0.0, True

    def new_page():
        nonlocal y, prev_after, at_top
        pages.append([])
        y, prev_after, at_top = tops[1], 0.0, True

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

    def group_height(item: list) -> float:
        sizes = [f.wrap(width, 1e6) for f in item]
        return sum(h for _w, h in sizes) + sum(
            max(f.getSpaceBefore(), 0) + f.getSpaceAfter() for f in item)

    queue = list(story)
    while queue:
        item = queue.pop(0)
        if isinstance(item, list):  # keep-together group
            if not at_top and group_height(item) > y - bottom:
                _keep_lines_with(pages, item, width, new_page)
            queue[0:0] = item
            continue
        _w, h = item.wrap(width, y - bottom)
        s = gap(item)
        if h + s <= y - bottom + 1e-6:
            place(item, h, s)
            continue
        total = _words(item)
        parts = item.split(width, y - bottom - s) if hasattr(item, "split") else []
        if len(parts) >= 2:
            first = parts[0]
            first.rest_words = total - _words(first)  # words that start the next page
            _w, h = first.wrap(width, y - bottom - s)
            place(first, h, s)
            new_page()
            queue[0:0] = parts[1:]
        elif at_top:  # too tall for any page: draw it anyway rather than loop
            place(item, h, s)
        else:
            new_page()
            queue.insert(0, item)
    return pages, y


def _keep_lines_with(pages: list, group: list, width: float, new_page) -> None:
    """The group (closing, signature, name) goes to a new page: take the last
    ``KEEP_LINES`` lines of the body paragraph placed just before it along, so the signature
    never stands alone. A paragraph too short to split moves whole."""
    page = pages[-1]
    moved: list = []
    if page:
        para, x, y = page[-1]
        lines = getattr(getattr(para, "blPara", None), "lines", None)
        if lines is not None and hasattr(para, "split") and para.style.name == "body":
            page.pop()
            n = len(lines)
            if n > layout.KEEP_LINES + 1:
                keep = n - layout.KEEP_LINES
                head_h = keep * para.style.leading
                total = _words(para)
                parts = para.split(width, head_h + 0.01)
                if len(parts) == 2:
                    head, tail = parts
                    head.rest_words = total - _words(head)
                    _w, h = head.wrap(width, head_h + 0.01)
                    top = y + para.height  # the paragraph's top edge as placed
                    page.append((head, x, top - h))
                    moved = [tail]
                else:
                    moved = [para]
            else:
                moved = [para]
    new_page()
    group[0:0] = moved


def layout_letter(letter: Letter, check: bool = True, *,
                  checked: bool = False) -> LaidOutLetter:
    """Break and place the letter; raises before laying out if the font lacks a character
    (``checked``: the caller has made that check already, as batch does when planning).

    A letter that spills onto a second page by a few lines is set again in a slightly smaller
    size (down to ``layout.MIN_BODY_PT``) so it stays on one sheet. The result carries the
    :class:`~.layout.Fit` that every renderer follows. ``check=False`` measures a letter the
    PDF font cannot draw (for its DOCX, which Word sets in its own fonts).
    """
    from reportlab.lib.units import mm

    family = fonts.register()
    if check and not checked:
        fonts.check_coverage(letter.text_fields())
    width_mm, height_mm = layout.page_size_mm(letter.paper)
    pagesize = (width_mm * mm, height_mm * mm)
    width = _frame(pagesize)[1]
    tops = _tops(letter, pagesize)
    head, address_lines, wide, sender_over = _head(letter, family, pagesize)
    pages, size, shorten = _flow_story(letter, family, pagesize, width, tops)
    measure = layout.BODY_PT if len(pages) == 1 else size
    page2 = _page2_paragraph(letter, pages)
    fit = layout.Fit(
        size=size, pages=len(pages), page2_paragraph=page2[0], page2_words=page2[1], shorten_lines=shorten,
        shorten_chars=int(shorten * width / (measure * 0.5)),
        address_lines=address_lines, address_capacity=layout.window(letter.paper).capacity,
        address_too_wide=wide, sender_lines_over=sender_over,
    )
    pages[0][0:0] = head
    _continuation(letter, pages, pagesize, family)
    return LaidOutLetter(letter, pagesize, size, pages, fit)


# Stories flowed before: what decides the flow (see _story_key) -> (pages, the signer's
# name paragraph in them, size, lines to cut).
_STORIES: OrderedDict = OrderedDict()
_STORIES_MAX = 64


def _story_key(letter: Letter, family: str, pagesize, width: float, tops) -> tuple | None:
    """What a letter's flow depends on, when it is the same for every signer whose name fits
    on one line: the text after the address (the date line names the signer's town, so it is
    part of it), the paper and the font. None: flow this letter on its own."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    name = letter.signature_name
    if (letter.signature_image is not None or "\u202f" in name or "\n" in name
            or stringWidth(name, family, layout.BODY_PT) > width - 2 * layout.BODY_PT):
        return None
    return (family, pagesize, width, tops, letter.date_line, letter.subject, letter.salutation,
            letter.paragraphs, letter.closing)


def _flow_story(letter: Letter, family: str, pagesize, width: float, tops):
    """The story flowed onto pages, in the size that keeps it on one sheet if a slightly
    smaller one does: ``(pages, size, lines to cut)``. Letters that differ only in a
    one-line signer's name flow alike: the flow of an earlier one is copied with this
    signer's name put in."""
    key = _story_key(letter, family, pagesize, width, tops)
    hit = _STORIES.get(key) if key is not None else None
    if hit is not None:
        _STORIES.move_to_end(key)
        old_pages, old_name, size, shorten = hit
        name = _paragraph(_markup(letter.signature_name, size),
                          _styles(family, size)["signature"], width)
        name.wrap(width, 1e6)
        pages = [[(name if f is old_name else f, x, y) for f, x, y in page]
                 for page in old_pages]
        return pages, size, shorten
    size = layout.BODY_PT
    while True:
        story = _story(letter, family, size, width)
        pages, _y = _flow(story, pagesize, tops)
        if len(pages) == 1 or size <= layout.MIN_BODY_PT:
            break
        size -= 0.5
    # How much to cut: to keep the normal size (shrunk) or to fit one page (spilled).
    measure = layout.BODY_PT if len(pages) == 1 else size
    shorten = 0
    if size < layout.BODY_PT:
        _pages, end = _flow(_story(letter, family, measure, width), pagesize, tops, tall=True)
        over = _frame(pagesize)[3] - end
        shorten = max(1, int(over / (measure * layout.LEADING) + 0.999))
    name = story[-1][-1]  # the last of the closing group
    placed = [f for page in pages for f, _x, _y in page]
    if key is not None and sum(f is name for f in placed) == 1 and name.height == (
            name.style.leading):  # one line, not split
        if len(_STORIES) >= _STORIES_MAX:
            _STORIES.popitem(last=False)
        _STORIES[key] = ([list(page) for page in pages], name, size, shorten)
    return pages, size, shorten


def _words(para) -> int:
    """Words in a wrapped paragraph, as its lines hold them (a no-break space joins two)."""
    lines = getattr(getattr(para, "blPara", None), "lines", None) or []
    return sum(len(line[1]) if isinstance(line, tuple) else line.wordCount for line in lines)


def _page2_paragraph(letter: Letter, pages: list) -> tuple[int | None, int]:
    """The body paragraph page 2 starts with or in, and how many of its last words go to
    page 2 (0: all of it). (None, 0): one page, or page 2 starts with the closing."""
    if len(pages) < 2:
        return None, 0
    body = [f for f, _x, _y in pages[0]
            if getattr(getattr(f, "style", None), "name", "") == "body"]
    # A paragraph split across the pages counts on page 1 too: it is the one page 2 starts in.
    rest = getattr(body[-1], "rest_words", 0) if body else 0
    index = len(body) - 1 if rest else len(body)
    if not 0 < index < len(letter.paragraphs):
        return None, 0
    return index, rest


def _continuation(letter: Letter, pages: list, pagesize: tuple[float, float],
                  family: str) -> None:
    """Pages after the first carry a header: the recipient, the date and "2/2", so a loose
    sheet is known and put back in order; a one-page letter gets nothing."""
    from reportlab.lib.units import mm

    if len(pages) < 2:
        return
    left, width, _top, _bottom = _frame(pagesize)
    st = _styles(family, layout.BODY_PT)
    y = pagesize[1] - layout.MARGIN_MM["top"] * mm - layout.SMALL_LEADING_PT
    who = letter.recipient[0] if letter.recipient else ""
    text = " · ".join(part for part in (who, letter.date_line) if part)
    for number, page in enumerate(pages[1:], start=2):
        para = _paragraph_class()(_markup(text, layout.SMALL_PT), st["header"])
        para.wrap(width * 0.8, 100)
        mark = _paragraph_class()(f"{number}/{len(pages)}", st["header_right"])
        mark.wrap(width, 100)
        page.insert(0, (para, left, y))
        page.insert(1, (mark, left, y))


def draw_letter(laid: LaidOutLetter, canvas) -> int:
    """Draw the letter's pages onto ``canvas`` (ending each page); returns the page count."""
    family = fonts.register()
    for page in laid.pages:
        canvas.setPageSize(laid.pagesize)
        canvas.setFont(family, laid.font_size)
        _draw_items(canvas, page)
        canvas.showPage()
    return len(laid.pages)


# Runs of shared paragraphs drawn before (see _draw_run): key -> (paragraphs, operators,
# fonts the operators name).
_RUNS: OrderedDict = OrderedDict()
_RUNS_MAX = 64


def _shared(flowable) -> bool:
    """A whole paragraph of the text other letters have too (the recipient, the date line,
    the sample letter, the closing), not the signer's own lines. Decided by what the
    paragraph is, never by what was drawn before: a letter's runs, and so its bytes, are the
    same whatever letters came before it."""
    return (bool(getattr(flowable, "_chars", ()))
            and getattr(flowable, "_wrapped_at", None) is not None
            and flowable.style.name not in _SIGNERS_STYLES)


_SIGNERS_STYLES = frozenset({"sender", "return", "signature"})


def _draw_items(canvas, items) -> None:
    """Draw placed flowables; consecutive shared paragraphs (the recipient, the subject, the
    sample letter, the closing) are drawn as one run."""
    i, n = 0, len(items)
    while i < n:
        j = i
        while j < n and _shared(items[j][0]):
            j += 1
        if j - i >= 2:
            _draw_run(canvas, items[i:j])
            i = j
        else:
            flowable, x, y = items[i]
            flowable.drawOn(canvas, x, y)
            i += 1


def _draw_run(canvas, run) -> None:
    """Draw a run of shared paragraphs at their places; a run drawn for an earlier letter is
    copied whole. The operators of a paragraph depend on the codes its characters have in the
    document's font subsets: the same when the document's characters were seeded the same
    (:func:`_seed_fonts`) and every character of the run was among them (ASCII keeps its own
    codes), and on the font names the document has given so far."""
    from reportlab.pdfbase import pdfmetrics

    seed = getattr(canvas, "_appeal_seed", None)
    doc = canvas._doc
    key = None
    if seed is not None:
        key = (tuple([(id(f), f._wrapped_at, x, y) for f, x, y in run]),
               tuple(doc.fontMapping.items()), seed[0])
        hit = _RUNS.get(key)
        if hit is not None and all(a is b for a, (b, _x, _y) in zip(hit[0], run, strict=True)):
            _RUNS.move_to_end(key)
            canvas._code.extend(hit[1])
            # Its text in the page's content stream, compressed once (see capture_pages).
            canvas.__dict__.setdefault("_appeal_shared", []).append(
                (canvas.getPageNumber(), hit[3], hit[4]))
            for name in hit[2]:  # the font names the operators use, as drawing would
                pdfmetrics.getFont(name).getSubsetInternalName(0, doc)
            return
    code = canvas._code
    start, fonts_before = len(code), len(doc.delayedFonts)
    for flowable, x, y in run:
        flowable.drawOn(canvas, x, y)
    ops = code[start:]
    text = "\n".join(ops) + "\n"  # as the page's content stream will hold them
    data = text.encode("utf-8")
    canvas.__dict__.setdefault("_appeal_shared", []).append((canvas.getPageNumber(), text, data))
    if key is None or seed is None:
        return
    seeded = seed[1]
    if all(f._unusual <= seeded.get(f._chars[0], frozenset()) for f, _x, _y in run):
        if len(_RUNS) >= _RUNS_MAX:
            _RUNS.popitem(last=False)
        _RUNS[key] = (tuple(f for f, _x, _y in run), ops,
                      [f.fontName for f in doc.delayedFonts[fonts_before:]], text, data)


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
    seed = {
        family: frozenset().union(*[fonts.unusual_chars(text) for block, text in fields
                                    if block != "subject"]),
        family + "-Bold": fonts.unusual_chars(letter.subject),
    }
    fonts.seed_subset(canvas, seed)
    # What the subset codes are now decided by (see _draw_run): the seeded characters beyond
    # ASCII; the sets may hold ASCII control characters, which take no code.
    seeded = {name: chars.difference(fonts.ASCII) for name, chars in seed.items()}
    canvas._appeal_seed = (tuple(seeded.items()), seeded)


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

    canvas = new_canvas(None, laid.letter, laid.pagesize)
    _seed_fonts(canvas, laid.letter)
    draw_letter(laid, canvas)
    pages = capture_pages(canvas)
    if not pdf:
        return None, pages
    return write_pages(laid.letter, pages), pages


def capture_pages(canvas) -> list[CapturedPage]:
    """The pages drawn on ``canvas`` (compressed content stream and the font subsets it
    names), to copy into another PDF; the canvas's font state is freed: it is dropped
    unsaved. Only pages our page writer can copy: embedded TrueType subsets, no images."""
    from .deflate import compress, compress_pieces

    doc = canvas._doc
    used: dict[str, tuple[str, int, tuple[int, ...]]] = {}
    for font in doc.delayedFonts:
        state = font.state.get(doc)
        if state is None or not hasattr(font, "subset_parts"):
            raise RuntimeError(f"cannot copy pages that use the font {font.fontName}")
        for n, subset in enumerate(state.subsets):
            used[f"{state.internalName}+{n}"] = (font.fontName, n, tuple(subset))
    if len(doc.fontMapping) != len(doc.delayedFonts):
        raise RuntimeError("cannot copy pages that use a standard PDF font")
    shared = getattr(canvas, "_appeal_shared", ())
    pages = []
    for number, page in enumerate(doc.Pages.pages, start=1):
        if (page.XObjects or page.Annots or getattr(page, "ExtGState", None)
                or page._colorsUsed or page._shadingUsed or page.Rotate):
            raise RuntimeError("cannot copy pages with images, annotations or rotation")
        stream = page.stream
        runs = [(text, data) for n, text, data in shared if n == number]
        if runs and isinstance(stream, str):
            content = compress_pieces(_pieces(stream, runs))
        else:
            content = compress(stream.encode("utf-8") if isinstance(stream, str) else stream)
        pages.append(CapturedPage(page.pagewidth, page.pageheight, content, used))
    for font in doc.delayedFonts:
        font.state.pop(doc, None)
    return pages


def _pieces(stream: str, runs: list[tuple[str, bytes]]) -> list[tuple[bytes, bool]]:
    """The content stream cut around the copied runs of shared paragraphs, in order."""
    pieces: list[tuple[bytes, bool]] = []
    pos = 0
    for text, data in runs:
        at = stream.find(text, pos)
        if at < 0:
            continue
        pieces.append((stream[pos:at].encode("utf-8"), False))
        pieces.append((data, True))
        pos = at + len(text)
    pieces.append((stream[pos:].encode("utf-8"), False))
    return pieces


def write_pages(letter: Letter, pages: list[CapturedPage]) -> bytes:
    """The letter's PDF from its captured pages: one embedding per font subset, the letter's
    language and metadata. The file up to its pages (header, fonts) is the same for every
    letter with the same font subsets: written once, then copied."""
    from reportlab.pdfbase import pdfmetrics

    from .pdfwrite import PdfWriter

    fonts_used = pages[0].fonts  # the document's subsets: every captured page names them all
    key = tuple(fonts_used.items())
    start = _FILE_STARTS.get(key)
    if start is None:
        out = PdfWriter()
        numbers = out.reserve(), out.reserve(), out.reserve()
        refs = {}
        for res, (font_name, n, subset) in fonts_used.items():
            font = pdfmetrics.getFont(font_name)
            refs[res] = out.font(font.face, *font.subset_parts(n, subset))
        if len(_FILE_STARTS) >= 64:
            _FILE_STARTS.clear()
        start = _FILE_STARTS[key] = (b"".join(out.out), tuple(out.offsets), numbers, refs)
    data, offsets, (catalog, tree, info), refs = start
    out = PdfWriter.continuing(data, offsets)
    kids = [out.page(tree, page.width, page.height, page.content, refs) for page in pages]
    return out.finish(catalog, tree, info, kids, lang=letter.lang, title=letter.title,
                      author=letter.author, subject=letter.description)


_FILE_STARTS: dict[tuple, tuple] = {}


def render_laid(laid: LaidOutLetter) -> bytes:
    """The PDF of a laid-out letter."""
    if laid.letter.signature_image is not None:  # an image: reportlab writes the whole document
        return render_laid_out(laid)
    pdf, _pages = render_captured(laid)
    assert pdf is not None  # asked for (pdf=True)
    return pdf


def render_pdf(letter: Letter) -> bytes:
    """The letter as a PDF; raises before drawing if the font lacks a character."""
    return render_laid(layout_letter(letter))
