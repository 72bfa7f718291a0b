"""The one gate that user text passes before it reaches a letter.

Everything a supporter types or a file supplies (names, cities, notes, edited bodies, CSV
cells) goes through :func:`clean_field`. It normalises harmless differences (NFC, Windows line
endings, Word's vertical tab) and rejects what would corrupt a DOCX, confuse a reader or hide
text (control characters, lone surrogates, bidi overrides, noncharacters), naming the field.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import AppealError
from .i18n import _

# Caps keep layout time bounded (reportlab is quadratic in paragraph length) and catch
# files given to the wrong option.
LIMITS = {
    "line": 200,  # one-line fields: name, city, address line, email
    "note": 3000,  # the supporter's own paragraph
    "body": 20000,  # a whole replacement body
    "template": 20000,  # a case's sample letter, filled in (same layout cost as a body)
}

_NEWLINES = {"\r\n": "\n", "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n\n"}
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _problem(ch: str) -> str | None:
    cp = ord(ch)
    if 0xD800 <= cp <= 0xDFFF:
        return _("an invalid character (lone surrogate U+{cp:04X}; is the text valid UTF-8?)").format(
            cp=cp
        )
    if ch in _BIDI_CONTROLS:
        return _("a bidirectional override (U+{cp:04X}) that can hide or reorder text").format(
            cp=cp
        )
    if (0xFDD0 <= cp <= 0xFDEF) or (cp & 0xFFFE) == 0xFFFE:
        return _("a noncharacter (U+{cp:04X})").format(cp=cp)
    if ch not in "\n\t" and unicodedata.category(ch) == "Cc":
        return _("a control character (U+{cp:04X})").format(cp=cp)
    return None


# Every character :func:`_problem` refuses, as one compiled pattern (plus the planes above
# U+1FFFE, whose noncharacters :func:`_problem` then tells from the rest): a clean value
# costs one scan in C instead of a Python call per character.
_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(sorted(_BIDI_CONTROLS)) + "\U0001fffe-\U0010ffff]"
)


def clean_field(value: str, field: str, *, multiline: bool = False, limit: str = "line") -> str:
    """Return ``value`` normalised and checked, or raise :class:`AppealError` naming ``field``."""
    for old, new in _NEWLINES.items():
        if old in value:
            value = value.replace(old, new)
    for match in _REFUSED.finditer(value):
        problem = _problem(match.group())
        if problem:
            raise AppealError(
                _("{field}: contains {problem} at character {pos}.").format(
                    field=field, problem=problem, pos=match.start() + 1
                ),
                _("Remove it and try again."),
            )
    value = unicodedata.normalize("NFC", value).replace("\t", " ")
    if multiline:
        lines = [line.rstrip() for line in value.split("\n")]
        value = "\n".join(lines).strip("\n")
    else:
        if "\n" in value.strip():
            raise AppealError(
                _("{field}: must be a single line.").format(field=field),
                _("Remove the line breaks and try again."),
            )
        value = " ".join(value.split())
    cap = LIMITS[limit]
    if len(value) > cap:
        raise AppealError(
            _("{field}: is {length} characters long; the limit is {cap}.").format(
                field=field, length=len(value), cap=cap
            ),
            _("Shorten it and try again."),
        )
    return value.strip() if not multiline else value


def paragraphs(text: str) -> list[str]:
    """Split cleaned multi-line text into paragraphs at blank lines; single breaks become spaces."""
    blocks = [b for b in text.split("\n\n")]
    result = []
    for block in blocks:
        joined = " ".join(line.strip() for line in block.split("\n") if line.strip())
        if joined:
            result.append(joined)
    return result
