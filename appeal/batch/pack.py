"""``print-all.pdf``: every letter in order, each starting on a new sheet.

Drawn directly from the laid-out letters (never by converting DOCX, never by reopening the
letters' own PDFs): each worker draws its share of the letters on one canvas while it makes
their files, and the shares are joined in order at the end.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..letter import Letter


class PackCanvas:
    """One worker's share of the print file."""

    def __init__(self, duplex: bool):
        self.duplex = duplex
        self.buf = io.BytesIO()
        self.canvas = None
        self.pages = 0

    def add(self, laid) -> None:
        from ..render.pdf import draw_letter, new_canvas

        if self.canvas is None:
            self.canvas = new_canvas(self.buf, laid.letter, laid.pagesize)
            self.canvas.setTitle(pack_title(laid.letter))
            self.canvas.setAuthor("")
        count = draw_letter(laid, self.canvas)
        self.pages += count
        if self.duplex and count % 2:
            # A blank back, so the next letter starts on a front side.
            self.canvas.setPageSize(laid.pagesize)
            self.canvas.showPage()
            self.pages += 1

    def finish(self) -> bytes | None:
        if self.canvas is None:
            return None
        self.canvas.save()
        return self.buf.getvalue()


def pack_title(letter: Letter) -> str:
    return letter.description or letter.case_id


def join_parts(parts: list[Path]) -> bytes:
    """The workers' shares as one PDF, in order."""
    if len(parts) == 1:
        return parts[0].read_bytes()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(part))
    first = PdfReader(parts[0]).metadata or {}
    writer.add_metadata({k: v for k, v in first.items() if isinstance(v, str)})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
