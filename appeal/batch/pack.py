"""``print-all.pdf``: every letter in order, each starting on a new sheet.

Made from the very pages drawn for the letters' own PDFs (never by converting DOCX, never by
reopening the letters' files): each worker keeps the compressed content stream of every page
it draws and the font subsets those pages name, and writes them to its share file; the parent
then writes one PDF with all the pages in order. A font subset used by many letters is
embedded once. No page is drawn twice and no PDF is parsed back.
"""

from __future__ import annotations

import hashlib
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

        fonts: list[list] = []
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


def join_parts(parts: list[Path], sink=None) -> bytes:
    """The workers' shares as one PDF, in order; streamed to ``sink`` (a binary file) when
    given, so only one share is in memory at a time."""
    from reportlab.pdfbase import pdfmetrics

    from ..render.pdfwrite import PdfWriter

    pdf = PdfWriter(sink)
    catalog_no, pages_no, info_no = pdf.reserve(), pdf.reserve(), pdf.reserve()
    meta = None
    # (font name, base, digest of the subset's bytes) -> font dict object: a digest, not the
    # bytes (tens of KB each, thousands of subsets in a large batch)
    fonts_written: dict[tuple, int] = {}
    kids: list[int] = []
    for part in parts:
        head, blobs = _read_share(part)
        meta = meta or head["meta"]
        local: dict[int, int] = {}
        for i, (font_name, base, widths, cmap, font_file) in enumerate(head["fonts"]):
            key = (font_name, base, hashlib.sha256(blobs[widths] + b"\0" + blobs[font_file]).digest())
            if key not in fonts_written:
                tagged = _tag(len(fonts_written)) + base[base.index("+"):]
                fonts_written[key] = pdf.font(pdfmetrics.getFont(font_name).face, tagged,
                                              blobs[widths], blobs[cmap], blobs[font_file])
            local[i] = fonts_written[key]
        for w, h, content, used in head["pages"]:
            kids.append(pdf.page(pages_no, w, h, blobs[content],
                                 {res: local[i] for res, i in used.items()}))
    meta = meta or {"title": "", "subject": "", "lang": ""}
    return pdf.finish(catalog_no, pages_no, info_no, kids, lang=meta["lang"],
                      title=meta["title"], author="", subject=meta["subject"])
