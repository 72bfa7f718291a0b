"""The render-agnostic letter: every word decided, no format chosen yet.

Renderers (text, DOCX, PDF) only lay these blocks out; they never decide content.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SignatureImage:
    data: bytes
    kind: str  # "png" or "jpeg"
    width_px: int
    height_px: int


@dataclass(frozen=True, slots=True)
class Letter:
    case_id: str
    target_id: str
    lang: str  # BCP 47, e.g. "es-MX": spell-check language of the document
    paper: str  # "a4" or "letter"
    sender: tuple[str, ...]
    date_line: str
    recipient: tuple[str, ...]
    subject: str
    salutation: str
    paragraphs: tuple[str, ...]
    closing: str
    signature_name: str
    signature_image: SignatureImage | None = None
    # The sender's address on one line, printed small above the recipient's in the envelope
    # window ("Ana García · Calle Mayor 1 · 28013 Madrid · ESPAÑA"); empty without an address.
    return_line: str = ""
    # Document metadata
    title: str = ""  # the reference line without its label: document title, email subject
    author: str = ""
    description: str = ""
    recipient_emails: tuple[str, ...] = field(default_factory=tuple)
    # Salutation, closing or signature found in the supporter's own body and left out (the
    # letter prints its own): for the front end to mention, never printed.
    trimmed: tuple[str, ...] = field(default_factory=tuple)

    def text_fields(self) -> list[tuple[str, str]]:
        """Every piece of text that will be printed, with the block it belongs to."""
        items = [("sender", s) for s in self.sender]
        if self.return_line:
            items += [("sender", self.return_line)]
        items += [("date", self.date_line)]
        items += [("recipient", s) for s in self.recipient]
        items += [("subject", self.subject), ("salutation", self.salutation)]
        items += [("body", p) for p in self.paragraphs]
        items += [("closing", self.closing), ("signature", self.signature_name)]
        return items


def letter_stem(letter: Letter) -> str:
    """``<case>_<target>_<lang>_<supporter>``: sorts by case and target, says who signed."""
    return f"{letter.case_id}_{letter.target_id}_{letter.lang}_{letter.signature_name}"
