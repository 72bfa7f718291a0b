"""Page geometry shared by the PDF and DOCX renderers, so both put the blocks in one place,
and the fit decision (:class:`Fit`) both follow.

Page 1 is laid out for a window envelope: the recipient's address sits at a fixed position
and height whatever the sender block holds, with the sender's return line just above it,
where the standard puts them.

- A4: DIN 5008 form B. Address field 45 mm from the top edge, 20 mm from the left, 85 x 45 mm:
  a 5 mm return-address zone (Rücksendeangabe), then 40 mm for the address (the 12.7 mm
  endorsement zone and the 27.3 mm address zone, 9 lines of 12 pt; a short address starts at
  the address zone, 62.7 mm from the top). It shows through the window of DL, C5 and C6/5
  envelopes (C6 with the letter folded twice).
- US Letter: folded in three into a #10 window envelope (window 4 1/2 x 1 1/8 in, 7/8 in from
  the left and 1/2 in from the bottom of the envelope). The folded letter (3 2/3 in) can move
  about 0.46 in in the 4 1/8 in envelope: resting on the envelope's bottom edge (as it does in
  an envelope standing in a tray) the window shows 2.0 in to 3.2 in from the top of the page;
  pushed up, 2.5 in to 3.6 in. A return line at 2.1 in and seven address lines of 11 pt (9 pt
  type) from 2.25 in to 3.3 in: placed for the letter resting on the bottom edge, since no
  band narrower than 0.67 in shows in every position and UA addresses run to seven lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..paper import PAPER_SIZES_MM

MARGIN_MM = {"top": 20.0, "bottom": 20.0, "left": 25.0, "right": 25.0}
BODY_PT = 11.0
MIN_BODY_PT = 9.5  # long letters shrink down to this before taking a second page
SMALL_PT = 9.0  # the sender block (letterhead)
SMALL_LEADING_PT = 11.0
LEADING = 1.35  # line height as a multiple of the font size
SIGNATURE_SPACE_MM = 16.0  # room to sign by hand
SIGNATURE_MAX_MM = (60.0, 20.0)  # a scanned signature is scaled to fit this box
KEEP_LINES = 2  # body lines that go with the closing and signature to a next page
# Body text is set flush left, ragged right (DIN 5008, and most letter guides): justified text
# without hyphenation leaves gaps, worst in German. Same in PDF and DOCX.
ALIGN = "left"

RETURN_PT = 7.0
RETURN_MIN_PT = 5.5
PT_MM = 25.4 / 72
CONTINUATION_MM = 10.0  # room for the continuation header on page 2 and later


@dataclass(frozen=True)
class Window:
    """The address field of page 1, in mm from the page's top-left corner."""

    left: float  # where address text starts
    width: float  # usable width of an address line
    return_top: float  # the return line's zone
    return_height: float
    top: float  # the whole address area (all of it shows through the window)
    height: float
    preferred_top: float  # where an address of up to ``preferred_lines`` lines starts
    preferred_lines: int
    size: float = 10.0  # address type size, pt
    leading: float = 12.0  # address line height, pt (DIN 5008's grid: 4.23 mm)

    @property
    def capacity(self) -> int:
        return int(self.height / (self.leading * PT_MM) + 1e-6)

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def address_top(self, lines: int) -> float:
        """Top of an address of ``lines`` lines: short ones start in the address zone, longer
        ones move up into the endorsement zone so they still end inside the window."""
        line = self.leading * PT_MM
        extra = max(0, min(lines, self.capacity) - self.preferred_lines)
        return max(self.top, self.preferred_top - extra * line)


WINDOWS = {
    "a4": Window(left=25.0, width=80.0, return_top=45.0, return_height=5.0, top=50.0,
                 height=40.0, preferred_top=62.7, preferred_lines=6),
    "letter": Window(left=25.4, width=95.0, return_top=53.3, return_height=3.8, top=57.1,
                     height=27.2, preferred_top=57.1, preferred_lines=7, size=9.0,
                     leading=11.0),
}
BODY_GAP_MM = 6.0  # between the address field and the date line


def page_size_mm(paper: str) -> tuple[float, float]:
    return PAPER_SIZES_MM[paper]


def window(paper: str) -> Window:
    return WINDOWS[paper]


def sender_room_mm(paper: str) -> float:
    """Height from the top margin to the return line: what the sender block may fill."""
    return WINDOWS[paper].return_top - MARGIN_MM["top"] - 1.0


@dataclass(frozen=True)
class Fit:
    """How the letter fits the paper, decided once by measuring it (:mod:`.pdf`) and followed
    by every renderer: the body's size, the page count, what to cut to fit better, and
    whether the address shows through the envelope window."""

    size: float  # body text size in points
    pages: int
    shorten_lines: int = 0  # lines to cut to keep BODY_PT (shrunk) or one page (spilled)
    shorten_chars: int = 0  # the same, roughly, in characters
    address_lines: int = 0
    address_capacity: int = 0
    address_too_wide: tuple[str, ...] = ()  # lines wider than the window
    sender_lines_over: int = 0  # sender lines that do not fit above the return line
    # Two pages: the body paragraph (index in ``Letter.paragraphs``) that page 2 starts with
    # or in. The DOCX starts page 2 at the same word, so its narrower font (Calibri) cannot
    # pull the letter back onto one page while the PDF takes two.
    page2_paragraph: int | None = None
    page2_words: int = 0  # its last words that go to page 2 (0: the whole paragraph)

    @property
    def shrunk(self) -> bool:
        return self.size < BODY_PT

    @property
    def spilled(self) -> bool:
        return self.pages > 1

    @property
    def address_fits(self) -> bool:
        return self.address_lines <= self.address_capacity and not self.address_too_wide
