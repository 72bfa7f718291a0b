"""DOCX rendering with python-docx: real paragraphs with named styles, explicit page size and
margins, the document language set (so Word spell-checks Spanish as Spanish) and metadata.

python-docx escapes ``&`` and ``<`` itself; text reaches it already cleaned (no control
characters), so nothing here can corrupt the XML.

Speed: ``python-docx`` takes ~25 ms to build a document, almost all of it loading and
re-compressing the 800 KB of styles of its default template. A letter without a signature
image is therefore made from a base package built once per process and (paper, language) with
the very same styles, to which only ``word/document.xml`` and ``docProps/core.xml`` are added
(escaped with :func:`appeal.xmltext.escape`): well under a millisecond. Letters with a
signature image take the full python-docx path.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache

from ..letter import Letter
from ..xmltext import escape
from . import layout

FONT = "Calibri"  # on every Word installation; LibreOffice substitutes the metric twin Carlito


def _styles(size: float, paper: str = "a4") -> dict:
    """name -> (size pt, bold, alignment, space before pt, space after pt, exact line height
    pt): the PDF's sizes and spacing (see :mod:`.pdf`), the body in the fitted ``size``."""
    mm = 72 / 25.4
    lead = size * layout.LEADING
    window = layout.window(paper)
    return {
        "Appeal Recipient": (window.size, False, "left", 0, 0, window.leading),
        "Appeal Sender": (layout.SMALL_PT, False, "left", 0, 0, layout.SMALL_LEADING_PT),
        "Appeal Return": (layout.RETURN_PT, False, "left", 0, 0, layout.RETURN_PT * 1.2),
        "Appeal Date": (size, False, "right", layout.BODY_GAP_MM * mm, 6 * mm, lead),
        "Appeal Subject": (size, True, "left", 0, 5 * mm, lead),
        "Appeal Salutation": (size, False, "left", 0, size * 0.75, lead),
        "Appeal Body": (size, False, layout.ALIGN, 0, size * 0.75, lead),
        "Appeal Closing": (size, False, "left", size * 0.25, 0, lead),
        "Appeal Signature": (size, False, "left", 0, 0, lead),
        "Appeal Header": (layout.SMALL_PT, False, "left", 0, 0, layout.SMALL_LEADING_PT),
    }


def _set_language(element, lang: str) -> None:
    """Add ``<w:lang w:val=... w:eastAsia=... w:bidi=...>`` to a run-properties element."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), lang)
    rpr.append(tag)


_HEADER_MARK = "APPEALHEADERMARK"


def _continuation_header(section, text_width_twips: int) -> None:
    """Pages after the first carry "recipient · date" and "2/2" at the top, as in the PDF;
    page 1 has an empty header. Word computes the numbers (PAGE and NUMPAGES fields)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    paragraph = section.header.paragraphs[0]
    paragraph.style = "Appeal Header"
    ppr = paragraph._p.get_or_add_pPr()
    tabs = OxmlElement("w:tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:pos"), str(text_width_twips))
    tabs.append(tab)
    ppr.append(tabs)
    paragraph.add_run(_HEADER_MARK)
    paragraph.add_run().add_tab()
    for i, field in enumerate(("PAGE", "NUMPAGES")):
        if i:
            paragraph.add_run("/")
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "2"
        run.append(text)
        simple.append(run)
        paragraph._p.append(simple)


def _setup(doc, letter: Letter, size: float) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    width, height = layout.page_size_mm(letter.paper)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    m = layout.MARGIN_MM
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    section.header_distance = Mm(m["top"] - layout.CONTINUATION_MM / 2 - 2)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(layout.BODY_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    _set_language(normal.element, letter.lang)
    normal.paragraph_format.space_after = Pt(0)
    aligns = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    for name, (pt, bold, align, before, after, line) in _styles(size, letter.paper).items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(pt)
        style.font.bold = bold
        fmt = style.paragraph_format
        fmt.alignment = aligns[align]
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
        fmt.widow_control = True
    # The last body lines, the closing and the signature stay on one page.
    for name in ("Appeal Closing", "Appeal Signature", "Appeal Salutation", "Appeal Subject",
                 "Appeal Date"):
        doc.styles[name].paragraph_format.keep_with_next = True
    _continuation_header(section, int(Mm(width - m["left"] - m["right"]).twips))

    props = doc.core_properties
    props.title = letter.title[:255]  # OPC core properties hold at most 255 characters
    props.author = letter.author[:255]
    props.subject = letter.description[:255]
    props.language = letter.lang
    props.comments = ""
    props.keywords = letter.case_id
    props.last_modified_by = letter.author[:255]


def render_docx(letter: Letter, fit: layout.Fit | None = None) -> bytes:
    """The letter as DOCX, set in the size the layout chose (``fit``; measured here when not
    given), so it takes the same number of pages as the PDF."""
    if fit is None:
        from .pdf import layout_letter

        fit = layout_letter(letter, check=False).fit
    assert fit is not None  # every layout says how it fits
    if letter.signature_image is None:
        return _render_fast(letter, fit)
    return _render_full(letter, fit)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _render_full(letter: Letter, fit: layout.Fit) -> bytes:
    """With a signature image: python-docx builds the package (the picture's relationship);
    the body is the very XML of the fast path, with the picture put in its holder."""
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Mm

    doc = docx.Document()
    _setup(doc, letter, fit.size)
    _fill_header(doc, letter)
    body = doc.element.body
    sect = body[-1]
    holder = None
    for xml in _body_xml(letter, fit, signature_holder=True):
        element = parse_xml(f"<w:body {_W}>{xml}</w:body>")[0]
        sect.addprevious(element)
        if "APPEALSIGNATUREHOLDER" in xml:
            holder = element
    sig = letter.signature_image
    assert sig is not None and holder is not None  # only called with a signature image
    max_w, max_h = layout.SIGNATURE_MAX_MM
    scale = min(max_w / sig.width_px, max_h / sig.height_px)
    from docx.text.paragraph import Paragraph

    para = Paragraph(holder, doc._body)
    for run in list(para.runs):
        run._r.getparent().remove(run._r)
    para.add_run().add_picture(io.BytesIO(sig.data), width=Mm(sig.width_px * scale))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _fill_header(doc, letter: Letter) -> None:
    for paragraph in doc.sections[0].header.paragraphs:
        for run in paragraph.runs:
            if _HEADER_MARK in run.text:
                run.text = run.text.replace(_HEADER_MARK, _header_text(letter))


def _header_text(letter: Letter) -> str:
    who = letter.recipient[0] if letter.recipient else ""
    return " · ".join(part for part in (who, letter.date_line) if part)


_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
_MARK = "APPEALBODYMARK"


@dataclass(frozen=True)
class _Base:
    zip_bytes: bytes  # every part except the ones below, compressed once
    document: tuple[str, str]  # document.xml before and after the body paragraphs
    core: str  # core.xml with ``{title}``-style slots
    header: tuple[str, str, str]  # the continuation header part: name, text before/after


@lru_cache(maxsize=16)
def _base(paper: str, lang: str, size: float = layout.BODY_PT) -> _Base:
    """:func:`_build_base`, kept between runs (:mod:`.docxbase`)."""
    from .docxbase import cached_base

    return cached_base(_build_base, _Base, paper, lang, size)


def _build_base(paper: str, lang: str, size: float) -> _Base:
    """The package python-docx makes for a letter on ``paper`` in ``lang`` with the body in
    ``size``, minus its body and header text."""
    import docx

    placeholder = Letter(
        case_id="KEYWORDSMARK", target_id="", lang=lang, paper=paper, sender=(), date_line="",
        recipient=(), subject="", salutation="", paragraphs=(), closing="", signature_name="",
        title="TITLEMARK", author="AUTHORMARK", description="SUBJECTMARK",
    )
    doc = docx.Document()
    _setup(doc, placeholder, size)
    doc.add_paragraph(_MARK)
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    header = None
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == _DOCUMENT:
                document = data.decode("utf-8")
            elif info.filename == _CORE:
                core = data.decode("utf-8")
            elif _HEADER_MARK.encode() in data:
                text = data.decode("utf-8")
                at = text.index(_HEADER_MARK)
                header = (info.filename, text[:at], text[at + len(_HEADER_MARK):])
            else:
                dst.writestr(info.filename, data)
    start = document.index("<w:p>", document.index("<w:body>"))
    end = document.index("</w:p>", start) + len("</w:p>")
    core = core.replace("{", "{{").replace("}", "}}")
    for slot, mark in (("title", "TITLEMARK"), ("author", "AUTHORMARK"),
                       ("subject", "SUBJECTMARK"), ("keywords", "KEYWORDSMARK")):
        core = core.replace(mark, "{" + slot + "}")
    return _Base(out.getvalue(), (document[:start], document[end:]), core, header)  # type: ignore[arg-type]


def _run_xml(text: str) -> str:
    """``<w:r>`` for ``text`` as python-docx writes it: tabs and line breaks as elements."""
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if chunk:
                space = ' xml:space="preserve"' if chunk != chunk.strip() else ""
                parts.append(f"<w:t{space}>{escape(chunk)}</w:t>")
    return "<w:r>" + "".join(parts) + "</w:r>" if parts else ""


@lru_cache(maxsize=512)
def _para(text: str, style: str, extra: str = "") -> str:
    """A paragraph's XML; cached: a batch's letters share most of their paragraphs."""
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>'
            f"{_run_xml(text)}</w:p>")


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _row(height_mm: float, paragraphs: list[str], valign: str = "top") -> str:
    """A table row of exactly ``height_mm``: what it holds cannot push the rest down."""
    cell = "".join(paragraphs) or "<w:p/>"
    return (f'<w:tr><w:trPr><w:trHeight w:val="{_twips(height_mm)}" w:hRule="exact"/>'
            f'<w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/>'
            f'<w:vAlign w:val="{valign}"/></w:tcPr>{cell}</w:tc></w:tr>')


def _head_xml(letter: Letter, fit: layout.Fit) -> str:
    """Page 1's fixed blocks in a borderless table of exact row heights: the sender block
    down to the return line, the return line, and the address field at the position and
    height of the window (as the PDF places them)."""
    window = layout.window(letter.paper)
    width_mm = layout.page_size_mm(letter.paper)[0] - layout.MARGIN_MM["left"] \
        - layout.MARGIN_MM["right"]
    sender = [_para(line, "AppealSender") for line in letter.sender]
    returned = [_para(letter.return_line, "AppealReturn")] if letter.return_line else []
    offset = window.address_top(fit.address_lines or len(letter.recipient)) - window.top
    recipient = [_para(line, "AppealRecipient",
                       f'<w:spacing w:before="{_twips(offset)}"/>' if i == 0 and offset else "")
                 for i, line in enumerate(letter.recipient)]
    rows = (_row(window.return_top - layout.MARGIN_MM["top"], sender)
            + _row(window.return_height, returned, "bottom")
            + _row(window.height, recipient))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{_twips(width_mm)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
            '</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>'
            f'<w:gridCol w:w="{_twips(width_mm)}"/></w:tblGrid>{rows}</w:tbl>')


def _body_xml(letter: Letter, fit: layout.Fit, signature_holder: bool = False) -> list[str]:
    body = [_head_xml(letter, fit)]
    body.append(_para(letter.date_line, "AppealDate"))
    body.append(_para(letter.subject, "AppealSubject"))
    body.append(_para(letter.salutation, "AppealSalutation"))
    last = len(letter.paragraphs) - 1
    for i, text in enumerate(letter.paragraphs):
        # The last paragraph keeps its last lines (widow control: at least two) with the
        # closing.
        keep = "<w:keepNext/>" if i == last else ""
        if i != fit.page2_paragraph:
            body.append(_para(text, "AppealBody", keep))
            continue
        # Page 2 starts here, at the word where the PDF's does.
        head, tail = _split_words(text, fit.page2_words)
        if head:
            body.append(_para(head, "AppealBody", '<w:spacing w:after="0"/>'))
        body.append(_para(tail, "AppealBody", keep + "<w:pageBreakBefore/>"))
    if signature_holder:
        body.append(_para(letter.closing, "AppealClosing"))
        body.append(_para("APPEALSIGNATUREHOLDER", "AppealClosing",
                          '<w:keepNext/><w:spacing w:before="80" w:line="240" w:lineRule="auto"/>'))
    else:
        body.append(_para(letter.closing, "AppealClosing",
                          f'<w:spacing w:after="{_twips(layout.SIGNATURE_SPACE_MM)}"/>'))
    body.append(_para(letter.signature_name, "AppealSignature"))
    return body


_WORD_GAP = re.compile(r"([^\S\u00a0\u202f]+)")  # spaces, but not the no-break ones


def _split_words(text: str, last: int) -> tuple[str, str]:
    """``text`` cut before its ``last`` words ('' and the whole text when 0 or all)."""
    parts = _WORD_GAP.split(text.strip())
    words = len(parts[0::2])
    if not 0 < last < words:
        return "", text
    cut = 2 * (words - last)
    return "".join(parts[:cut - 1]), "".join(parts[cut:])


def _render_fast(letter: Letter, fit: layout.Fit) -> bytes:
    base = _base(letter.paper, letter.lang, fit.size)
    body = _body_xml(letter, fit)
    # The signer's blocks (sender, date line, name) apart from what other letters share,
    # which is compressed once (see :mod:`.deflate`).
    document = [(base.document[0], True), (body[0] + body[1], False),
                ("".join(body[2:-1]), True), (body[-1] + base.document[1], False)]
    # core.xml around the signer's name: the rest is the case's, the same in every letter.
    slot = "\x00AUTHOR\x00"
    parts = base.core.format(
        title=escape(letter.title[:255]), author=slot,
        subject=escape(letter.description[:255]), keywords=escape(letter.case_id),
    ).split(slot)
    author = escape(letter.author[:255])
    core = [(parts[0], True)]
    for part in parts[1:]:
        core += [(author, False), (part, True)]
    header_name, before, after = base.header
    header = before + escape(_header_text(letter)) + after
    return _package(base.zip_bytes, ((_DOCUMENT, document), (_CORE, core),
                                     (header_name, [(header, True)])))


def _package(base: bytes, parts) -> bytes:
    """``base`` (a zip of the package's fixed parts) plus ``parts``, deflated, as one zip;
    each part is (name, [(text, shared by other letters?), ...]).

    The same records :mod:`zipfile` writes when appending, without parsing ``base``'s
    directory again for every letter: its entries are copied, the new ones added, and the
    directory written once (standard zip records, checked by python-docx and ``testzip``)."""
    import struct

    from .deflate import deflate_pieces

    fixed, directory, count = _split_zip(base)
    local, central = [fixed], [directory]
    offset = len(fixed)
    for name, texts in parts:
        pieces = [(text.encode("utf-8"), shared) for text, shared in texts]
        packed, crc = deflate_pieces(pieces)
        size, raw_name = sum(len(data) for data, _shared in pieces), name.encode("ascii")
        header = struct.pack(zipfile.structFileHeader, zipfile.stringFileHeader, 20, 0, 0,  # type: ignore[attr-defined]
                             zipfile.ZIP_DEFLATED, 0, _DOS_DATE, crc, len(packed), size,
                             len(raw_name), 0)
        local += [header, raw_name, packed]
        central += [struct.pack(zipfile.structCentralDir, zipfile.stringCentralDir, 20, 0, 20,  # type: ignore[attr-defined]
                                0, 0, zipfile.ZIP_DEFLATED, 0, _DOS_DATE, crc, len(packed),
                                size, len(raw_name), 0, 0, 0, 0, 0o600 << 16, offset),
                    raw_name]
        offset += len(header) + len(raw_name) + len(packed)
        count += 1
    directory_size = sum(map(len, central))
    end = struct.pack(zipfile.structEndArchive, zipfile.stringEndArchive, 0, 0, count, count,  # type: ignore[attr-defined]
                      directory_size, offset, 0)
    return b"".join(local + central + [end])


_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01, as deterministic zips use


@lru_cache(maxsize=8)
def _split_zip(data: bytes) -> tuple[bytes, bytes, int]:
    """A zip's entries, its central directory and how many entries it lists."""
    import struct

    end = data.rindex(zipfile.stringEndArchive)  # type: ignore[attr-defined]
    fields = struct.unpack(zipfile.structEndArchive, data[end:end + zipfile.sizeEndCentDir])  # type: ignore[attr-defined]
    count, size, start = fields[4], fields[5], fields[6]
    return data[:start], data[start:start + size], count


def prepare_base(paper: str, lang: str) -> None:
    """Build (and cache) the DOCX package every letter of this paper and language starts from."""
    _base(paper, lang)
