"""Amnesty-like UA PDFs built with reportlab for the importer's PDF tests: a two-column header
block, running headers and footers ("Amnesty International … Page 2 of 3") with the index
number on every page, words hyphenated at line ends and page breaks inside target blocks."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_FONT = None


def _font() -> str:
    """A TrueType font with accents (DejaVu ships with matplotlib/reportlab setups); else Helvetica."""
    global _FONT
    if _FONT:
        return _FONT
    from pathlib import Path

    import reportlab

    for path in [*Path(reportlab.__file__).parent.glob("fonts/Vera.ttf"),
                 Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]:
        if path.exists():
            pdfmetrics.registerFont(TTFont("UAFont", str(path)))
            _FONT = "UAFont"
            return _FONT
    _FONT = "Helvetica"
    return _FONT


def build_pdf(header_left: list[str], header_right: list[str], pages: list[list[str]],
              index: str, running: str = "Amnesty International") -> bytes:
    """One page per list of body lines; ``header_*`` go side by side at the top of page 1."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    font = _font()
    total = len(pages)
    for n, lines in enumerate(pages, 1):
        c.setFont(font, 8)
        c.drawString(50, height - 30, f"{running} – Urgent Action")
        c.drawRightString(width - 50, height - 30, f"Index: {index}")
        c.drawString(50, 30, f"{running}, Peter Benenson House, 1 Easton Street, London WC1X 0DW")
        c.drawRightString(width - 50, 30, f"Page {n} of {total}")
        y = height - 70
        if n == 1:
            c.setFont(font, 14)
            for k in range(max(len(header_left), len(header_right))):
                if k < len(header_left):
                    c.drawString(50, y, header_left[k])
                if k < len(header_right):
                    c.setFont(font, 9)
                    c.drawRightString(width - 50, y, header_right[k])
                    c.setFont(font, 14)
                y -= 18
            y -= 10
        c.setFont(font, 10)
        for line in lines:
            if line:
                c.drawString(50, y, line)
            y -= 13 if line else 9
        c.showPage()
    c.save()
    return out.getvalue()
