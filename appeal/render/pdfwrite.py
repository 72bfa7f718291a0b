"""A small PDF writer for pages drawn by reportlab: each letter's own file and ``print-all.pdf``.

reportlab draws a letter's page (content stream, font subsets named by the page); formatting a
whole document with its object model (``canvas.save()``) then cost more than drawing it. The
pages' content streams and the font subsets' bytes (formatted once per glyph set, see
:meth:`appeal.fonts` ``subset_parts``) are copied here into a PDF directly: same objects as
reportlab writes (page, TrueType font with descriptor, ``/FontFile2`` and ``/ToUnicode``,
catalog with ``/Lang``, document information), without the object model.
"""

from __future__ import annotations

from functools import lru_cache

HEADER = b"%PDF-1.4\n%\x93\x8c\x8b\x9e appeal\n"
FIXED_DATE = b"(D:20000101000000+00'00')"  # as reportlab's invariant documents


class PdfWriter:
    """Objects are appended as they come; the catalog, page tree and information, which refer
    to everything else, are given numbers first (:meth:`reserve`) and written last."""

    def __init__(self, sink=None):
        """``sink``: a binary file to stream the objects to as they come (a large print
        file is never held in memory); default: kept, and returned by :meth:`finish`."""
        self.sink = sink
        self.out: list[bytes] = []
        self.offsets: list[int] = [0]  # object number -> byte offset (0: the free list head)
        self.size = 0
        self._page_rest: dict[tuple, bytes] = {}
        self._emit(HEADER)

    @classmethod
    def continuing(cls, start: bytes, offsets: tuple[int, ...]) -> PdfWriter:
        """A writer whose file begins with ``start``, the bytes of another writer (kept in
        memory) with those object ``offsets``."""
        out = cls.__new__(cls)
        out.sink, out.out, out.offsets, out.size = None, [start], list(offsets), len(start)
        out._page_rest = {}
        return out

    def _emit(self, chunk: bytes) -> None:
        if self.sink is not None:
            self.sink.write(chunk)
        else:
            self.out.append(chunk)
        self.size += len(chunk)

    def reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def add(self, body: bytes, number: int | None = None) -> int:
        if number is None:
            number = len(self.offsets)
            self.offsets.append(self.size)
        else:
            self.offsets[number] = self.size
        self._emit(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        return number

    def font(self, face, base: str, widths: bytes, cmap: bytes, font_file: bytes) -> int:
        """A TrueType subset: ``widths`` a formatted array, ``cmap`` and ``font_file``
        formatted streams (as :meth:`subset_parts` gives them). Returns the font's number."""

        file_no = self.add(_raw_stream(font_file))
        cmap_no = self.add(_raw_stream(cmap))
        before, after = _descriptor(face, base)
        descriptor = self.add(b"%s%d%s" % (before, file_no, after))
        return self.add(
            b"<< /BaseFont %s /FirstChar 0 /FontDescriptor %d 0 R /LastChar %d "
            b"/Subtype /TrueType /ToUnicode %d 0 R /Type /Font /Widths %s >>" % (
                name(base), descriptor, _width_count(widths) - 1, cmap_no, widths))

    def page(self, parent: int, width: float, height: float, content: bytes,
             fonts: dict[str, int]) -> int:
        """A page: ``content`` a FlateDecode stream, ``fonts`` resource name -> font number."""
        content_no = self.add(b"<< /Filter [ /FlateDecode ] /Length %d >>\nstream\n%s\n"
                              b"endstream" % (len(content), content))
        # A print file's pages share a few sizes and font sets: format each once.
        key = (parent, width, height, tuple(sorted(fonts.items())))
        rest = self._page_rest.get(key)
        if rest is None:
            font_refs = b" ".join(b"%s %d 0 R" % (name(res), number) for res, number in key[3])
            rest = self._page_rest[key] = (
                b"/MediaBox [ 0 0 %s %s ] /Parent %d 0 R /Resources << /Font << %s >> "
                b"/ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ] >> /Type /Page >>" % (
                    _num(width), _num(height), parent, font_refs))
        return self.add(b"<< /Contents %d 0 R %s" % (content_no, rest))

    def finish(self, catalog: int, pages: int, info: int, kids: list[int], *, lang: str,
               title: str, author: str, subject: str) -> bytes:
        """Write the reserved catalog, page tree and information; the whole file (with a
        ``sink``: written to it, and ``b""`` returned)."""
        from reportlab.pdfbase import pdfdoc

        lang_entry = b"/Lang %s " % string(lang) if lang else b""  # none: several languages
        self.add(b"<< %s/PageMode /UseNone /Pages %d 0 R /Type /Catalog >>" % (
            lang_entry, pages), catalog)
        self.add(b"<< /Count %d /Kids [ %s ] /Type /Pages >>" % (
            len(kids), b" ".join(b"%d 0 R" % k for k in kids)), pages)
        self.add(b"<< /Author %s /CreationDate %s /Creator (appeal) /Keywords () /ModDate %s "
                 b"/Producer %s /Subject %s /Title %s /Trapped /False >>" % (
                     string(author), FIXED_DATE, FIXED_DATE, string(pdfdoc.PDFInfo.producer),
                     string(subject), string(title)), info)
        offsets = self.offsets
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets)]
        xref += [b"%010d 00000 n \n" % offset for offset in offsets[1:]]
        trailer = (b"trailer\n<< /Info %d 0 R /Root %d 0 R /Size %d >>\nstartxref\n%d\n"
                   b"%%%%EOF\n" % (info, catalog, len(offsets), self.size))
        if self.sink is not None:
            self.sink.write(b"".join(xref + [trailer]))
            return b""
        return b"".join(self.out + xref + [trailer])


@lru_cache(maxsize=64)
def _descriptor(face, base: str) -> tuple[bytes, bytes]:
    """A subset's font descriptor, before and after its ``/FontFile2`` object number: the
    same for every subset of a face, formatted once."""
    from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC

    flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
    before = b"<< /Ascent %s /CapHeight %s /Descent %s /Flags %d /FontBBox [ %s ] /FontFile2 " % (
        _num(face.ascent), _num(face.capHeight), _num(face.descent), flags,
        b" ".join(_num(v) for v in face.bbox))
    after = b" 0 R /FontName %s /ItalicAngle %s /MissingWidth %s /StemV %s /Type /FontDescriptor >>" % (
        name(base), _num(face.italicAngle), _num(face.defaultWidth), _num(face.stemV))
    return before, after


@lru_cache(maxsize=1024)
def _num(value) -> bytes:
    from reportlab.lib.rl_accel import fp_str

    return fp_str(value).encode()


@lru_cache(maxsize=1024)
def name(text: str) -> bytes:
    from reportlab.pdfbase import pdfdoc

    return pdfdoc.PDFName(text).encode("latin-1")


def _raw_stream(formatted: bytes) -> bytes:
    """A stream formatted by reportlab (dictionary, ``stream``, data, ``endstream``)."""
    return formatted.rstrip(b"\n")


@lru_cache(maxsize=256)
def _width_count(widths: bytes) -> int:
    """Entries in a formatted ``[ w w w ... ]`` array."""
    return len(widths.strip()[1:-1].split())


def string(text: str) -> bytes:
    """A PDF text string, escaped: ASCII as is, anything else as UTF-16BE with a byte order
    mark."""
    data = text.encode("ascii") if text.isascii() else b"\xfe\xff" + text.encode("utf-16-be")
    escaped = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    escaped = escaped.replace(b"\r", b"\\r").replace(b"\n", b"\\n")
    return b"(" + escaped + b")"
