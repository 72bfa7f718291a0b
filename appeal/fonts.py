"""The PDF font: FiraGO (SIL OFL) from the pymupdf-fonts wheel, registered once per process.

reportlab's built-in fonts are Latin-1 only and would draw black boxes for ł, ğ or Cyrillic, so
every PDF embeds FiraGO (Latin, Greek, Cyrillic, Vietnamese...). Text the font cannot draw is
an error before any file is written, never a silent box.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from .errors import AppealError
from .fontface import load_face
from .i18n import _

FAMILY = "FiraGO"
# Letters, envelopes, labels and the cover use the regular and bold styles only: the italic
# files are not loaded (each costs a parse of a TrueType file at start-up).
_FILES = {"": "figo", "-Bold": "figbo"}
# Characters that are not drawn at all (line breaks, joiners) and need no glyph.
_INVISIBLE = set("\n\t\u200b\u200c\u200d\u2060\ufeff")
# FiraGO has no narrow no-break space (French "Objet :"): the PDF draws it as a no-break
# space set smaller (see ``render.pdf``), so it needs no glyph of its own.
_INVISIBLE.add("\u202f")


@lru_cache(maxsize=1)
def register() -> str:
    """Register the FiraGO styles appeal draws with (regular, bold) with reportlab and return
    the family name; italic maps to the upright styles."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    for suffix, key in _FILES.items():
        pdfmetrics.registerFont(_font_class()(FAMILY + suffix, load_face(key, font_file(key))))
    addMapping(FAMILY, 0, 0, FAMILY)
    addMapping(FAMILY, 1, 0, FAMILY + "-Bold")
    addMapping(FAMILY, 0, 1, FAMILY)
    addMapping(FAMILY, 1, 1, FAMILY + "-Bold")
    return FAMILY


def font_file(key: str) -> bytes:
    """The TrueType file pymupdf-fonts ships as ``key``. It keeps each font as a Python module
    of LZMA-compressed base64 (~50 ms to import and decode): decoded once, then read from
    :mod:`.cache`."""
    from .cache import cached, package_stamp

    def decode() -> bytes:
        import pymupdf_fonts

        return pymupdf_fonts.myfont(key)

    return cached("fonts", f"{key}|{package_stamp('pymupdf_fonts')}", decode)


# -- embedding: subsets made once per glyph set, not once per document ------------------------
#
# reportlab builds every document's font subset from scratch: it copies the glyphs out of the
# font (``makeSubset``), compresses them and formats the widths and the ToUnicode map, about
# 1.5 ms per letter. A batch of letters uses the same few glyph sets over and over, so the
# finished bytes of those objects are kept per (subset number, characters in code order) and
# only the small objects that refer to others by number are made per document. Together with
# :func:`seed_subset` (codes in a fixed order) most letters of a batch hit the cache.

_SUBSET_CACHE_MAX = 256


@lru_cache(maxsize=1)
def _font_class():
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import (FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTEncoding,
                                           TTFont, makeToUnicodeCMap)

    class Preformatted(pdfdoc.PDFObject):
        """An object whose bytes were formatted once, in an earlier document."""

        def __init__(self, data: bytes):
            self.data = data

        def format(self, document):
            return self.data

    class PreformattedStream(Preformatted):
        __RefOnly__ = 1  # streams are always indirect objects

    class CachingTTFont(TTFont):
        def __init__(self, name: str, face):
            """``TTFont.__init__`` given the face instead of the file: the face comes parsed
            or from the cache (:mod:`appeal.fontface`)."""
            self.fontName = name
            self.face = face
            self.encoding = TTEncoding()
            self.state: WeakKeyDictionary = WeakKeyDictionary()
            self._asciiReadable = rl_config.ttfAsciiReadable
            self.shapable = not any(fnmatch(name, g) for g in rl_config.unShapedFontGlob)
            self._subset_parts: dict[tuple, tuple] = {}

        def _parts(self, n: int, subset: list[int], doc) -> tuple:
            key = (n, tuple(subset))
            parts = self._subset_parts.get(key)
            if parts is None:
                face = self.face
                base = (b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX))
                        ).decode("pdfdoc")
                widths = pdfdoc.PDFArray(list(map(face.getCharWidth, subset))).format(doc)
                cmap = pdfdoc.PDFStream(content=makeToUnicodeCMap(base, subset),
                                        filters=[pdfdoc.PDFZCompress]).format(doc)
                font_file = pdfdoc.PDFStream(content=face.makeSubset(subset),
                                             filters=[pdfdoc.PDFZCompress])
                font_file.dictionary["Length1"] = len(font_file.content)
                parts = (base, widths, cmap, font_file.format(doc))
                if len(self._subset_parts) >= _SUBSET_CACHE_MAX:
                    self._subset_parts.clear()
                self._subset_parts[key] = parts
            return parts

        def subset_parts(self, n: int, subset: tuple[int, ...]) -> tuple:
            """(BaseFont name, formatted widths array, ToUnicode stream, font file stream)."""
            return self._parts(n, list(subset), pdfdoc.DummyDoc())

        def addObjects(self, doc):
            """As ``TTFont.addObjects`` (same objects, same bytes), from the cache."""
            if not doc.compression or type(doc.encrypt) is not pdfdoc.NoEncryption:
                return super().addObjects(doc)
            try:
                state = self.state[doc]
            except KeyError:
                state = self.state[doc] = TTFont.State(self._asciiReadable)
            state.frozen = 1
            face = self.face
            for n, subset in enumerate(state.subsets):
                internal = self.getSubsetInternalName(n, doc)[1:]
                base, widths, cmap, font_file = self._parts(n, subset, doc)
                pdf_font = pdfdoc.PDFTrueTypeFont()
                pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
                pdf_font.Name = internal
                pdf_font.BaseFont = base
                pdf_font.FirstChar = 0
                pdf_font.LastChar = len(subset) - 1
                pdf_font.Widths = Preformatted(widths)
                pdf_font.ToUnicode = doc.Reference(PreformattedStream(cmap),
                                                   "toUnicodeCMap:" + base)
                file_ref = doc.Reference(PreformattedStream(font_file),
                                         f"fontFile:{face.filename}({base})")
                pdf_font.FontDescriptor = doc.Reference(pdfdoc.PDFDictionary({
                    "Type": "/FontDescriptor",
                    "Ascent": face.ascent,
                    "CapHeight": face.capHeight,
                    "Descent": face.descent,
                    "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                    "FontBBox": pdfdoc.PDFArray(face.bbox),
                    "FontName": pdfdoc.PDFName(base),
                    "ItalicAngle": face.italicAngle,
                    "StemV": face.stemV,
                    "FontFile2": file_ref,
                    "MissingWidth": face.defaultWidth,
                }), "fontDescriptor:" + base)
                doc.Reference(pdf_font, internal)
                doc.idToObject["BasicFonts"].dict[internal] = pdf_font
            del self.state[doc]

    return CachingTTFont


@lru_cache(maxsize=512)  # a batch reuses a few dozen strings; long custom texts stay few
def unusual_chars(text: str) -> frozenset[str]:
    """The characters of ``text`` other than printable ASCII. Memoised: a batch's letters
    share most of their text (the same string objects), so each letter's checks are a few
    unions of small sets instead of a pass over every character."""
    return frozenset(text).difference(_PRINTABLE_ASCII)


_PRINTABLE_ASCII = frozenset(map(chr, range(32, 127)))


def seed_subset(canvas, text_by_font: Mapping[str, str | frozenset[str]]) -> None:
    """Give the non-ASCII characters of a document their subset codes in sorted order before
    anything is drawn, so two letters with the same characters get the same subset (and the
    cached embedding) whatever order the characters first appear in. The text of a font may
    be given as its set of characters."""
    from reportlab.pdfbase import pdfmetrics

    doc = canvas._doc
    for name, text in text_by_font.items():
        chars = tuple(sorted(set(text).difference(ASCII)))  # set operations run in C
        if not chars:
            continue
        font = pdfmetrics.getFont(name)
        fresh = doc not in font.state
        seeded = _SEEDED.get((name, chars)) if fresh else None
        if seeded is None:
            font.splitString("".join(chars), doc)
            state = font.state[doc]
            if not fresh:
                continue
            if len(_SEEDED) >= _SEEDED_MAX:
                _SEEDED.clear()
            _SEEDED[(name, chars)] = (dict(state.assignments),
                                      [list(s) for s in state.subsets], state.nextCode)
            continue
        # The state splitString leaves in a new document, copied: the same characters in
        # the same order always get the same codes.
        assignments, subsets, next_code = seeded
        state = type(font).State.__new__(type(font).State)
        state.assignments, state.subsets = dict(assignments), [list(s) for s in subsets]
        state.nextCode, state.internalName, state.frozen = next_code, None, 0
        font.state[doc] = state


# (font, seeded characters) -> the subset state they make in a new document.
_SEEDED: dict[tuple[str, tuple[str, ...]], tuple] = {}
_SEEDED_MAX = 256


ASCII = frozenset(map(chr, range(128)))


@lru_cache(maxsize=1)
def _covered() -> frozenset[str]:
    from reportlab.pdfbase import pdfmetrics

    register()
    return frozenset(map(chr, pdfmetrics.getFont(FAMILY).face.charToGlyph))


def check_coverage(fields: list[tuple[str, str]]) -> None:
    """Raise naming the block and characters the PDF font cannot draw."""
    covered = _covered()
    unusual = frozenset().union(*[unusual_chars(text) for _block, text in fields])
    if covered >= _PRINTABLE_ASCII and not (unusual - _INVISIBLE).difference(covered):
        return  # the common case, in a few set operations instead of a loop per character
    for block, text in fields:
        missing = sorted({c for c in text if c not in covered and c not in _INVISIBLE})
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:8])
            raise AppealError(
                _("{block}: the PDF font cannot draw {chars}.").format(block=block, chars=shown),
                _("Remove those characters, or make only the DOCX (--format docx)."),
            )
