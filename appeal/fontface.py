"""A parsed FiraGO face (reportlab's ``TTFontFace``) kept in :mod:`appeal.cache` between runs.

reportlab parses a TrueType file in Python, reading its tables value by value: ~25 ms per
FiraGO style in every process that draws a PDF. What the parse leaves on the face is plain
data (the character → glyph map, widths, metrics, the table directory), so it is stored as
JSON under a key naming the font and the installed pymupdf-fonts and reportlab, and put back
on a face without parsing. Any attribute this module does not know how to store makes it fall
back to parsing, so a different reportlab cannot get a half-restored face;
``tests/test_startup.py`` checks that a restored face equals a parsed one.
"""

from __future__ import annotations

import io
import json
import sys

from .cache import cached, package_stamp

_FORMAT = 2
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")  # TTFNameBytes
_INT_MAPS = ("charToGlyph", "charWidths", "glyphToChar", "glyphWidths")
_PLAIN = (int, float, str, bool, type(None))


def load_face(key: str, data: bytes):
    """The face of the TrueType file ``data`` (pymupdf-fonts' ``key``), parsed or restored."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    def parse_and_store() -> bytes:
        return json.dumps(_encode(TTFontFace(io.BytesIO(data)))).encode("utf-8")

    stamp = f"{key}|{_FORMAT}|{package_stamp('pymupdf_fonts')}|{package_stamp('reportlab')}"
    try:
        return _decode(json.loads(cached("font-faces", stamp, parse_and_store)), data)
    except _Unstorable:
        return TTFontFace(io.BytesIO(data))


def _all_ints(values) -> bool:
    return all(type(v) is int for v in values)


def _pack(values) -> str:
    """Integers as base64 of 64-bit little-endian words (decoded in C, unlike JSON lists)."""
    import base64
    from array import array

    words = array("q", values)
    if sys.byteorder != "little":
        words.byteswap()
    return base64.b64encode(words.tobytes()).decode("ascii")


def _unpack(text: str) -> list[int]:
    import base64
    from array import array

    words = array("q")
    words.frombytes(base64.b64decode(text))
    if sys.byteorder != "little":
        words.byteswap()
    return words.tolist()


class _Unstorable(Exception):
    """The face holds something this module does not know how to store."""


def _encode(face) -> dict:
    out: dict = {}
    for attr, value in vars(face).items():
        if attr in ("_ttf_data", "_pdfScale"):
            continue  # the file itself, and a function of unitsPerEm: both put back on load
        if attr in _NAMES:
            out[attr] = ["name", value.ustr]
        elif attr in _INT_MAPS and isinstance(value, dict) and _all_ints(value.values()):
            out[attr] = ["intmap", _pack(value), _pack(value.values())]
        elif attr in _INT_MAPS and isinstance(value, dict):
            out[attr] = ["listmap", _pack(value), list(value.values())]
        elif attr == "hmetrics" and all(len(t) == 2 for t in value):
            out[attr] = ["pairs", _pack(x for t in value for x in t)]
        elif attr == "glyphPos" and _all_ints(value):
            out[attr] = ["ints", _pack(value)]
        elif attr == "fontRevision":
            out[attr] = ["tuple", list(value)]
        elif attr == "tables":
            out[attr] = ["tables", value]  # list of dicts of plain values; ``table`` indexes it
        elif attr == "table":
            continue
        elif type(value) is bytes:
            out[attr] = ["bytes", value.decode("latin-1")]
        elif isinstance(value, _PLAIN) or (isinstance(value, list) and
                                           all(isinstance(v, _PLAIN) for v in value)):
            out[attr] = ["plain", value]
        else:
            raise _Unstorable(attr)
    return out


def _decode(fields: dict, data: bytes):
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

    face = TTFontFace.__new__(TTFontFace)
    state: dict = {}
    for attr, (kind, *value) in fields.items():
        if kind == "name":
            state[attr] = TTFNameBytes(value[0].encode("utf-8"))
        elif kind == "intmap":
            state[attr] = dict(zip(_unpack(value[0]), _unpack(value[1]), strict=True))
        elif kind == "listmap":
            state[attr] = dict(zip(_unpack(value[0]), value[1], strict=True))
        elif kind == "pairs":
            flat = _unpack(value[0])
            state[attr] = list(zip(flat[0::2], flat[1::2], strict=True))
        elif kind == "ints":
            state[attr] = _unpack(value[0])
        elif kind == "tuple":
            state[attr] = tuple(value[0])
        elif kind == "tables":
            state["table"] = {t["tag"]: t for t in value[0]}  # the same dicts, as parsed
            state["tables"] = value[0]
        elif kind == "bytes":
            state[attr] = value[0].encode("latin-1")
        elif kind == "plain":
            state[attr] = value[0]
        else:
            raise _Unstorable(attr)
    state["_ttf_data"] = data
    units = state["unitsPerEm"]
    state["_pdfScale"] = (lambda x: x) if units == 1000 else (lambda x: x * (1000 / units))
    face.__dict__.update(state)
    return face
