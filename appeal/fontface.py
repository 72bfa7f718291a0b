"""A parsed FiraGO face (reportlab's ``TTFontFace``) kept in :mod:`appeal.cache` between runs.

reportlab parses a TrueType file in Python, reading its tables value by value: ~25 ms per
FiraGO style in every process that draws a PDF. What the parse leaves on the face is plain
data (the character → glyph map, widths, metrics, the table directory), so it is stored with
``marshal`` under a key naming the font and the installed pymupdf-fonts and reportlab, and put
back on a face without parsing. Any value this module does not know how to store makes it fall
back to parsing, so a different reportlab cannot get a half-restored face;
``tests/test_startup.py`` checks that a restored face equals a parsed one.
"""

from __future__ import annotations

import io
import marshal

from .cache import cached, package_stamp

_FORMAT = 3
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")  # TTFNameBytes


def load_face(key: str, data: bytes):
    """The face of the TrueType file ``data`` (pymupdf-fonts' ``key``), parsed or restored."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    def parse_and_store() -> bytes:
        return _encode(TTFontFace(io.BytesIO(data)))

    stamp = f"{key}|{_FORMAT}|{package_stamp('pymupdf_fonts')}|{package_stamp('reportlab')}"
    try:
        return _decode(cached("font-faces", stamp, parse_and_store), data)
    except _Unstorable:
        return TTFontFace(io.BytesIO(data))


class _Unstorable(Exception):
    """The face holds something this module does not know how to store."""


def _encode(face) -> bytes:
    """The face's attributes as ``marshal`` data (read back in C, ~3 ms a face), or
    :class:`_Unstorable`: marshal refuses anything but exact plain types (no subclasses), so a
    value of a type this module does not know cannot come back as something else."""
    names = []
    state: dict = {}
    for attr, value in vars(face).items():
        if attr in ("_ttf_data", "_pdfScale", "table"):
            continue  # the file, a function of unitsPerEm, an index of ``tables``: put back
        if attr in _NAMES:
            names.append(attr)
            state[attr] = value.ustr
        else:
            state[attr] = value
    try:
        return marshal.dumps((names, state))
    except ValueError as exc:
        raise _Unstorable(str(exc)) from None


def _decode(blob: bytes, data: bytes):
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

    try:
        names, state = marshal.loads(blob)
        for attr in names:
            state[attr] = TTFNameBytes(state[attr].encode("utf-8"))
        state["table"] = {t["tag"]: t for t in state["tables"]}  # the same dicts, as parsed
        units = state["unitsPerEm"]
    except (EOFError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _Unstorable(str(exc)) from None
    face = TTFontFace.__new__(TTFontFace)
    state["_ttf_data"] = data
    state["_pdfScale"] = (lambda x: x) if units == 1000 else (lambda x: x * (1000 / units))
    face.__dict__.update(state)
    return face
