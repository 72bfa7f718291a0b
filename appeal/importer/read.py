"""Untrusted document → plain text lines, safely.

A UA arrives as a DOCX, a PDF, a web page saved as HTML or pasted text. Every reader here
treats the file as hostile: sizes are capped before anything is decompressed, XML with a
DOCTYPE (the door to XXE and entity bombs) is refused before python-docx sees it, HTML is
parsed with the stdlib parser (no entity resolution, no network), and nothing is ever
evaluated. The result is just text: one string per line, blank lines kept as paragraph breaks.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import AppealError
from ..i18n import _

MAX_INPUT = 20_000_000  # bytes of the file itself
MAX_MEMBER = 30_000_000  # uncompressed bytes of one DOCX zip member
MAX_TOTAL = 60_000_000  # uncompressed bytes of all DOCX members
MAX_RATIO = 200  # uncompressed / compressed of one member (zip bombs compress ~1000:1)
MAX_PAGES = 60  # PDF pages read
MAX_CHARS = 2_000_000  # characters of text kept


@dataclass(frozen=True)
class Document:
    """The text of a document and what it was (``docx``, ``pdf``, ``html``, ``txt``)."""

    name: str
    kind: str
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _refuse(name: str, why: str) -> AppealError:
    return AppealError(
        _("{name}: cannot import this file: {why}").format(name=name, why=why),
        _("Save the Urgent Action as DOCX, PDF, HTML or plain text and try again."),
    )


# --- text -------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200e\u200f\ufeff\u00ad\u2060"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      r"\u202a-\u202e\u2066-\u2069]")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def normalise(text: str) -> list[str]:
    """NFC, one kind of newline and space, no controls or bidi overrides, no Word artefacts."""
    text = text[:MAX_CHARS]
    for old in ("\r\n", "\r", "\x0b", "\x0c", "\u2028", "\u2029", "\x85"):
        text = text.replace(old, "\n")
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    text = _BOOKMARK.sub("", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; else Windows-1252, as Word saves it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- DOCX -------------------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse(name, _("it is not a valid DOCX (zip) file"))
    with archive:
        infos = archive.infolist()
        if len(infos) > 2000:
            raise _refuse(name, _("it has too many parts"))
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER or total > MAX_TOTAL or (
                info.file_size > 1_000_000 and ratio > MAX_RATIO
            ):
                raise _refuse(name, _("a part of it is too large when unpacked (zip bomb?)"))
        if "word/document.xml" not in archive.namelist():
            raise _refuse(name, _("it is not a Word document (no word/document.xml)"))
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as fh:
                    head = fh.read(MAX_MEMBER + 1)
                if len(head) > MAX_MEMBER:
                    raise _refuse(name, _("a part of it is too large when unpacked (zip bomb?)"))
                if _DOCTYPE.search(head):
                    raise _refuse(
                        name, _("it contains XML entity declarations (a DOCTYPE), which Word never writes")
                    )


def _docx_lines(data: bytes, name: str) -> list[str]:
    _check_zip(data, name)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on broken files
        raise _refuse(name, _("it is not a readable Word document ({error})").format(error=exc))
    out: list[str] = []

    def walk(parent, depth: int = 0) -> None:
        for child in parent.iter_inner_content():
            if isinstance(child, Paragraph):
                out.append(child.text)
            elif isinstance(child, Table) and depth < 5:
                for row in child.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # merged cells repeat
                            continue
                        seen.add(id(cell._tc))
                        out.append("")
                        walk(cell, depth + 1)
                    out.append("")

    walk(document)
    # text boxes hold target blocks in some layouts: read those too, once
    body = document.element.body
    for box in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}txbxContent"):
        out.append("")
        for p in box.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
            out.append(Paragraph(p, document).text)
    return out


# --- PDF --------------------------------------------------------------------------------------


@contextmanager
def _quiet_pypdf():
    """pypdf logs its repairs of a broken file ("EOF marker not found") to stderr, where
    they would precede appeal's own message; a user can do nothing with them."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _pdf_lines(data: bytes, name: str) -> list[str]:
    with _quiet_pypdf():
        return _pdf_lines_quietly(data, name)


def _pdf_lines_quietly(data: bytes, name: str) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise _refuse(name, _("the PDF is password-protected"))
        pages = []
        for page in reader.pages[:MAX_PAGES]:
            try:
                # layout mode keeps the vertical gaps between blocks as blank lines
                text = page.extract_text(extraction_mode="layout")
            except Exception:  # pypdf's layout mode fails on some fonts; plain text then
                text = page.extract_text()
            pages.append(text or "")
    except AppealError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _refuse(name, _("it is not a readable PDF ({error})").format(error=exc))
    if not "".join(pages).strip():
        raise _refuse(name, _("the PDF has no text layer (a scan?); run it through OCR first"))
    return pdf_pages_to_lines(pages)


# "Page 2 of 3", "Página 2 de 3", "Page 2 sur 3", "2/3", "- 2 -", a bare page number
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p[aá]gina|p\.)\s*\d{1,3}(?:\s*(?:of|de|sur|/)\s*\d{1,3})?|\d{1,3}\s*/\s*\d{1,3}|"
    r"[-–]?\s*\d{1,3}\s*[-–]?)$", re.I)
_COLUMN_GAP = re.compile(r"\S(?: {6,}|\t+)(?=\S)")
_HYPHEN_END = re.compile(r"(?<=[^\W\d_])[-\u00ad\u2010]$")


def _columns(line: str) -> list[str]:
    """Side-by-side text (a header block in two columns) → one line per column."""
    pieces, start = [], 0
    for m in _COLUMN_GAP.finditer(line):
        pieces.append(line[start : m.start() + 1])
        start = m.end()
    pieces.append(line[start:])
    return [p.strip() for p in pieces]


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def pdf_pages_to_lines(pages: list[str]) -> list[str]:
    """The pages of a PDF → one text: running headers and footers removed (lines that repeat
    at the top or bottom of the pages, page numbers), pages joined without a break (a target
    block may go on over the page), and words hyphenated at a line end joined again."""
    split_pages = []
    for text in pages:
        lines: list[str] = []
        for raw in text.split("\n"):
            for piece in _columns(raw.rstrip()):
                if piece or (lines and lines[-1]):
                    lines.append(piece)
        while lines and not lines[-1]:
            lines.pop()
        split_pages.append(lines)

    def edges(lines: list[str]) -> list[int]:
        filled = [i for i, l in enumerate(lines) if l]
        return filled[:4] + filled[-4:]

    counts: dict[str, int] = {}
    for lines in split_pages:
        for key in {_running_key(lines[i]) for i in edges(lines)}:
            counts[key] = counts.get(key, 0) + 1
    many = max(2, (len(split_pages) + 1) // 2)
    running = {k for k, n in counts.items() if n >= many} if len(split_pages) > 1 else set()
    kept_ids: list[str] = []  # a UA number or index only in the running header is kept once
    out: list[str | None] = []
    for lines in split_pages:
        drop = set()
        for i in edges(lines):
            if _running_key(lines[i]) in running or _PAGE_NUMBER.match(lines[i]):
                drop.add(i)
        for i in sorted(drop):
            if re.search(r"\b(?:UA|AU|Index|[IÍ]ndice)\b", lines[i]) and lines[i] not in kept_ids:
                kept_ids.append(lines[i])
        page = [l for i, l in enumerate(lines) if i not in drop]
        while page and not page[0]:
            page.pop(0)
        while page and not page[-1]:
            page.pop()
        out += page
    body = "\n".join(out)
    missing_ids = [l for l in kept_ids if l not in out and not _ua_or_index_in(l, body)]
    out = missing_ids + ([""] if missing_ids else []) + out
    # "individ-" + "ualized" → "individualized": only before a lower-case continuation
    for i in range(len(out) - 1):
        if out[i] is None or not _HYPHEN_END.search(out[i]):
            continue
        j = i + 1
        while j < len(out) - 1 and out[j] == "":
            j += 1  # a page break may leave a blank line in between
        if j - i > 2 or not (out[j] or "")[:1].islower():
            continue
        first, _sep, rest = out[j].partition(" ")
        out[i] = out[i][:-1] + first
        out[j] = rest if rest else None
        if j > i + 1 and out[j] is None:
            out[i + 1 : j] = [None] * (j - i - 1)
    return [l for l in out if l is not None]


def _ua_or_index_in(line: str, body: str) -> bool:
    """True when the body already has the index number / UA number this line carries."""
    for m in re.finditer(r"[A-Z]{3}\s?\d{1,2}/\d{3,5}/\d{4}|\b\d{1,4}/\d{2,4}\b", line):
        if m.group(0) in body:
            return True
    return False


# --- HTML -------------------------------------------------------------------------------------

_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "blockquote", "address", "dd", "dt", "td", "th",
    "hr", "pre", "figure", "main", "aside",
}
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "button",
         "nav", "form", "select"}


def decode_cfemail(hexstring: str) -> str | None:
    """Cloudflare's e-mail protection XORs the address with its first byte; undo it."""
    try:
        raw = bytes.fromhex(hexstring)
    except ValueError:
        return None
    if len(raw) < 2:
        return None
    email = bytes(b ^ raw[0] for b in raw[1:]).decode("utf-8", errors="replace")
    return email if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) else None


class _TextParser(HTMLParser):
    """Visible text of a page with line breaks at block elements; no entities from a DTD."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.cf_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if tag in _BLOCK:
            self.parts.append("\n\n" if tag in ("p", "h1", "h2", "h3", "h4", "table", "tr") else "\n")
        attributes = dict(attrs)
        encoded = attributes.get("data-cfemail")
        href = attributes.get("href") or ""
        if not encoded and "/cdn-cgi/l/email-protection#" in href:
            encoded = href.rsplit("#", 1)[1]
        if encoded and not self.skip:
            email = decode_cfemail(encoded)
            if email:
                self.parts.append(email)
                self.cf_depth = 1 if tag in ("a", "span") else 0

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK and tag not in ("td", "th"):
            self.parts.append("\n")  # table cells: one line each, a row stays one block
        if self.cf_depth and tag in ("a", "span"):
            self.cf_depth = 0

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.skip:
            return
        if self.cf_depth and "email" in data and "protected" in data:
            return  # the placeholder text of an address decoded above
        self.parts.append(data.replace("\n", " "))


def html_lines(text: str) -> list[str]:
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts).split("\n")


# --- entry ------------------------------------------------------------------------------------


def _kind(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if suffix in (".htm", ".html", ".xhtml"):
        return "html"
    head = data[:2000].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if suffix in (".doc", ".odt", ".rtf", ".pages"):
        return "unsupported"
    return "txt"


def read_bytes(data: bytes, name: str) -> Document:
    """Turn the bytes of a document into normalised lines (see module docstring)."""
    if len(data) > MAX_INPUT:
        raise _refuse(name, _("it is larger than {mb} MB").format(mb=MAX_INPUT // 1_000_000))
    kind = _kind(name, data)
    if kind == "unsupported":
        raise _refuse(name, _("this format is not supported"))
    if kind == "docx":
        raw = _docx_lines(data, name)
    elif kind == "pdf":
        raw = _pdf_lines(data, name)
    elif kind == "html":
        raw = html_lines(decode(data, name))
    else:
        text = decode(data, name)
        if "\x00" in text[:1000]:
            raise _refuse(name, _("it looks like a binary file, not text"))
        raw = text.split("\n")
    lines = normalise("\n".join(raw))
    return Document(name=name, kind=kind, lines=lines)


def read_source(source: str | Path, stdin=None) -> Document:
    """``-`` reads standard input; anything else is a path to a file."""
    if str(source) == "-":
        stream = stdin if stdin is not None else sys.stdin
        buffer = getattr(stream, "buffer", None)
        data = buffer.read(MAX_INPUT + 1) if buffer is not None else stream.read(MAX_INPUT + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        return read_bytes(data, _("(standard input)"))
    path = Path(source)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_INPUT + 1)
    except OSError as exc:
        raise AppealError(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc),
            _("Check the file name and try again."),
        )
    return read_bytes(data, path.name)
