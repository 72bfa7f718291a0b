"""``print-all.pdf``: every letter in order, each starting on a new sheet.

Made from the very pages drawn for the letters' own PDFs (never by converting DOCX, never by
reopening the letters' files): each worker keeps the compressed content stream of every page
it draws and the font subsets those pages name, and writes them to its share file; the parent
then writes one PDF with all the pages in order. A font subset used by many letters is
embedded once. No page is drawn twice and no PDF is parsed back.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from ..letter import Letter

_BLANK = zlib.compress(b"")


class PackShare:
    """One worker's share of the print file."""

    def __init__(self, duplex: bool):
        self.duplex = duplex
        self.meta: dict | None = None
        self.pages: list[tuple[float, float, bytes, dict]] = []
        self.fonts: dict[tuple, None] = {}

    def add(self, letter: Letter, pages) -> None:
        if self.meta is None:
            self.meta = {"title": pack_title(letter), "subject": letter.description,
                         "lang": letter.lang}
        for page in pages:
            self.pages.append((page.width, page.height, page.content, page.fonts))
            for key in page.fonts.values():
                self.fonts.setdefault(key)
        if self.duplex and len(pages) % 2:
            # A blank back, so the next letter starts on a front side.
            last = pages[-1]
            self.pages.append((last.width, last.height, _BLANK, {}))

    def finish(self) -> bytes | None:
        """The share as bytes: a JSON header line, then the blobs it points to."""
        if self.meta is None:
            return None
        from reportlab.pdfbase import pdfmetrics

        blobs: list[bytes] = []

        def blob(data: bytes) -> int:
            blobs.append(data)
            return len(blobs) - 1

        fonts = []
        index: dict[tuple, int] = {}
        for key in self.fonts:
            name, n, subset = key
            base, widths, cmap, font_file = pdfmetrics.getFont(name).subset_parts(n, subset)
            index[key] = len(fonts)
            fonts.append([name, base, blob(widths), blob(cmap), blob(font_file)])
        pages = [[w, h, blob(content), {res: index[key] for res, key in used.items()}]
                 for w, h, content, used in self.pages]
        sizes = [len(b) for b in blobs]
        header = json.dumps({"meta": self.meta, "fonts": fonts, "pages": pages,
                             "sizes": sizes}).encode("utf-8")
        return b"".join([header, b"\n", *blobs])


def pack_title(letter: Letter) -> str:
    return letter.description or letter.case_id


def _read_share(path: Path) -> tuple[dict, list[bytes]]:
    data = path.read_bytes()
    end = data.index(b"\n")
    head = json.loads(data[:end])
    blobs, pos = [], end + 1
    for size in head["sizes"]:
        blobs.append(data[pos:pos + size])
        pos += size
    return head, blobs


def _tag(i: int) -> str:
    """Six capital letters: the subset tag of the i-th distinct subset (AAAAAA, AAAAAB, ...)."""
    letters = []
    for _ in range(6):
        i, r = divmod(i, 26)
        letters.append(chr(65 + r))
    return "".join(reversed(letters))


def join_parts(parts: list[Path]) -> bytes:
    """The workers' shares as one PDF, in order."""
    from reportlab.pdfbase import pdfdoc, pdfmetrics
    from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC
    from reportlab.lib.rl_accel import fp_str

    out: list[bytes] = [b"%PDF-1.4\n%\x93\x8c\x8b\x9e appeal\n"]
    offsets: list[int] = [0]  # object number -> byte offset (object 0 is the free head)
    size = len(out[0])

    def add(body: bytes) -> int:
        nonlocal size
        number = len(offsets)
        offsets.append(size)
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        out.append(chunk)
        size += len(chunk)
        return number

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return (b"<< /Filter [ /FlateDecode ] /Length %d%s >>\nstream\n%s\nendstream"
                % (len(data), extra, data))

    def name(text: str) -> bytes:
        return pdfdoc.PDFName(text).encode("latin-1")

    catalog_no, pages_no, info_no = 1, 2, 3
    offsets += [0, 0, 0]  # filled in at the end
    meta = None
    fonts_written: dict[tuple, int] = {}  # (font name, base, subset bytes) -> font dict object
    kids: list[int] = []
    for part in parts:
        head, blobs = _read_share(part)
        meta = meta or head["meta"]
        local: dict[int, int] = {}
        for i, (font_name, base, widths, cmap, font_file) in enumerate(head["fonts"]):
            key = (font_name, base, blobs[widths], blobs[font_file])
            if key not in fonts_written:
                face = pdfmetrics.getFont(font_name).face
                tagged = _tag(len(fonts_written)) + base[base.index("+"):]
                file_no = add(_raw_stream(blobs[font_file]))
                cmap_no = add(_raw_stream(blobs[cmap]))
                flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
                descriptor = add(
                    b"<< /Ascent %s /CapHeight %s /Descent %s /Flags %d /FontBBox [ %s ] "
                    b"/FontFile2 %d 0 R /FontName %s /ItalicAngle %s /MissingWidth %s "
                    b"/StemV %s /Type /FontDescriptor >>" % (
                        fp_str(face.ascent).encode(), fp_str(face.capHeight).encode(),
                        fp_str(face.descent).encode(), flags,
                        " ".join(fp_str(v) for v in face.bbox).encode(), file_no,
                        name(tagged), fp_str(face.italicAngle).encode(),
                        fp_str(face.defaultWidth).encode(), fp_str(face.stemV).encode()))
                fonts_written[key] = add(
                    b"<< /BaseFont %s /FirstChar 0 /FontDescriptor %d 0 R /LastChar %d "
                    b"/Subtype /TrueType /ToUnicode %d 0 R /Type /Font /Widths %s >>" % (
                        name(tagged), descriptor, _width_count(blobs[widths]) - 1, cmap_no,
                        blobs[widths]))
            local[i] = fonts_written[key]
        for w, h, content, used in head["pages"]:
            content_no = add(stream(blobs[content]))
            font_refs = b" ".join(b"%s %d 0 R" % (name(res), local[i])
                                  for res, i in sorted(used.items()))
            kids.append(add(
                b"<< /Contents %d 0 R /MediaBox [ 0 0 %s %s ] /Parent %d 0 R /Resources << "
                b"/Font << %s >> /ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ] >> "
                b"/Type /Page >>" % (content_no, fp_str(w).encode(), fp_str(h).encode(),
                                     pages_no, font_refs)))
    meta = meta or {"title": "", "subject": "", "lang": ""}
    # The three fixed objects go last in the file; the cross-reference table finds them.
    fixed = {
        catalog_no: b"<< /Lang %s /PageMode /UseNone /Pages %d 0 R /Type /Catalog >>" % (
            _string(meta["lang"]), pages_no),
        pages_no: b"<< /Count %d /Kids [ %s ] /Type /Pages >>" % (
            len(kids), b" ".join(b"%d 0 R" % k for k in kids)),
        info_no: (b"<< /Author () /CreationDate (D:20000101000000+00'00') /Creator (appeal) "
                  b"/Keywords () /ModDate (D:20000101000000+00'00') /Producer %s "
                  b"/Subject %s /Title %s /Trapped /False >>" % (
                      _string(pdfdoc.PDFInfo.producer), _string(meta["subject"]),
                      _string(meta["title"]))),
    }
    for number, body in fixed.items():
        offsets[number] = size
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        out.append(chunk)
        size += len(chunk)
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets)]
    xref += [b"%010d 00000 n \n" % offset for offset in offsets[1:]]
    out += xref
    out.append(b"trailer\n<< /Info %d 0 R /Root %d 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n"
               % (info_no, catalog_no, len(offsets), size))
    return b"".join(out)


def _raw_stream(formatted: bytes) -> bytes:
    """A stream formatted by reportlab (dictionary, ``stream``, data, ``endstream``)."""
    return formatted.rstrip(b"\n")


def _width_count(widths: bytes) -> int:
    """Entries in a formatted ``[ w w w ... ]`` array."""
    return len(widths.strip()[1:-1].split())


def _string(text: str) -> bytes:
    """A PDF text string, escaped: ASCII as is, anything else as UTF-16BE with a byte order
    mark."""
    data = text.encode("ascii") if text.isascii() else b"\xfe\xff" + text.encode("utf-16-be")
    escaped = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    escaped = escaped.replace(b"\r", b"\\r").replace(b"\n", b"\\n")
    return b"(" + escaped + b")"
