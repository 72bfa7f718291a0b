"""DOCX rendering with python-docx: real paragraphs with named styles, explicit page size and
margins, the document language set (so Word spell-checks Spanish as Spanish) and metadata.

python-docx escapes ``&`` and ``<`` itself; text reaches it already cleaned (no control
characters), so nothing here can corrupt the XML.

Speed: ``python-docx`` takes ~25 ms to build a document, almost all of it loading and
re-compressing the 800 KB of styles of its default template. A letter without a signature
image is therefore made from a base package built once per process and (paper, language) with
the very same styles, to which only ``word/document.xml`` and ``docProps/core.xml`` are added
(escaped with :func:`xml.sax.saxutils.escape`): well under a millisecond. Letters with a
signature image take the full python-docx path.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from ..letter import Letter
from . import layout

FONT = "Calibri"  # on every Word installation; LibreOffice substitutes the metric twin Carlito

# name -> (size pt, bold, alignment, space before pt, space after pt)
_STYLES = {
    "Appeal Sender": (layout.SMALL_PT, False, "left", 0, 0),
    "Appeal Date": (layout.BODY_PT, False, "right", 14, 20),
    "Appeal Recipient": (layout.BODY_PT, False, "left", 0, 0),
    "Appeal Subject": (layout.BODY_PT, True, "left", 22, 14),
    "Appeal Salutation": (layout.BODY_PT, False, "left", 0, 8),
    "Appeal Body": (layout.BODY_PT, False, "justify", 0, 8),
    "Appeal Closing": (layout.BODY_PT, False, "left", 3, 0),
    "Appeal Signature": (layout.BODY_PT, False, "left", 0, 0),
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


def _page_numbers(section) -> None:
    """"2/3" in the footer of every page but the first, as in the PDF: a one-page letter shows
    nothing, and loose sheets of a longer one can be put back in order. Word computes the
    numbers (PAGE and NUMPAGES fields)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False  # an empty footer on page 1
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, field in enumerate(("PAGE", "NUMPAGES")):
        if i:
            paragraph.add_run("/")
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        simple.append(run)
        paragraph._p.append(simple)


def _setup(doc, letter: Letter) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    width, height = layout.page_size_mm(letter.paper)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    m = layout.MARGIN_MM
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    _page_numbers(section)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(layout.BODY_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    _set_language(normal.element, letter.lang)
    normal.paragraph_format.line_spacing = layout.LEADING * 0.85
    aligns = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    for name, (size, bold, align, before, after) in _STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        fmt = style.paragraph_format
        fmt.alignment = aligns[align]
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.widow_control = True
    for name in ("Appeal Closing", "Appeal Signature"):
        doc.styles[name].paragraph_format.keep_with_next = True

    props = doc.core_properties
    props.title = letter.title[:255]  # OPC core properties hold at most 255 characters
    props.author = letter.author[:255]
    props.subject = letter.description[:255]
    props.language = letter.lang
    props.comments = ""
    props.keywords = letter.case_id
    props.last_modified_by = letter.author[:255]


def render_docx(letter: Letter) -> bytes:
    if letter.signature_image is None:
        return _render_fast(letter)
    return _render_full(letter)


def _render_full(letter: Letter) -> bytes:
    import docx
    from docx.shared import Mm, Pt

    doc = docx.Document()
    _setup(doc, letter)
    add = doc.add_paragraph
    for line in letter.sender:
        add(line, style="Appeal Sender")
    add(letter.date_line, style="Appeal Date")
    for line in letter.recipient:
        add(line, style="Appeal Recipient")
    add(letter.subject, style="Appeal Subject")
    add(letter.salutation, style="Appeal Salutation")
    for paragraph in letter.paragraphs:
        add(paragraph, style="Appeal Body")
    closing = add(letter.closing, style="Appeal Closing")
    sig = letter.signature_image
    if sig:
        max_w, max_h = layout.SIGNATURE_MAX_MM
        scale = min(max_w / sig.width_px, max_h / sig.height_px)
        holder = add(style="Appeal Closing")
        holder.paragraph_format.space_before = Pt(4)
        holder.add_run().add_picture(io.BytesIO(sig.data), width=Mm(sig.width_px * scale))
    else:
        closing.paragraph_format.space_after = Mm(layout.SIGNATURE_SPACE_MM)
    add(letter.signature_name, style="Appeal Signature")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
_MARK = "APPEALBODYMARK"


@dataclass(frozen=True)
class _Base:
    zip_bytes: bytes  # every part except the two below, compressed once
    document: tuple[str, str]  # document.xml before and after the body paragraphs
    core: str  # core.xml with ``{title}``-style slots
    closing_after: int  # twips below the closing: room to sign


@lru_cache(maxsize=8)
def _base(paper: str, lang: str) -> _Base:
    """The package python-docx makes for a letter on ``paper`` in ``lang``, minus its body."""
    import docx
    from docx.shared import Mm

    placeholder = Letter(
        case_id="KEYWORDSMARK", target_id="", lang=lang, paper=paper, sender=(), date_line="",
        recipient=(), subject="", salutation="", paragraphs=(), closing="", signature_name="",
        title="TITLEMARK", author="AUTHORMARK", description="SUBJECTMARK",
    )
    doc = docx.Document()
    _setup(doc, placeholder)
    doc.add_paragraph(_MARK)
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == _DOCUMENT:
                document = data.decode("utf-8")
            elif info.filename == _CORE:
                core = data.decode("utf-8")
            else:
                dst.writestr(info.filename, data)
    start = document.index("<w:p>", document.index("<w:body>"))
    end = document.index("</w:p>", start) + len("</w:p>")
    core = core.replace("{", "{{").replace("}", "}}")
    for slot, mark in (("title", "TITLEMARK"), ("author", "AUTHORMARK"),
                       ("subject", "SUBJECTMARK"), ("keywords", "KEYWORDSMARK")):
        core = core.replace(mark, "{" + slot + "}")
    return _Base(out.getvalue(), (document[:start], document[end:]), core,
                 int(Mm(layout.SIGNATURE_SPACE_MM).twips))


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


def _para(text: str, style: str, extra: str = "") -> str:
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>'
            f"{_run_xml(text)}</w:p>")


def _render_fast(letter: Letter) -> bytes:
    base = _base(letter.paper, letter.lang)
    body = [_para(line, "AppealSender") for line in letter.sender]
    body.append(_para(letter.date_line, "AppealDate"))
    body += [_para(line, "AppealRecipient") for line in letter.recipient]
    body.append(_para(letter.subject, "AppealSubject"))
    body.append(_para(letter.salutation, "AppealSalutation"))
    body += [_para(p, "AppealBody") for p in letter.paragraphs]
    body.append(_para(letter.closing, "AppealClosing",
                      f'<w:spacing w:after="{base.closing_after}"/>'))
    body.append(_para(letter.signature_name, "AppealSignature"))
    document = base.document[0] + "".join(body) + base.document[1]
    core = base.core.format(
        title=escape(letter.title[:255]), author=escape(letter.author[:255]),
        subject=escape(letter.description[:255]), keywords=escape(letter.case_id),
    )
    return _package(base.zip_bytes, ((_DOCUMENT, document), (_CORE, core)))


def _package(base: bytes, parts) -> bytes:
    """``base`` (a zip of the package's fixed parts) plus ``parts``, deflated, as one zip.

    The same bytes :mod:`zipfile` would write when appending, without parsing ``base``'s
    directory again for every letter: its entries are copied, the new ones added, and the
    directory written once (standard zip records, checked by python-docx and ``testzip``)."""
    import struct
    import zlib

    fixed, directory, count = _split_zip(base)
    local, central = [fixed], [directory]
    offset = len(fixed)
    for name, text in parts:
        data = text.encode("utf-8")
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        crc, raw_name = zlib.crc32(data), name.encode("ascii")
        header = struct.pack(zipfile.structFileHeader, zipfile.stringFileHeader, 20, 0, 0,
                             zipfile.ZIP_DEFLATED, 0, _DOS_DATE, crc, len(packed), len(data),
                             len(raw_name), 0)
        local += [header, raw_name, packed]
        central += [struct.pack(zipfile.structCentralDir, zipfile.stringCentralDir, 20, 0, 20,
                                0, 0, zipfile.ZIP_DEFLATED, 0, _DOS_DATE, crc, len(packed),
                                len(data), len(raw_name), 0, 0, 0, 0, 0o600 << 16, offset),
                    raw_name]
        offset += len(header) + len(raw_name) + len(packed)
        count += 1
    directory_size = sum(map(len, central))
    end = struct.pack(zipfile.structEndArchive, zipfile.stringEndArchive, 0, 0, count, count,
                      directory_size, offset, 0)
    return b"".join(local + central + [end])


_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01, as deterministic zips use


@lru_cache(maxsize=8)
def _split_zip(data: bytes) -> tuple[bytes, bytes, int]:
    """A zip's entries, its central directory and how many entries it lists."""
    import struct

    end = data.rindex(zipfile.stringEndArchive)
    fields = struct.unpack(zipfile.structEndArchive, data[end:end + zipfile.sizeEndCentDir])
    count, size, start = fields[4], fields[5], fields[6]
    return data[:start], data[start:start + size], count
