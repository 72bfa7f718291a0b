"""The PDF font: FiraGO (SIL OFL) from the pymupdf-fonts wheel, registered once per process.

reportlab's built-in fonts are Latin-1 only and would draw black boxes for ł, ğ or Cyrillic, so
every PDF embeds FiraGO (Latin, Greek, Cyrillic, Vietnamese...). Text the font cannot draw is
an error before any file is written, never a silent box.
"""

from __future__ import annotations

import io
from functools import lru_cache

from .errors import AppealError
from .i18n import _

FAMILY = "FiraGO"
_FILES = {"": "figo", "-Bold": "figbo", "-Italic": "figit", "-BoldItalic": "figbi"}
# Characters that are not drawn at all (line breaks, joiners) and need no glyph.
_INVISIBLE = set("\n\t\u200b\u200c\u200d\u2060\ufeff")


@lru_cache(maxsize=1)
def register() -> str:
    """Register the four FiraGO styles with reportlab and return the family name."""
    import pymupdf_fonts
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for suffix, key in _FILES.items():
        pdfmetrics.registerFont(TTFont(FAMILY + suffix, io.BytesIO(pymupdf_fonts.myfont(key))))
    addMapping(FAMILY, 0, 0, FAMILY)
    addMapping(FAMILY, 1, 0, FAMILY + "-Bold")
    addMapping(FAMILY, 0, 1, FAMILY + "-Italic")
    addMapping(FAMILY, 1, 1, FAMILY + "-BoldItalic")
    return FAMILY


@lru_cache(maxsize=1)
def _covered() -> frozenset[str]:
    from reportlab.pdfbase import pdfmetrics

    register()
    return frozenset(map(chr, pdfmetrics.getFont(FAMILY).face.charToGlyph))


def check_coverage(fields: list[tuple[str, str]]) -> None:
    """Raise naming the block and characters the PDF font cannot draw."""
    covered = _covered()
    if not (set("".join(text for _block, text in fields)) - _INVISIBLE).difference(covered):
        return  # the common case, in one set operation instead of a loop per character
    for block, text in fields:
        missing = sorted({c for c in text if c not in covered and c not in _INVISIBLE})
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:8])
            raise AppealError(
                _("{block}: the PDF font cannot draw {chars}.").format(block=block, chars=shown),
                _("Remove those characters, or make only the DOCX (--format docx)."),
            )
