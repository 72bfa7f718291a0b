"""``print-all.pdf``: every letter in order, each starting on a new sheet; the same way,
``envelopes.pdf`` and ``labels.pdf``.

Made from the very pages drawn for the letters' own PDFs (never by converting DOCX, never by
reopening the letters' files): each worker keeps the compressed content stream of every page
it draws and the font subsets those pages name, and writes them to its share file; the parent
then writes one PDF with all the pages in order, streaming it to disk. A font subset used by
many letters is embedded once. No page is drawn twice and no PDF is parsed back. Envelopes and
labels are drawn the same way, a chunk at a time (:func:`draw_share`), so no process ever
holds a whole envelopes or labels document.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable
from pathlib import Path

from ..letter import Letter

_BLANK = zlib.compress(b"")


class PackShare:
    """One worker's share of the print file."""

    def __init__(self, duplex: bool, meta: dict | None = None):
        """``meta``: the document's title, subject and language (default: the first
        letter's)."""
        self.duplex = duplex
        self.meta: dict | None = meta
        self.pages: list[tuple[float, float, bytes, dict]] = []
        self.fonts: dict[tuple, None] = {}

    def add(self, letter: Letter, pages) -> None:
        if self.meta is None:
            self.meta = {"title": pack_title(letter), "subject": letter.description,
                         "lang": letter.lang}
        self.add_pages(pages)
        if self.duplex and len(pages) % 2:
            # A blank back, so the next letter starts on a front side.
            last = pages[-1]
            self.pages.append((last.width, last.height, _BLANK, {}))

    def add_pages(self, pages) -> None:
        for page in pages:
            self.pages.append((page.width, page.height, page.content, page.fonts))
            for key in page.fonts.values():
                self.fonts.setdefault(key)

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


def draw_share(pagesize: tuple[float, float], meta: dict, seed: dict[str, str], draw) -> bytes:
    """A share of pages drawn by ``draw(canvas, font family)`` on a canvas that is never
    saved; ``seed``: font name -> characters of the whole document, given their subset codes
    first so every share of it names the same subsets (embedded once when joined)."""
    from reportlab.pdfgen.canvas import Canvas

    from .. import fonts
    from ..render.pdf import capture_pages

    family = fonts.register()
    canvas = Canvas(None, pagesize=pagesize, invariant=True, initialFontName=family)
    fonts.seed_subset(canvas, seed)
    draw(canvas, family)
    share = PackShare(False, meta)
    share.add_pages(capture_pages(canvas))
    data = share.finish()
    assert data is not None  # (meta given)
    return data


class TextCache:
    """``canvas.drawString`` remembered per canvas: envelopes and labels repeat the same few
    recipient blocks at the same places, and formatting a line (subset codes, escaping,
    operators) costs more than everything else they draw. A line's operators depend only on
    the font, size, position and text (the canvas's subset codes are fixed for its life)."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.code: dict[tuple, list] = {}

    def draw(self, x: float, y: float, text: str) -> None:
        c = self.canvas
        key = (c._fontname, c._fontsize, x, y, text)
        code = self.code.get(key)
        if code is None:
            before = len(c._code)
            c.drawString(x, y, text)
            self.code[key] = c._code[before:]
        else:
            c._code.extend(code)


def _read_share(part: Path | bytes) -> tuple[dict, list[bytes]]:
    data = part if isinstance(part, bytes) else part.read_bytes()
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


def join_parts(parts: Iterable[Path | bytes], sink=None) -> bytes:
    """The workers' shares (files, or bytes) as one PDF, in order; streamed to ``sink`` (a
    binary file) when given, so only one share is in memory at a time. ``parts`` may be a
    generator that waits for each share while the earlier ones are written."""
    from reportlab.pdfbase import pdfmetrics

    from ..render.pdfwrite import PdfWriter

    pdf = PdfWriter(sink)
    catalog_no, pages_no, info_no = pdf.reserve(), pdf.reserve(), pdf.reserve()
    meta = None
    # (font name, base, digest of the subset's bytes) -> font dict object
    fonts_written: dict[tuple, int] = {}
    kids: list[int] = []
    for part in parts:
        head, blobs = _read_share(part)
        meta = meta or head["meta"]
        local: dict[int, int] = {}
        for i, (font_name, base, widths, cmap, font_file) in enumerate(head["fonts"]):
            digest = hashlib.sha256(blobs[widths])
            digest.update(blobs[cmap])
            digest.update(blobs[font_file])
            key = (font_name, base, digest.digest())
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
