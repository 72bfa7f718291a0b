"""Typographic spaces a language requires, decided once for the letter (every format prints
the same characters).

French puts a narrow no-break space (U+202F) before ``: ; ! ?`` and inside « »: "Objet :",
« Non ». An ordinary space there would let a line break strand the colon at the start of the
next line. A colon with no space before it ("10:30", "https:") is left alone.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"
_SPACE_BEFORE = re.compile(r"[ \u00a0\u2009\u202f]+([:;!?»])")
_TIGHT_BEFORE = re.compile(r"(?<=[\w\)\]»…’”%])([;!?]+)(?=\s|$)")
_AFTER_OPEN = re.compile(r"«[ \u00a0\u2009\u202f]*")
_TIGHT_CLOSE = re.compile(r"(?<=[^\s\u00a0\u202f])»")


def french_spacing(text: str) -> str:
    """``text`` with the narrow no-break spaces of French typography."""
    text = _SPACE_BEFORE.sub(NNBSP + r"\1", text)
    text = _TIGHT_BEFORE.sub(NNBSP + r"\1", text)
    text = _AFTER_OPEN.sub("«" + NNBSP, text)
    return _TIGHT_CLOSE.sub(NNBSP + "»", text)


def for_language(lang: str):
    """The spacing function for a letter in ``lang`` (identity for most languages)."""
    return french_spacing if lang.split("-")[0].lower() == "fr" else (lambda text: text)
