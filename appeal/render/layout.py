"""Page geometry shared by the PDF and DOCX renderers, so both put the blocks in one place."""

from __future__ import annotations

from ..paper import PAPER_SIZES_MM

MARGIN_MM = {"top": 20.0, "bottom": 20.0, "left": 25.0, "right": 25.0}
BODY_PT = 11.0
MIN_BODY_PT = 9.5  # long letters shrink down to this before taking a second page
SMALL_PT = 9.5
LEADING = 1.35  # line height as a multiple of the font size
SIGNATURE_SPACE_MM = 16.0  # room to sign by hand
SIGNATURE_MAX_MM = (60.0, 20.0)  # a scanned signature is scaled to fit this box


def page_size_mm(paper: str) -> tuple[float, float]:
    return PAPER_SIZES_MM[paper]
