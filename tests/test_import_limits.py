"""Every broken or oversized document gets a clear error, in bounded time and memory.

Each hostile file is built here, in a few bytes: zip members written by hand (a bad CRC, an
encrypted flag, an unknown compression method, corrupt deflate data), PDFs written object by
object (a flate stream that inflates to 1 GB, a /Length that refers to its own stream, sixty
pages sharing one huge content stream), a web page of three million nested elements."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from appeal.errors import AppealError
from appeal.importer.read import read_bytes

SEED = Path(__file__).parent / "fixtures" / "import" / "ua-100.21-mexico-mass-deportations.txt"
MAX_SECONDS = 30  # very loose (a busy shared machine): each refusal takes ~1 s or less when idle
MAX_MB = 150  # loose: what tracemalloc sees allocated on the way to a refusal


def _refused(data: bytes, name: str, match: str) -> AppealError:
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(AppealError, match=match) as err:
            read_bytes(data, name)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < MAX_SECONDS
    assert peak < MAX_MB * 1_000_000, f"{peak / 1e6:.0f} MB"
    assert "Traceback" not in str(err.value) and "cannot import this file" in str(err.value)
    return err.value


# --- DOCX: zip members written by hand ---------------------------------------------------------


@pytest.fixture(scope="module")
def docx_members(tmp_path_factory) -> dict[str, bytes]:
    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    path = tmp_path_factory.mktemp("docx") / "base.docx"
    document.save(path)
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _deflate(data: bytes) -> bytes:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def zip_by_hand(members: dict[str, bytes], fault: dict[str, dict] | None = None) -> bytes:
    """A zip file, each member deflated; ``fault[name]`` overrides the fields of one member
    (``crc``, ``flags``, ``method``, ``payload``) as a damaged or hostile file would have them."""
    out, central = bytearray(), bytearray()
    for name, content in members.items():
        entry = {"crc": zlib.crc32(content), "flags": 0, "method": 8, "payload": _deflate(content)}
        entry.update((fault or {}).get(name, {}))
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, entry["flags"], entry["method"],
                           0, 0x21, entry["crc"], len(entry["payload"]), len(content), len(raw), 0)
        out += raw + entry["payload"]
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, entry["flags"],
                               entry["method"], 0, 0x21, entry["crc"], len(entry["payload"]),
                               len(content), len(raw), 0, 0, 0, 0, 0, offset) + raw
    start = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members),
                       len(central), start, 0)
    return bytes(out)


def test_a_docx_written_by_hand_imports(docx_members):
    document = read_bytes(zip_by_hand(docx_members), "ua.docx")
    assert "MASS DEPORTATIONS MUST STOP" in document.text


@pytest.mark.parametrize("fault, match", [
    ({"crc": 0x12345678}, "word/document.xml is damaged"),
    ({"flags": 0x1}, "word/document.xml is encrypted"),
    ({"method": 98},
     r"word/document.xml is compressed with a method that cannot be read \(method 98\)"),
    ({"payload": b"\xff\x00 this is not deflate data " * 50}, "word/document.xml is damaged"),
    ({"payload": b"\x00"}, "word/document.xml is damaged"),  # cut short
])
def test_a_damaged_docx_member_is_a_clear_error(docx_members, fault, match):
    _refused(zip_by_hand(docx_members, {"word/document.xml": fault}), "ua.docx", match)


def test_a_damaged_part_that_is_not_xml_is_a_clear_error_too(docx_members):
    members = dict(docx_members, **{"word/media/image1.png": b"\x89PNG" + b"\0" * 100})
    _refused(zip_by_hand(members, {"word/media/image1.png": {"crc": 1}}), "ua.docx",
             "image1.png is damaged")


DOCTYPE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def test_a_doctype_in_a_utf16_document_is_refused(docx_members):
    xml = docx_members["word/document.xml"].decode("utf-8")
    declaration, rest = xml.split("?>", 1)
    xml = declaration.replace("UTF-8", "UTF-16") + "?>" + DOCTYPE + rest
    assert DOCTYPE in xml
    for encoding, data in (("utf-16", xml.encode("utf-16")),  # with a byte order mark
                           ("utf-16-be", xml.encode("utf-16-be")),  # without one
                           ("utf-32-le", xml.encode("utf-32-le"))):
        members = dict(docx_members, **{"word/document.xml": data})
        _refused(zip_by_hand(members), "ua.docx", "DOCTYPE")


def test_a_doctype_in_a_part_not_named_xml_is_refused(docx_members):
    members = dict(docx_members, **{"customXml/item1.dat": f'<?xml version="1.0"?>{DOCTYPE}<x/>'
                                                          .encode()})
    _refused(zip_by_hand(members), "ua.docx", "DOCTYPE")


def test_a_doctype_behind_a_declared_encoding_is_refused(docx_members):
    xml = f'<?xml version="1.0" encoding="UTF-7"?>{DOCTYPE}<x/>'
    data = xml.encode("utf-7")
    assert b"DOCTYPE" in data  # the bytes show it; a less friendly encoding would hide '<!'
    members = dict(docx_members, **{"word/settings.data": xml.encode("ascii").replace(
        b"<!DOCTYPE", b"+ADwAIQ-DOCTYPE")})
    _refused(zip_by_hand(members), "ua.docx", "DOCTYPE")


def test_an_svg_image_with_its_own_doctype_is_not_refused(docx_members):
    types = docx_members["[Content_Types].xml"].replace(
        b"<Default ", b'<Default Extension="svg" ContentType="image/svg+xml"/><Default ', 1)
    svg = (b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>')
    members = dict(docx_members, **{"[Content_Types].xml": types, "word/media/logo.svg": svg})
    assert "MASS DEPORTATIONS MUST STOP" in read_bytes(zip_by_hand(members), "ua.docx").text


def test_a_web_page_kept_inside_the_document_is_not_refused(docx_members):
    """Word keeps pasted HTML as a text/html part (altChunk); python-docx never parses it."""
    types = docx_members["[Content_Types].xml"].replace(
        b"<Default ", b'<Default Extension="htm" ContentType="text/html"/><Default ', 1)
    members = dict(docx_members, **{"[Content_Types].xml": types,
                                    "word/afchunk.htm": b"<!DOCTYPE html><html><p>x</p></html>"})
    assert "MASS DEPORTATIONS MUST STOP" in read_bytes(zip_by_hand(members), "ua.docx").text


def test_a_doctype_in_a_part_declared_as_xml_under_any_name_is_refused(docx_members):
    types = docx_members["[Content_Types].xml"].replace(
        b"<Default ", b'<Override PartName="/word/header9.bin" ContentType="application/vnd.'
                      b'openxmlformats-officedocument.wordprocessingml.header+xml"/><Default ', 1)
    members = dict(docx_members, **{"[Content_Types].xml": types,
                                    "word/header9.bin": f"{DOCTYPE}<w:hdr/>".encode("utf-16")})
    _refused(zip_by_hand(members), "ua.docx", "DOCTYPE")


# --- PDF: objects written by hand --------------------------------------------------------------


def stream(data: bytes, extra: bytes = b"", length: bytes | None = None) -> bytes:
    size = length if length is not None else str(len(data)).encode()
    return b"<< /Length " + size + extra + b" >>\nstream\n" + data + b"\nendstream"


def pdf_by_hand(objects: dict[int, bytes]) -> bytes:
    out, offsets = b"%PDF-1.7\n", {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += (f"{offsets[number]:010d} 00000 n \n" if number in offsets
                else "0000000000 65535 f \n").encode()
    return out + f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def pages_pdf(contents: bytes, pages: int = 1) -> bytes:
    """``pages`` pages that all draw the one content stream object 4."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", 4: contents}
    for i in range(pages):
        objects[10 + i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                           b" /Resources << /Font << /F1 3 0 R >> >> >>")
    kids = " ".join(f"{10 + i} 0 R" for i in range(pages))
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()
    return pdf_by_hand(objects)


def text_ops(lines: int, words: bytes = b"URGENT ACTION") -> bytes:
    return b"BT /F1 12 Tf 72 700 Td 14 TL\n" + (b"(" + words + b") Tj T*\n") * lines + b"ET"


def test_a_pdf_written_by_hand_imports():
    assert "URGENT ACTION" in read_bytes(pages_pdf(stream(text_ops(3))), "ua.pdf").text


def _encrypted(user: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pages_pdf(stream(text_ops(3))))))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_aes_pdf_with_an_empty_user_password_imports():
    """Such a PDF only restricts printing or copying: it opens, with the 'cryptography'
    dependency pypdf needs for AES."""
    assert "URGENT ACTION" in read_bytes(_encrypted(""), "ua.pdf").text


def test_an_aes_pdf_without_the_crypto_dependency_says_what_is_missing(monkeypatch):
    import pypdf._encryption
    from pypdf._crypt_providers import _fallback

    data = _encrypted("")
    monkeypatch.setattr(pypdf._encryption, "CryptAES", _fallback.CryptAES)  # as without it
    _refused(data, "ua.pdf", "encrypted with AES, which needs the Python package 'cryptography'")


def test_a_password_protected_pdf_says_so():
    error = _refused(_encrypted("secret"), "ua.pdf", "password-protected")
    assert "not a readable PDF" not in str(error)


def test_a_flate_stream_of_one_gigabyte_is_refused_without_inflating_it():
    head = b"BT /F1 12 Tf 72 700 Td (URGENT ACTION) Tj ET\n"
    chunk = b" " * 1_000_000
    co = zlib.compressobj(1, zlib.DEFLATED, -15)
    first = co.compress(head + chunk) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)  # the same bytes every time
    # 1,000 MB of spaces in ~4 MB; the checksum at the end is never reached
    inflates_to_1gb = b"\x78\x01" + first + again * 999 + co.flush() + b"\0\0\0\0"
    assert zlib.decompressobj().decompress(inflates_to_1gb[:100_000], 5_000_000)[:len(head)] == head
    data = pages_pdf(stream(inflates_to_1gb, b" /Filter /FlateDecode"))
    _refused(data, "ua.pdf", "too large to import: a part of it unpacks to more than 20 MB")


def test_a_length_that_refers_to_its_own_stream_is_refused():
    _refused(pages_pdf(stream(text_ops(3), length=b"4 0 R")), "ua.pdf", "refers to itself")


def test_sixty_pages_sharing_one_stream_of_150000_text_operators_are_refused():
    data = pages_pdf(stream(text_ops(75_000)), pages=60)  # 150,000 operators, 60 times
    assert len(data) < 2_000_000
    _refused(data, "ua.pdf", "too large to import: up to page 1 it holds more drawing "
                             "instructions than an Urgent Action ever has")


def test_pages_sharing_a_stream_are_charged_for_each_page():
    data = pages_pdf(stream(text_ops(2_000)), pages=60)  # 44 KB a page
    _refused(data, "ua.pdf", r"up to page 7 it holds more drawing instructions than an Urgent "
                             r"Action ever has \(308 KB; the limit is 300 KB, 80 KB a page\)")


# --- HTML --------------------------------------------------------------------------------------


def test_three_million_nested_elements_are_refused_quickly():
    page = b"<html><body>" + b"<div>" * 3_000_000 + b"URGENT ACTION</body></html>"
    _refused(page, "ua.html", "more than 100,000 elements")


def test_deep_nesting_under_the_element_cap_still_reads():
    page = ("<html><body>" + "<div>" * 20_000 + "<p>URGENT ACTION</p>" + "</div>" * 20_000
            + "</body></html>")
    start = time.monotonic()
    assert "URGENT ACTION" in read_bytes(page.encode(), "ua.html").text
    assert time.monotonic() - start < MAX_SECONDS


def test_reading_pages_stops_when_the_clock_backstop_runs_out(monkeypatch):
    """Within the content caps, a PDF whose pages still read slowly stops between pages."""
    from types import SimpleNamespace

    from appeal.importer import limits

    clock = iter(range(0, 1000, 6))  # each look at the reader's clock: six more seconds
    monkeypatch.setattr(limits, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    data = pages_pdf(stream(text_ops(3)), pages=5)
    _refused(data, "ua.pdf", r"reading its text took longer than 10 seconds \(stopped at page 2\)")
