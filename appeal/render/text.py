"""Plain-text rendering: for reading back in tests, for the terminal and for email bodies."""

from __future__ import annotations

from ..letter import Letter


def render_text(letter: Letter, *, postal: bool = True) -> str:
    """The letter as plain text; ``postal=False`` leaves out the address blocks (for email)."""
    blocks: list[str] = []
    if postal:
        blocks.append("\n".join(letter.sender))
    blocks.append(letter.date_line)
    if postal:
        blocks.append("\n".join(letter.recipient))
    blocks += [letter.subject, letter.salutation, *letter.paragraphs]
    blocks.append(letter.closing + "\n\n\n" + letter.signature_name if postal else
                  letter.closing + "\n" + letter.signature_name)
    return "\n\n".join(blocks) + "\n"
