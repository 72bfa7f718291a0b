"""Limits on reading an untrusted document: every broken or oversized file gets a clear
error, in bounded time and memory.

The readers in :mod:`.read` turn a document into text; this module decides *before* they work
whether the file can be read at all: a DOCX whose zip members are damaged, encrypted or
compressed in a way Python cannot undo, or whose XML declares entities in any part or any
encoding; a PDF that is encrypted, decompresses into more than a letter could hold, or asks
for more text-extraction work than any Urgent Action needs; a web page with more elements than
any real page. Each failure is a :class:`Refusal` with a translated reason, which the reader
turns into its usual "cannot import this file" error.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
import zlib
from contextlib import contextmanager, nullcontext

from ..i18n import _, current_language

MAX_MEMBER = 30_000_000  # uncompressed bytes of one DOCX zip member
MAX_TOTAL = 60_000_000  # uncompressed bytes of all DOCX members
MAX_RATIO = 200  # uncompressed / compressed of one member (zip bombs compress ~1000:1)
MAX_PARTS = 2000  # zip members of a DOCX
MAX_STREAM = 20_000_000  # bytes one PDF stream may decompress to
# bytes of page content (drawing instructions): pypdf reads ~100 KB a second, faster or slower
# with how the text is drawn; a page of a UA has 4–40 KB
MAX_PDF_PAGE = 80_000
MAX_PDF_CONTENT = 300_000  # over all pages read; shared content counts once per page
MAX_PDF_SECONDS = 10.0  # a backstop: reading a PDF's pages stops after this long
MAX_HTML_ELEMENTS = 100_000  # tags of a web page (a long real page has a few thousand)


def count(n: int) -> str:
    """A number as the interface language writes it (100,000 / 100.000)."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale=current_language())


class Refusal(Exception):
    """The file cannot be read; ``str(exc)`` is the translated reason."""


# --- DOCX -------------------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DOCTYPE_TEXT = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"))
# XML 1.0 appendix F: the encoding of a document without a byte order mark, from its first bytes
_HEADS = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
          (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
          (b"\x4c\x6f\xa7\x94", "cp500"))
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})""")


def _as_text(data: bytes) -> str | None:
    """The text of an XML part as a parser would decode it (byte order mark, first bytes, or
    the declared encoding), or ``None`` when it is in plain ASCII-compatible bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    for head, encoding in _HEADS:
        if data.startswith(head):
            return data.decode(encoding, errors="replace")
    declared = _DECLARED.match(data)
    if declared:
        try:
            return data.decode(declared[1].decode("ascii"), errors="replace")
        except LookupError:
            raise Refusal(_("a part of it declares an unknown text encoding ({encoding})")
                          .format(encoding=declared[1].decode("ascii")))
    return None


def declares_entities(data: bytes) -> bool:
    """A DOCTYPE or ENTITY declaration, whatever the part's encoding: in its own bytes, in its
    bytes with the zero bytes of UTF-16/UTF-32 removed, and in its text as a parser decodes it."""
    if _DOCTYPE.search(data) or (b"\x00" in data and _DOCTYPE.search(data.replace(b"\x00", b""))):
        return True
    text = _as_text(data)
    return text is not None and bool(_DOCTYPE_TEXT.search(text))


def _unparsed_parts(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The members python-docx never parses as XML, by the content type [Content_Types].xml
    gives them (not by their name): images (an SVG may carry a DOCTYPE of its own) and
    non-XML parts (a web page pasted into Word is kept as an HTML part with ``<!DOCTYPE
    html>``). Every other part, and every relationships part, is checked."""
    if "[Content_Types].xml" not in names:
        return set()
    from lxml import etree

    data = archive.read("[Content_Types].xml")
    if declares_entities(data):
        raise Refusal(_("it contains XML entity declarations (a DOCTYPE), which Word never writes"))
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return set()
    defaults, overrides = {}, {}
    for el in root:
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if tag == "Default":
            defaults[(el.get("Extension") or "").lower()] = (el.get("ContentType") or "").lower()
        elif tag == "Override":
            part = (el.get("PartName") or "").lstrip("/")
            overrides[part] = (el.get("ContentType") or "").lower()
    unparsed = set()
    for name in names:
        kind = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        if kind and (kind.startswith("image/") or "xml" not in kind) and not name.endswith(".rels"):
            unparsed.add(name)
    return unparsed


def check_docx(data: bytes) -> None:
    """Refuse a DOCX that cannot be unpacked safely and completely: too many or too large
    parts, damaged data (bad CRC, corrupt deflate, cut short), encrypted parts, compression
    methods Python cannot undo, no document part, or entity declarations in any part."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise Refusal(_("it is not a valid DOCX (zip) file"))
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise Refusal(_("it has too many parts"))
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER or total > MAX_TOTAL or (
                info.file_size > 1_000_000 and ratio > MAX_RATIO
            ):
                raise Refusal(_("a part of it is too large when unpacked (zip bomb?)"))
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            raise Refusal(_("it is not a Word document (no word/document.xml)"))
        unparsed = _unparsed_parts(archive, names)
        for info in infos:
            content = _read_member(archive, info)
            if info.filename not in unparsed and declares_entities(content):
                raise Refusal(
                    _("it contains XML entity declarations (a DOCTYPE), which Word never writes"))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member, whole and checked (its CRC is verified at the end), or a clear refusal."""
    part = info.filename
    if info.flag_bits & 0x1:
        raise Refusal(_("the part {part} is encrypted (a password-protected document?)")
                      .format(part=part))
    try:
        with archive.open(info) as fh:
            content = fh.read(MAX_MEMBER + 1)
    except NotImplementedError:
        raise Refusal(_("the part {part} is compressed with a method that cannot be read "
                        "(method {method})").format(part=part, method=info.compress_type))
    except RuntimeError:  # zipfile says "encrypted, password required"
        raise Refusal(_("the part {part} is encrypted (a password-protected document?)")
                      .format(part=part))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise Refusal(_("the part {part} is damaged ({error}); the file may be cut short or "
                        "corrupted").format(part=part, error=exc))
    if len(content) > MAX_MEMBER:
        raise Refusal(_("a part of it is too large when unpacked (zip bomb?)"))
    return content


# --- PDF --------------------------------------------------------------------------------------


def _pypdf_limits():
    """pypdf's own caps (pypdf ≥ 7) lowered to what a letter needs: a 1 GB flate stream stops
    after :data:`MAX_STREAM` bytes instead of filling memory."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # older pypdf: its built-in caps (75 MB) still apply
        return nullcontext()
    return apply_configuration(
        zlib_maximum_output_length=MAX_STREAM, lzw_maximum_output_length=MAX_STREAM,
        run_length_maximum_output_length=MAX_STREAM,
        array_based_stream_maximum_output_length=MAX_STREAM,
        maximum_declared_stream_length=MAX_STREAM,
    )


def pdf_error(exc: BaseException) -> Refusal | None:
    """A clear refusal for what pypdf raised on a hostile PDF, or ``None`` for the ordinary
    "not a readable PDF" case."""
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    if isinstance(exc, Refusal):
        return exc
    if isinstance(exc, DependencyError):
        return Refusal(_("the PDF is encrypted with AES, which needs the Python package "
                         "'cryptography' (pip install cryptography)"))
    if isinstance(exc, FileNotDecryptedError):
        return Refusal(_("the PDF is password-protected"))
    if isinstance(exc, LimitReachedError) and re.search(r"self.reference|loop", str(exc), re.I):
        return Refusal(_("the PDF is damaged: an object refers to itself"))
    if isinstance(exc, (LimitReachedError, MemoryError)):
        return Refusal(_("the PDF is too large to import: a part of it unpacks to more than "
                         "{mb} MB").format(mb=MAX_STREAM // 1_000_000))
    if isinstance(exc, RecursionError):
        return Refusal(_("the PDF is damaged: an object refers to itself"))
    return None


@contextmanager
def pdf_limits():
    """Inside: pypdf's caps lowered; a hostile PDF's exceptions become clear refusals."""
    with _pypdf_limits():
        try:
            yield
        except Refusal:
            raise
        except Exception as exc:
            refusal = pdf_error(exc)
            if refusal is None:
                raise
            raise refusal from None


def open_pdf(data: bytes):
    """A :class:`pypdf.PdfReader`, decrypted when it opens with an empty password (a PDF
    that only restricts printing or copying); a password-protected one is refused."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:
            raise pdf_error(exc) or Refusal(_("the PDF is password-protected"))
        if not opened:
            raise Refusal(_("the PDF is password-protected"))
    return reader


class PdfWork:
    """The text-extraction work of one import, counted before any page is read: a page's
    content (its drawing instructions) is charged every time it is read, so sixty pages
    sharing one huge content stream cost sixty times its size. A clock stops the reading
    between pages as a backstop."""

    def __init__(self, pages) -> None:
        self.started = time.monotonic()
        total = 0
        for number, page in enumerate(pages, start=1):
            size = self._content_size(page)
            total += size
            if size > MAX_PDF_PAGE or total > MAX_PDF_CONTENT:
                raise Refusal(
                    _("the PDF is too large to import: up to page {page} it holds more drawing "
                      "instructions than an Urgent Action ever has ({kb} KB; the limit is {limit} "
                      "KB, {page_limit} KB a page)").format(
                        page=number, kb=count(total // 1000), limit=MAX_PDF_CONTENT // 1000,
                        page_limit=MAX_PDF_PAGE // 1000))

    @staticmethod
    def _content_size(page) -> int:
        try:
            contents = page.get_contents()
            return len(contents.get_data()) if contents is not None else 0
        except Exception as exc:
            refusal = pdf_error(exc)
            if refusal is not None:
                raise refusal from None
            return 0  # pypdf will say what is wrong when it reads the page

    def check_time(self, number: int) -> None:
        if time.monotonic() - self.started > MAX_PDF_SECONDS:
            raise Refusal(_("the PDF is too large to import: reading its text took longer than "
                            "{seconds} seconds (stopped at page {page})")
                          .format(seconds=int(MAX_PDF_SECONDS), page=number))


# --- HTML -------------------------------------------------------------------------------------

_TAG = re.compile(r"<[A-Za-z]")


def check_html(text: str) -> None:
    """Refuse a page with more elements than any real page, before it is parsed (the parser's
    tree is also capped in depth)."""
    for seen, _m in enumerate(_TAG.finditer(text), start=1):
        if seen > MAX_HTML_ELEMENTS:
            raise Refusal(_("the web page has more than {n} elements; save only the Urgent "
                            "Action's page, or copy its text").format(n=count(MAX_HTML_ELEMENTS)))
