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
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..errors import AppealError
from ..i18n import _
from .limits import PdfWork, Refusal, check_docx, check_html, open_pdf, pdf_limits

MAX_INPUT = 20_000_000  # bytes of the file itself
MAX_PAGES = 60  # PDF pages read
MAX_CHARS = 2_000_000  # characters of text kept


@dataclass(frozen=True)
class Document:
    """The text of a document and what it was (``docx``, ``pdf``, ``html``, ``txt``)."""

    name: str
    kind: str
    lines: list[str]
    heading: str | None = None  # a web page's own heading (its <h1>), when it has one
    # lines read from outside the body: the page header or footer, a web page's metadata line
    # → where they were ("page footer"), so the review can say where a value came from
    margins: dict[str, str] = field(default_factory=dict)

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

def _check_zip(data: bytes, name: str) -> None:
    _within_limits(check_docx, data, name)


def _within_limits(check, value, name: str) -> None:
    """Run a check of :mod:`.limits`; its refusal becomes this reader's usual error."""
    try:
        check(value)
    except Refusal as exc:
        raise _refuse(name, str(exc)) from None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# run content that is not text of the document: deleted text, field codes, properties
_NOT_TEXT = {_W + t for t in ("del", "delText", "instrText", "rPr", "pPr", "fldChar",
                              "footnoteReference", "endnoteReference", "commentReference")}
_HYPERLINK_FIELD = re.compile(r'HYPERLINK\s+"(mailto:[^"]+|https?://[^"]+)"', re.I)


class _DocxText:
    """The text of WordprocessingML in reading order: paragraphs (soft breaks and tabs kept),
    table cells one after another, text boxes where they stand (once, not again from their
    VML fallback), list items marked "• ", hyperlinks with their mailto:/X address when the
    words shown are not the address."""

    def __init__(self, rels) -> None:
        self.rels = rels
        self.out: list[str] = []

    def target(self, rid: str | None) -> str:
        rel = self.rels.get(rid) if rid else None
        try:
            return rel.target_ref if rel is not None and rel.is_external else ""
        except Exception:  # a broken relationship: no address
            return ""

    def inline(self, el, parts: list[str], boxes: list, fields: list[str], depth: int = 0) -> None:
        if depth > 40:
            return
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT or tag == _MC_FALLBACK:
                if tag == _W + "instrText" and child.text:
                    fields += _HYPERLINK_FIELD.findall(child.text)
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab" or tag == _W + "ptab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            elif tag == _W + "txbxContent":
                boxes.append(child)
            elif tag == _W + "hyperlink":
                inner: list[str] = []
                self.inline(child, inner, boxes, fields, depth + 1)
                parts.append(_link_words("".join(inner), self.target(child.get(_R_ID))))
            else:
                self.inline(child, parts, boxes, fields, depth + 1)

    def paragraph(self, p, depth: int) -> None:
        parts: list[str] = []
        boxes: list = []
        fields: list[str] = []
        self.inline(p, parts, boxes, fields)
        text = "".join(parts)
        for url in fields:  # a hyperlink typed as a field: HYPERLINK "mailto:…"
            text = _link_words(text, url)
        ppr = p.find(_W + "pPr")
        if text.strip() and ppr is not None:
            num = ppr.find(_W + "numPr")
            num_id = num.find(_W + "numId") if num is not None else None
            style = ppr.find(_W + "pStyle")
            listed = num is not None and (num_id is None or num_id.get(_W + "val") != "0")
            if listed or style is not None and re.match(r"List(Bullet|Number)", style.get(_W + "val") or ""):
                text = "• " + text.lstrip()
        self.out.append(text)
        for box in boxes:
            self.out.append("")
            self.blocks(box, depth + 1)
            self.out.append("")

    def blocks(self, el, depth: int = 0) -> None:
        if depth > 8:
            return
        for child in el:
            tag = child.tag
            if tag == _W + "p":
                self.paragraph(child, depth)
            elif tag == _W + "tbl":
                for row in child.iter(_W + "tr"):
                    if row.getparent() is not child:
                        continue
                    for cell in row.findall(_W + "tc"):
                        merge = cell.find(_W + "tcPr/" + _W + "vMerge")
                        if merge is not None and merge.get(_W + "val") != "restart":
                            continue  # the lower part of a vertically merged cell
                        self.out.append("")
                        self.blocks(cell, depth + 1)
                    self.out.append("")
            elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "smartTag"):
                self.blocks(child, depth + 1)


def _link_words(text: str, url: str) -> str:
    """The shown words of a link, or its address when they are not the address."""
    from urllib.parse import unquote

    if not url:
        return text
    if url.lower().startswith("mailto:"):
        address = unquote(url[7:].split("?", 1)[0]).strip()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address) or "@" in text:
            return text
    else:
        m = re.match(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/@?([A-Za-z0-9_]{1,15})/?(?:[?#].*)?$", url)
        if not m or m[1].lower() in ("intent", "share", "home", "search", "hashtag", "i") or "@" in text:
            return text
        address = "@" + m[1]
    words = text.split()
    return address if len(words) <= 3 else f"{text} ({address})"


# a header or footer line worth keeping: the UA number, the index, the date of issue
_RUNNING_ID = re.compile(r"\b[A-Z]{3}\s?\d{1,2}/\d{3,5}/(?:19|20)\d\d\b|\b(?:UA|AU)\s*:?\s*\d{1,4}/\d{2,4}\b|"
                         r"\b(?:date|fecha|issue date|date de publication)\s*:", re.I)


def _docx_lines(data: bytes, name: str, margins: dict[str, str] | None = None) -> list[str]:
    _check_zip(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on broken files
        raise _refuse(name, _("it is not a readable Word document ({error})").format(error=exc))
    reader = _DocxText(document.part.rels)
    reader.blocks(document.element.body)
    out = reader.out
    # the page header and footer often carry the UA number, index and date: kept after the
    # body (never inside the letter), and only what the body does not already say
    body = "\n".join(out)
    extra: list[str] = []
    for rel in list(document.part.rels.values()):
        if rel.is_external or not rel.reltype.endswith(("/header", "/footer")):
            continue
        try:
            part_reader = _DocxText(rel.target_part.rels)
            part_reader.blocks(rel.target_part.element)
        except Exception:  # an unreadable header is no reason to refuse the document
            continue
        for text in part_reader.out:
            for line in text.split("\n"):
                line = " ".join(line.split())
                if line and _RUNNING_ID.search(line) and line not in extra and line not in body \
                        and not _ua_or_index_in(line, body):
                    extra.append(line)
                    if margins is not None:
                        margins.setdefault(line, _("page header") if rel.reltype.endswith("/header")
                                           else _("page footer"))
    return out + ([""] + extra if extra else [])


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


def _pdf_lines(data: bytes, name: str, margins: dict[str, str] | None = None) -> list[str]:
    try:
        with _quiet_pypdf(), pdf_limits():
            return _pdf_lines_quietly(data, name, margins)
    except Refusal as exc:
        raise _refuse(name, str(exc)) from None


def _pdf_lines_quietly(data: bytes, name: str, margins: dict[str, str] | None = None) -> list[str]:
    from pypdf.errors import PdfReadError

    try:
        reader = open_pdf(data)
        pages = []
        work = PdfWork(reader.pages[:MAX_PAGES])
        for number, page in enumerate(reader.pages[:MAX_PAGES], start=1):
            work.check_time(number)
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
    return pdf_pages_to_lines(pages, margins)


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


def pdf_pages_to_lines(pages: list[str], margins: dict[str, str] | None = None) -> list[str]:
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
                top = i in [k for k, l in enumerate(lines) if l][:4]
                if margins is not None:
                    margins.setdefault(" ".join(lines[i].split()),
                                       _("page header") if top else _("page footer"))
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
#
# A page saved from a browser holds the UA between menus, cookie banners, share buttons,
# related-content teasers, forms and a footer with Amnesty's own addresses. The page is parsed
# into a small tree (stdlib parser: no entities from a DTD, no network), the page furniture is
# dropped by tag, ARIA role and class/id words, and the text is read from the part of the page
# that holds the UA (<main>, role=main or <article>; the whole body when there is none).

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr", "keygen"}
_BLOCK = {
    "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "header", "footer", "blockquote", "address", "dd", "dt", "dl", "td", "th", "hr",
    "pre", "figure", "figcaption", "main", "aside", "caption", "tbody", "thead", "tfoot", "center",
}
_BREAK_BEFORE = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "blockquote", "pre"}
# never text of the UA
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "button",
         "nav", "form", "select", "textarea", "input", "canvas", "video", "audio", "dialog",
         "math", "label", "option", "menu", "title"}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
               "alertdialog", "menu", "menubar", "toolbar", "button", "tablist"}
# words in a class or id that mark page furniture: whole words ...
_JUNK_WORDS = {"nav", "navbar", "menu", "menus", "header", "footer", "sidebar", "widget",
               "widgets", "banner", "breadcrumb", "breadcrumbs", "share", "sharing", "social",
               "related", "relacionado", "relacionados", "teaser", "teasers", "promo", "advert",
               "ads", "newsletter", "subscribe", "signup", "donate", "donation", "donativo", "don",
               "dona", "cookie", "cookies", "consent", "gdpr", "popup", "modal", "skip",
               "petition", "tags", "byline", "meta", "toolbar", "pagination", "comments",
               "comment", "masthead", "colophon", "logo", "search", "lang", "language", "languages",
               "push", "btn", "button", "cta"}
# ... or parts of a word ("cookielawinfo", "sharedaddy", "CybotCookiebotDialog", "jp-relatedposts")
_JUNK_PARTS = ("cookie", "consent", "gdpr", "breadcrumb", "newsletter", "sharedaddy", "social",
               "relatedpost", "screen-reader", "sr-only", "visually-hidden", "onetrust",
               "tarteaucitron", "donat")
# text that marks the UA itself: a container holding it is never dropped as furniture
_UA_SIGNS = re.compile(
    r"(?im)^\W*(?:take action|act[uú]en|passez [àa] l.action|agissez|preferred language|"
    r"idioma preferido|langue [àa] privil[ée]gier|additional information|informaci[óo]n adicional|"
    r"compl[ée]ment d.information|informations compl[ée]mentaires|please send appeals|"
    r"please write immediately|env[ií]en llamamientos|urgent action|acci[óo]n urgente|"
    r"action urgente)|\b(?:UA|AU)\s*:?\s*\d{1,4}/\d{2,4}\b")
_ID_LINE = re.compile(r"\b[A-Z]{3}\s?\d{1,2}/\d{3,5}/(?:19|20)\d\d\b|\b(?:UA|AU)\s*:?\s*\d{1,4}/\d{2,4}\b")
_MAX_DEPTH = 300


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent", "signs", "h1")

    def __init__(self, tag: str, attrs: dict, parent: "_Node | None"):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent
        self.signs, self.h1 = 0, False

    def iter(self):
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, _Node)]))


class _TreeBuilder(HTMLParser):
    """A forgiving tree: void elements, unclosed <p>/<li>/<td>, stray end tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#document", {}, None)
        self.stack = [self.root]

    def _close_to(self, tags: set[str], boundary: set[str]) -> None:
        for k in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[k].tag
            if tag in tags:
                del self.stack[k:]
                return
            if tag in boundary:
                return

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag == "li":
            self._close_to({"li"}, {"ul", "ol", "menu"})
        elif tag in ("td", "th"):
            self._close_to({"td", "th"}, {"tr", "table"})
        elif tag == "tr":
            self._close_to({"tr"}, {"table", "tbody", "thead", "tfoot"})
        elif tag in ("dt", "dd"):
            self._close_to({"dt", "dd"}, {"dl"})
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


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


def _count_signs(root: _Node) -> None:
    """For every element: how many marks of the UA its text holds, and whether it holds an
    <h1>; in one pass from the leaves up (a page may nest hundreds of elements)."""
    order = [n for n in root.iter() if n.tag not in _SKIP]
    for node in reversed(order):
        node.signs = sum(len(_UA_SIGNS.findall(c)) for c in node.children if isinstance(c, str))
        node.h1 = node.tag == "h1"
        for child in node.children:
            if isinstance(child, _Node) and child.tag not in _SKIP:
                node.signs += child.signs
                node.h1 = node.h1 or child.h1


def _holds_ua(node: _Node) -> bool:
    """The element contains the page's heading or the UA itself."""
    return node.h1 or node.signs >= 2


def _is_furniture(node: _Node) -> bool:
    a = node.attrs
    if node.tag in ("header", "footer", "aside") or a.get("role", "").lower() in _DROP_ROLES:
        return not (node.tag == "header" and node.h1)
    hidden = "hidden" in a or a.get("aria-hidden", "").lower() == "true" or re.search(
        r"display\s*:\s*none|visibility\s*:\s*hidden", a.get("style", ""), re.I)
    names = " ".join((a.get("class", ""), a.get("id", ""), a.get("aria-label", ""))).lower()
    words = set(re.split(r"[\W_]+", names))
    junk = hidden or words & _JUNK_WORDS or any(p in names for p in _JUNK_PARTS)
    return bool(junk) and not _holds_ua(node)


def _prune(node: _Node, dropped: list[_Node]) -> None:
    """Remove page furniture under ``node``; the removed elements go to ``dropped``."""
    kept = []
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag in _SKIP:
                continue
            if _is_furniture(child):
                dropped.append(child)
                continue
            _prune(child, dropped)
        kept.append(child)
    node.children = kept


def _link_text(node: _Node, text: str) -> str:
    """A mailto: or X/Twitter link whose words are not the address: the address is the point."""
    return _link_words(text, node.attrs.get("href", "").strip())


def _render(node: _Node, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            parts.append(child.replace("\n", " ").replace("\r", " "))
            continue
        tag, a = child.tag, child.attrs
        encoded = a.get("data-cfemail")
        href = a.get("href", "")
        if not encoded and "/cdn-cgi/l/email-protection#" in href:
            encoded = href.rsplit("#", 1)[1]
        if encoded:
            email = decode_cfemail(encoded)
            if email:
                parts.append(email)
                continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _BLOCK:
            parts.append("\n\n" if tag in _BREAK_BEFORE else "\n")
        if tag == "li":
            parts.append("• ")
        if tag == "a" and href:
            inner: list[str] = []
            _render(child, inner)
            parts.append(_link_text(child, "".join(inner)))
        else:
            _render(child, parts)
        if tag in _BLOCK and tag not in ("td", "th"):
            parts.append("\n")  # table cells: one line each, a row stays one block
        elif tag in ("td", "th"):
            parts.append(" ")


def _text_of(node: _Node) -> str:
    parts: list[str] = []
    _render(node, parts)
    return "".join(parts)


@dataclass
class _Page:
    lines: list[str]
    heading: str | None
    margins: dict[str, str] = field(default_factory=dict)


def _main_part(body: _Node) -> _Node:
    """The smallest <main>/role=main/<article> that holds as much of the UA as any; the body
    when none of them holds the UA."""
    _count_signs(body)  # again: the furniture is gone now
    best_score = body.signs
    candidates = [n for n in body.iter() if n is not body and (
        n.tag in ("main", "article") or n.attrs.get("role", "").lower() == "main"
        or n.attrs.get("itemprop", "").lower() == "articlebody")]
    scored = [(n.signs, n) for n in candidates]
    # a side column listing other UAs may add marks outside <main>: half of the page's is enough
    good = [(s, n) for s, n in scored if s >= 2 and 2 * s >= best_score]
    if not good:
        return body
    top = max(s for s, _n in good)
    # candidates come in document order, parents first: the last of the best is the innermost
    return [n for s, n in good if s == top][-1]


def html_page(text: str) -> _Page:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    body = next((n for n in builder.root.iter() if n.tag == "body"), builder.root)
    _count_signs(body)
    dropped: list[_Node] = []
    _prune(body, dropped)
    part = _main_part(body)
    # the page's heading: in the part that holds the UA, or just above it
    h1 = next((n for n in part.iter() if n.tag == "h1"), None) or next(
        (n for n in body.iter() if n.tag == "h1"), None)
    heading = " ".join(_text_of(h1).split()) if h1 is not None else None
    text = _text_of(part)
    lines = text.split("\n")
    if heading and heading not in " ".join(text.split()):
        lines = [heading, ""] + lines
    # the UA number or index printed only in the page's header, footer or metadata line (not
    # in teasers of other UAs: those sit in side columns and related-content boxes)
    if not _ID_LINE.search(text):
        found: list[str] = []
        where: dict[str, str] = {}
        for node in dropped:
            names = set(re.split(r"[\W_]+", (node.attrs.get("class", "") + " " + node.attrs.get("id", "")).lower()))
            if node.tag not in ("header", "footer") and "meta" not in names:
                continue
            for line in _text_of(node).split("\n"):
                line = " ".join(line.split())
                if _ID_LINE.search(line) and len(line) < 160 and line not in found:
                    found.append(line)
                    where[line] = (_("page header") if node.tag == "header" else _("page footer")
                                   if node.tag == "footer" else _("page metadata"))
        numbers = {m.group(0) for line in found for m in _ID_LINE.finditer(line)}
        if found and len({re.sub(r"\D", "", n) for n in numbers if "/" in n and n.count("/") == 1}) <= 1:
            lines += [""] + found
            return _Page(lines, heading, {line: where[line] for line in found})
    return _Page(lines, heading)


def html_lines(text: str) -> list[str]:
    return html_page(text).lines


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
    heading = None
    margins: dict[str, str] = {}
    if kind == "unsupported":
        raise _refuse(name, _("this format is not supported"))
    if kind == "docx":
        raw = _docx_lines(data, name, margins)
    elif kind == "pdf":
        raw = _pdf_lines(data, name, margins)
    elif kind == "html":
        text = decode(data, name)
        _within_limits(check_html, text, name)
        page = html_page(text)
        raw, heading, margins = page.lines, page.heading, page.margins
    else:
        text = decode(data, name)
        if "\x00" in text[:1000]:
            raise _refuse(name, _("it looks like a binary file, not text"))
        raw = text.split("\n")
    lines = normalise("\n".join(raw))
    if heading:
        heading = " ".join(normalise(heading)).strip() or None
    margins = {" ".join(normalise(k)).strip(): v for k, v in margins.items()}
    return Document(name=name, kind=kind, lines=lines, heading=heading,
                    margins={k: v for k, v in margins.items() if k})


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
