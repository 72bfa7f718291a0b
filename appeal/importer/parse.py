"""Text lines of a UA → an :class:`Extraction`: every field with the text it came from.

Urgent Actions come in two layouts (the current one: "TAKE ACTION", target blocks, a "Dear…"
sample letter, "PREFERRED LANGUAGE TO ADDRESS TARGET", "…UNTIL: [date]"; the older one:
"PLEASE WRITE IMMEDIATELY in …", "PLEASE SEND APPEALS BEFORE <date> TO:", blocks with
"Salutation:", "And copies to:") and three languages. The parser finds sections by their
headings, then reads each section. It never fills a gap: a field without a source is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import AppealError
from ..i18n import _
from .blocks import (Block, Value, gender_of, matches_opening, parse_block, salutation_language,
                     split_labels)
from .lexicon import (countries_in, country_code, detect_language, fold, language_codes_in, parse_date,
                      section_match, section_patterns)
from .read import Document


@dataclass
class Found:
    """One extracted value with the document text it was read from."""

    value: Any
    source: str
    note: str | None = None
    origin: str | None = None  # "page footer": read from outside the body of the document


@dataclass
class SampleLetter:
    lang: str
    paragraphs: list[str]
    opening: str | None
    closing: str | None
    source: str
    from_points: bool = False  # built from the older layout's bullet points, not a letter
    placeholders: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    lang: str
    fields: dict[str, Found] = field(default_factory=dict)
    targets: list[Block] = field(default_factory=list)
    copies: list[Block] = field(default_factory=list)
    letter: SampleLetter | None = None
    notes: list[str] = field(default_factory=list)
    shape: list[str] = field(default_factory=list)  # why this looks like a UA, for the review

    def get(self, name: str) -> Any:
        found = self.fields.get(name)
        return found.value if found else None


# --- headings (matched on folded text: lower case, no accents) --------------------------------

H = {
    "header": r"^(urgent action|accion urgente|action urgente)\b",
    "take_action": r"^(take action|actuen|actua|actuar|agissez|passez a l'action|agir)\b\s*(now|ya|maintenant)?\s*[:!.]?",
    "write": r"^(please write immediately|write immediately|dans les appels que vous ferez parvenir|escriban inmediatamente|escriba inmediatamente|merci d'ecrire immediatement|ecrivez immediatement|veuillez ecrire immediatement)",
    "send": r"^(please send appeals|send appeals|envien (sus )?llamamientos|merci d'envoyer (vos )?appels|envoyez (vos )?appels)(?!.*(as soon|lo antes|le plus rapidement)).*\b(to|a|aux?)\s*:?\s*$",
    "copies": r"^((and|y|et)\s+)?(with\s+|con\s+|send\s+|envoyez\s+|envie\s+|envien\s+)?((a|une|una)\s+)?(copies|copy|copias?|copies?)\s+(to|a|aux?)\b",
    # "Adressez vos appels à :", "Send your appeals to:": the officials follow
    "address_to": r"^(adressez|envoyez|ecrivez|send|write|address|envia|envie|envien|dirige|dirija|dirijan|escribe|escriba|escriban)"
                  r"\b[^.:]{0,40}\b(a|aux|to)\s*[:：]\s*$",
    # "Modelo de carta", "Modèle de lettre", "Model letter": the sample letter follows
    "model": r"^(modelo de carta|carta modelo|modele de lettre|lettre[- ]type|lettre modele|model letter|sample letter)\s*[:：]?\s*$",
    "also": r"^(also send copies|envien tambien copias|envoyez egalement des copies|please insert local|please check with|consulten con|veuillez verifier|verifiez aupres)",
    "additional": r"^(additional information|background information|informacion adicional|informaciones? complementari|informations? complementaires?|complement d'information|contexte)\b",
    "preferred": r"^(preferred languages?|idiomas?\s+(preferid|preferent)|lenguas?\s+preferid|langues?(?:\(s\))?\s+(a privilegier|preferee|de preference|privilegiee))",
    "deadline": r"(take action as soon as possible until|as soon as possible until|please send appeals before|send appeals before|lo antes posible y (no mas tarde del|antes del|hasta)|actuen antes del|envien llamamientos antes del|antes del|merci d'agir .{0,40}(avant le|jusqu'au)|avant le|jusqu'au|until|before|hasta el)\b",
    "name": r"^(names? and pronouns?|names?|nombres? y (pronombres?|generos?( gramaticales?)?( preferidos?)?)|nombres?|noms? et pronoms?|noms?( et genre)?|prenoms?)\s*(\(.*?\))?\s*:",
    "name_loose": r"^(names? and pronouns?|nombres? y (pronombres?|generos?)|noms? et pronoms?)\b",
    "previous": r"^(link to previous ua|enlace a la au anterior|lien vers l'au precedente|first ua|further information)",
}
HRE = {k: re.compile(v) for k, v in H.items()}
OWN_LANGUAGE = re.compile(r"(your own language|own language|su propio idioma|su propia lengua|"
                          r"votre propre langue|votre langue)")
UA_NUMBER = re.compile(
    r"\b(?:UA|AU|Urgent Action|Acci[oó]n Urgente|Action Urgente|Further information on UA)"
    r"(?:\s+(?:update|actualizaci[oó]n|mise [àa] jour)(?:\s+on)?)?"
    r"\s*(?:No\.?|N[º°o]\.?|number|n[uú]m(?:ero|\.)?)?\s*[:#]?\s*(?P<n>\d{1,4})\s*[./]\s*(?P<y>\d{2,4})\b(?![./]\d)",
    re.I,
)
DATE_LABEL = re.compile(r"\b(?:issue date|date of issue|fecha de (?:emision|publicacion)|fecha|"
                        r"date de (?:publication|diffusion|parution)|date)\s*:", re.I)
INDEX = re.compile(r"\b(?:index|[ií]ndice)(?:\s+(?:number|no\.?|n[uú]mero|n[º°o]))?\s*:?\s*[a-z]{3}\s*\d{1,3}\s*/\s*\d{3,5}\s*/\s*\d{4}\s*(?P<rest>.*)$", re.I)
OPENING = re.compile(
    r"^(dear|your excellency|your (?:royal )?(?:majesty|highness)|to whom|honou?rable|"
    r"su majestad|su alteza|majestad|votre majeste|sire|"
    r"senor|senora|senores|sr\.|sra\.|estimad[oa]s?|excelentisim[oa]|distinguid[oa]s?|apreciad[oa]|excelencia|"
    r"monsieur|madame|mesdames|excellence|cher|chere)\b"
)
CLOSING = re.compile(
    r"^(yours sincerely|sincerely|yours faithfully|yours respectfully|respectfully|kind regards|"
    r"best regards|regards|yours truly|with respect|"
    r"atentamente|muy atentamente|le saluda atentamente|cordialmente|respetuosamente|"
    r"reciba un (cordial|atento) saludo|un saludo|sin otro particular|"
    r"veuillez agreer|je vous prie d'agreer|je vous prie de (croire|recevoir)|"
    r"recevez,?|avec mes salutations|respectueusement|cordialement|salutations)\b"
)
INSTRUCTION = re.compile(
    r"^(\d+[.)]\s|[-•·*]\s*(write|escrib|ecriv|click|haga clic|cliquez))|click here|let us know|"
    r"haga clic|cliquez ici|write a letter|write an appeal|escriba una carta|escriban una carta|escribe una carta|"
    r"escribe un llamamiento|ecrivez une lettre|ecrivez un appel|"
    r"you can also|tambien pueden|vous pouvez egalement|using the sample|utilizando|en utilisant"
)
AI_INDEX = re.compile(r"\b[A-Z]{3}\s?\d{1,2}/\d{3,5}/(?:19|20)\d\d\b")
UA_IN_TITLE = re.compile(r"\s*\([^()]*?(?:\b(?:UA|AU)\s*:?\s*)?\d{1,4}[./]\d{2,4}\)\s*$")
PLACEHOLDER_NAME = re.compile(
    r"[\[(<]\s*(?:your|su|tu|votre|ton)\s+(?:full\s+|complete\s+)?(?:name|nombre(?: completo)?|nom(?: complet)?)\s*[\])>]",
    re.I,
)
PLACEHOLDER = re.compile(r"\[[^\]]{1,40}\]")
BULLET = re.compile(r"^([-•·*▪‣◦–\uf0a7\uf0b7\uf0d8\uf076\uf0fc❖►➢✓]|\d+[.)])\s*")


# a closing formula that may stand inside a paragraph (folded text)
CLOSING_IN = re.compile(
    r"\b(veuillez agreer|je vous prie d'agreer|je vous prie de (croire|recevoir)|veuillez (croire|recevoir)|"
    r"recevez,? (madame|monsieur|mesdames|messieurs)|le saluda atentamente|les saluda atentamente|"
    r"reciba (usted )?un (cordial|atento) saludo|atentamente,?$|yours sincerely|yours faithfully|"
    r"sincerely,?$)")
# a courtesy sentence that goes with the closing formula
COURTESY = re.compile(
    r"^(je vous remercie|merci (de|pour) (votre|l'attention)|dans l'attente|en vous remerciant|"
    r"thank you|i thank you|i look forward|agradezco|le agradezco|le doy las gracias|en espera de|"
    r"quedo a la espera|sin otro particular)")


def split_closing(paragraph: str) -> tuple[str, str]:
    """A paragraph without the closing formula it ends with (and the courtesy sentences just
    before it), and that closing text; the paragraph unchanged and "" when it has none."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý¿¡«\"])", paragraph)
    for n, sentence in enumerate(sentences):
        folded = fold(sentence)
        m = CLOSING_IN.search(folded)
        # the formula opens the sentence, or follows a short lead-in clause ("Dans l'attente …, je …")
        if m and (m.start() == 0 or COURTESY.match(folded) or m.start() < 60 and "," in folded[: m.start()]):
            while n and COURTESY.match(fold(sentences[n - 1])):
                n -= 1
            return " ".join(sentences[:n]).strip(), " ".join(sentences[n:]).strip()
    return paragraph, ""


@lru_cache(maxsize=4096)
def bare(line: str) -> str:
    """A line folded for matching, without bullets, numbering ("1)") or leading chrome.
    Remembered: the search for each section asks again about the same lines (~1,300 calls for
    ~150 lines of a UA)."""
    folded = fold(line.strip())
    folded = BULLET.sub("", folded, count=1)
    m = section_match("chrome_prefix", folded)
    if m and m.end() < len(folded):
        folded = folded[m.end():].lstrip(" :-–•")
    return folded


def _is(kind: str, line: str) -> bool:
    folded = bare(line)
    return bool(kind in HRE and HRE[kind].search(folded) or section_match(kind, folded))


def _index(lines: list[str], kind: str, start: int = 0, end: int | None = None) -> int | None:
    for i in range(start, len(lines) if end is None else end):
        if lines[i] and _is(kind, lines[i]):
            return i
    return None


def _after_colon(lines: list[str], i: int) -> tuple[str, str]:
    """The text after a heading's colon, or the next non-empty line; and the source text."""
    line = lines[i]
    value = re.split(r"[:：]", line, maxsplit=1)[1].strip() if re.search(r"[:：]", line) else ""
    if value:
        return value, line
    for j in range(i + 1, min(i + 3, len(lines))):
        if lines[j]:
            return lines[j], f"{line} {lines[j]}"
    return "", line


def paragraphs_of(lines: list[str], kind: str) -> list[str]:
    """Join wrapped lines into paragraphs: blank lines separate them; a PDF's visual lines are
    joined unless the previous one ends a sentence well short of the full width."""
    paras: list[str] = []
    current: list[str] = []
    width = max((len(l) for l in lines), default=0)
    for line in lines:
        if not line:
            if current:
                paras.append(" ".join(current))
                current = []
            continue
        if current:
            prev = current[-1]
            ends = prev.endswith((".", "!", "?", ":", "»", "”", '"', ")"))
            wrapped = kind == "pdf" and (not ends or len(prev) >= 0.92 * width)
            if not wrapped and (ends or kind != "pdf"):
                paras.append(" ".join(current))
                current = []
        current.append(line)
    if current:
        paras.append(" ".join(current))
    return [re.sub(r"\s+", " ", p).strip() for p in paras if p.strip()]


# --- the parser -------------------------------------------------------------------------------


# headings that text copied from a web page runs into the previous line (case-sensitive)
_RUN_IN = re.compile(
    r"(?<=\S)(?<!PLEASE)(?<!MERCI D'AGIR)\s+(?=(?:PLEASE TAKE ACTION|TAKE ACTION|PREFERRED LANGUAGE|"
    r"PLEASE SEND APPEALS|PLEASE WRITE IMMEDIATELY|ADDITIONAL INFORMATION|NAME AND PRONOUN|"
    r"ACTÚEN|IDIOMA PREFERIDO|INFORMACIÓN ADICIONAL|ENVÍEN LLAMAMIENTOS|NOMBRE Y |"
    r"PASSEZ À L'ACTION|AGISSEZ|LANGUE À PRIVILÉGIER|INFORMATIONS COMPLÉMENTAIRES|MERCI D'AGIR|"
    r"NOM ET PRONOM|You can also write|Please check with|También pueden escribir|"
    r"Vous pouvez également écrire|Consulten con)\b)")


def unrun(lines: list[str]) -> list[str]:
    """Put headings that a web copy ran into the previous line back on their own line."""
    out: list[str] = []
    for line in lines:
        # "Acción UrgenteVENEZUELA: …": the heading glued to the title in capitals
        glued = _GLUED.match(line)
        if glued:
            out.append(glued.group(1))
            line = line[glued.end(1):]
        out += _RUN_IN.split(line) if len(line) > 40 else [line]
    return out


_GLUED = re.compile(r"^\W*(Urgent Action|Acci[óo]n Urgente|Action Urgente)(?=[A-ZÁÉÍÓÚÑÀÈ]{2})")


def headings_rejoined(lines: list[str]) -> list[str]:
    """A heading that a PDF wrapped ("TAKE ACTION: … OR USING" / "THIS MODEL LETTER"): a short
    line in capitals right after a heading line in capitals is the rest of it."""
    out: list[str] = []
    kinds = Parser.SECTION_KINDS
    for line in lines:
        prev = out[-1] if out else ""
        if prev and line and len(line.split()) <= 6 and _capitals(line) and _capitals(prev) \
                and any(_is(k, prev) for k in kinds) and not any(_is(k, line) for k in kinds) \
                and not prev.rstrip().endswith((":", ".")):
            out[-1] = f"{prev} {line}"
        else:
            out.append(line)
    return out


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def label_values_joined(lines: list[str]) -> list[str]:
    """A contact label that a PDF line ends with ("… Nairobi, Kenya Email:") goes with the value
    on the next line."""
    from .blocks import LABEL_AT_END

    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and (LABEL_AT_END.search(out[-1]) and len(out[-1].split()) > 1
                                         or line.startswith((":", "："))):  # "Téléphone" / ": 71 …"
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


def single_spaced(lines: list[str]) -> list[str]:
    """A web copy with a blank line (or two: one <p> per line) after every line: the usual gap
    joins lines into blocks again, a longer run of blanks still separates them. Other
    documents are returned as they are."""
    texts = [k for k, line in enumerate(lines) if line]
    if len(texts) < 8:
        return lines
    every = [b - a - 1 for a, b in zip(texts, texts[1:])]
    # or short lines only: a PDF's wrapped prose runs on without blanks even on such a page
    short = [g for (a, _b), g in zip(zip(texts, texts[1:]), every) if len(lines[a]) <= 70]
    for gaps in (every, short):
        spaced = [g for g in gaps if g]
        if len(gaps) >= 6 and len(spaced) >= 0.75 * len(gaps):
            break
    else:
        return lines
    usual = max(set(spaced), key=spaced.count)
    out: list[str] = []
    blank = 0
    for line in lines:
        if line:
            if blank > usual and out:
                out.append("")
            out.append(line)
            blank = 0
        else:
            blank += 1
    return out


class Parser:
    def __init__(self, doc: Document, lang: str | None = None):
        self.doc = doc
        self.lines = headings_rejoined(label_values_joined(single_spaced(unrun(doc.lines))))
        self.folded = [fold(l) for l in self.lines]
        detected = detect_language(doc.text[:20000])
        self.x = Extraction(lang=lang or detected or "en")
        if not lang and not detected:
            self.x.notes.append(_("The document's language could not be told; English assumed."))

    def set(self, name: str, value: Any, source: str, note: str | None = None) -> None:
        if value not in (None, "", [], {}) and name not in self.x.fields:
            self.x.fields[name] = Found(value, source.strip()[:300], note, self.origin_of(source))

    def origin_of(self, source: str) -> str | None:
        """Where a source line stood when it is not in the body: "page footer", "page header"."""
        text = " ".join(source.split())
        for line, where in self.doc.margins.items():
            if len(text) >= 4 and (text in line or line in text):
                return where
        return None

    # ------------------------------------------------------------------
    def check_is_ua(self) -> None:
        """Record what makes the document look like a UA (the review shows it as a confidence);
        :func:`refuse_if_not_ua` refuses a document that shows none of it."""
        shape = self.x.shape
        if any(_is("header", l) for l in self.lines[:80] if l) or re.search(
                r"urgent action|accion urgente|action urgente", "\n".join(self.folded)):
            shape.append(_("the words 'Urgent Action'"))
        if UA_NUMBER.search(self.doc.text):
            shape.append(_("a UA number"))
        headings = [k for k in ("take_action", "write", "send", "preferred", "additional", "copies",
                                "address_to", "model") if _index(self.lines, k) is not None]
        if headings:
            shape.append(_("UA section headings"))

    def shape_of_result(self) -> None:
        """Targets and a sample letter are UA shapes too (a web copy may have nothing else)."""
        if any(t.role != "other" and (t.has_contact or t.address) for t in self.x.targets):
            self.x.shape.append(_("officials to write to"))
        if self.x.letter and not self.x.letter.from_points and self.x.letter.opening \
                and len(self.x.letter.paragraphs) >= 2:
            self.x.shape.append(_("a sample letter"))

    def header(self) -> None:
        for m in UA_NUMBER.finditer(self.doc.text):
            word = m.group(0).split()[0]
            if word.upper() == "AU" and word != "AU":
                continue  # French "au 12/21" is not a UA number
            year = m["y"][-2:] if len(m["y"]) == 4 else m["y"]
            self.set("ua_number", f"{int(m['n'])}.{year}", m.group(0))
            break
        if "ua_number" not in self.x.fields:
            for line in self.lines[:60]:
                m = _COUNTRY_BY_NUMBER.search(line)
                if m and country_code(m["c"] or m["c2"] or ""):
                    # "(Peru 12.25)", "UA: China 208.18": the number next to the country
                    n = re.search(r"(\d{1,4})[./](\d{2,4})\D*$", m.group(0))
                    self.set("ua_number", f"{int(n[1])}.{n[2][-2:]}", m.group(0))
                    break
        for i, line in enumerate(self.lines):
            m = INDEX.search(line)
            if m:
                rest = DATE_LABEL.split(m["rest"])[0].strip(" ,;")
                code = country_code(rest) or next((c for c, _w in countries_in(rest)), None)
                if code:
                    self.set("country", code, line, _("from the index line"))
            if DATE_LABEL.search(line) and not _is("deadline", line):
                part = DATE_LABEL.split(line, maxsplit=1)[1]
                parsed = parse_date(part)
                if parsed:
                    self.set("issued", parsed[0], line)
            bare = AI_INDEX.search(line)
            if bare and UA_NUMBER.search(line):
                # older French layout: "AU 45/15, MDE 12/1234/2015, 3 mars 2015" (maybe on a
                # line that goes on with the whole UA): the date right after the index
                after = line[bare.end(): bare.end() + 40]
                parsed = parse_date(after)
                if parsed and after.find(parsed[1]) <= 3:
                    self.set("issued", parsed[0], line[: bare.end() + after.find(parsed[1]) + len(parsed[1])])
        self.title()
        self.issued_under_title()
        types = re.compile(section_patterns()["ua_type"].pattern.lstrip("^"))
        for line in self.lines:
            m = UA_NUMBER.search(line)
            t = types.search(fold(line[: m.end()])) if m else None
            if t and t.start() < m.start() + 2:
                # "URGENT ACTION TYPE AND NUMBER: THIRD UA 60/16", "Cuarta AU: 72/24"
                self.set("ua_type", line[t.start(): t.end()], line)
        heading = getattr(self.doc, "heading", None)
        if "title" not in self.x.fields and heading:
            # a web page whose heading does not say "Urgent Action": its <h1> is the title
            bare = UA_IN_TITLE.sub("", re.sub(r"^\W*(urgent action|acci[oó]n urgente|action urgente)\W*", "",
                                             heading, flags=re.I)).strip(" :")
            if 3 < len(bare) <= 160:
                self.set("title", bare, heading, _("the web page's heading"))
                self.title_line = heading

    def _title_text(self, line: str) -> tuple[str, str | None]:
        """A candidate title line without the words around a title: "Urgent Action Update:",
        "URGENT ACTION TITLE:", "Écrire", "(Egypt: UA 132.19)"; and the UA type it named."""
        text = line.strip()
        kind = header = None
        m = re.match(r"^\W*(urgent action|acci[oó]n urgente|action urgente)\b\s*", text, re.I)
        if m:
            text = text[m.end():]
            header = m.group(1)
        folded = fold(text)
        lead = len(folded) - len(BULLET.sub("", folded, count=1))
        chrome = section_match("chrome_prefix", folded[lead:])
        if chrome and chrome.end() < len(folded) - lead:
            lead += chrome.end()
        t = section_match("ua_type", fold(text[lead:]).lstrip(" :"))
        if t:
            rest = text[lead:].lstrip(" :")
            after = rest[t.end():]
            if re.match(r"\s*[:：.–-]", after):
                kind = " ".join(x for x in (header, rest[: t.end()]) if x)
                lead = len(text) - len(after.lstrip(" :：.–-"))
        label = section_match("title_label", fold(text[lead:]).lstrip(" :"))
        if label:
            rest = text[lead:].lstrip(" :")
            lead = len(text) - len(rest[label.end():])
        text = UA_IN_TITLE.sub("", text[lead:]).strip(" :：-–•")
        return text, kind

    def title(self) -> None:
        """The page's title: the first title-like line before the action part, after the
        "URGENT ACTION" heading if there is one; chrome, dates and UA-number lines skipped."""
        head = _index(self.lines, "header", 0, min(len(self.lines), 120))
        first = head if head is not None else 0
        seen = 0
        for i in range(first, min(len(self.lines), first + 40)):
            line = self.lines[i]
            if not line:
                continue
            seen += 1
            if seen > 8:
                break
            if i != first and any(_is(k, line) for k in self.SECTION_KINDS + ("deadline",)) \
                    and not _is("header", line):
                break
            text, kind = self._title_text(line)
            words = text.split()
            chrome = section_match("chrome_prefix", fold(text))
            if chrome and chrome.end() >= len(text.rstrip(" :")):
                continue  # "Share", "Print": a button, not a title
            date = parse_date(text)
            if not text or len(text) < 4 or " | " in line or len(text) > 160 or len(words) > 25 \
                    or UA_NUMBER.search(text) and len(text) < 60 or INDEX.search(text) \
                    or DATE_LABEL.search(text) or date and len(text) - len(date[1]) <= 14 \
                    or section_match("addressed", fold(text)) or _is("header", text) \
                    or len(words) > 12 and text.endswith(".") and not re.match(r"^\w+\.\s", text):
                continue
            self.set("title", _title_case(text, self.doc.text), line)
            if kind:
                self.set("ua_type", kind, line)
            self.title_line = line
            return

    def issued_under_title(self) -> None:
        """An unlabelled date near the top ("March 3, 2025", "Martes, 03 de marzo, 2020") is
        the issue date."""
        seen = 0
        for line in self.lines[:60]:
            if not line:
                continue
            seen += 1
            if seen > 8 or any(_is(k, line) for k in ("take_action", "contacts", "letter", "write", "send")):
                return
            parsed = parse_date(line)
            if parsed and len(line) - len(parsed[1]) <= 14 and not _is("deadline", line):
                self.set("issued", parsed[0], line, _("the date under the title"))
                return

    def language(self) -> None:
        i = _index(self.lines, "preferred")
        if i is not None:
            value, source = _after_colon(self.lines, i)
            codes = language_codes_in(value)
            if codes:
                self.set("preferred_language", codes[0], source)
            window = " ".join(self.folded[i : i + 4])
            if OWN_LANGUAGE.search(window):
                self.set("own_language_allowed", True, " ".join(l for l in self.lines[i : i + 4] if l))
        w = _index(self.lines, "write")
        text = self.lines[w] if w is not None else None
        if w is None:
            # "DANS LES APPELS QUE VOUS FEREZ / PARVENIR …": the words wrapped in a PDF
            for i in range(len(self.lines) - 1):
                joined = f"{self.lines[i]} {self.lines[i + 1]}"
                if self.lines[i] and self.lines[i + 1] and section_match("write", bare(joined)):
                    w, text = i + 1, joined
                    break
        if w is not None:
            # the languages follow the words, maybe on the next line of a PDF
            m = section_match("write", bare(text))
            offset = len(fold(text.strip())) - len(bare(text))
            after = text.strip()[offset + m.end():] if m else text
            if len(after) < 120 and w + 1 < len(self.lines):
                after += " " + self.lines[w + 1]
            codes = language_codes_in(re.split(r"[:：]\s*[•-]", after[:300])[0])
            if codes:
                self.set("preferred_language", codes[0], text[:300])
            if OWN_LANGUAGE.search(self.folded[w]):
                self.set("own_language_allowed", True, self.lines[w])
        if "own_language_allowed" not in self.x.fields:
            for i, line in enumerate(self.folded):
                if OWN_LANGUAGE.search(line) and re.search(r"write|escrib|ecri", line):
                    self.set("own_language_allowed", True, self.lines[i])
                    break

    def deadline(self) -> None:
        # "Contact below official by 21 April, 2017:", "APPEAL DEADLINE NOTICE: 16 August 2017",
        # "ENVOYEZ VOS APPELS AVANT LE 1er MAI 2014" inside a line; a PDF may wrap the date
        for i, line in enumerate(self.lines):
            if not line:
                continue
            m = section_match("deadline", bare(line))
            if not m:
                continue
            offset = len(fold(line.strip())) - len(bare(line))
            after = line.strip()[offset + m.end(): offset + m.end() + 60]
            nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
            parsed = parse_date(after)
            if parsed and after.find(parsed[1]) > 12:
                parsed = None
            if not parsed and len(after.strip(" :[")) < 20:
                parsed = parse_date(after + " " + nxt)
            if parsed:
                self.set("deadline", parsed[0], line[: offset + m.end() + 60] if len(line) > 200 else line)
                self.set("deadline_text", parsed[1], line)
                return
        for i, line in enumerate(self.lines):
            if not line or not _is("deadline", line):
                continue
            if not re.search(r"(as soon as possible|appeals|llamamientos|lo antes posible|merci d'agir|"
                             r"avant le|actuen|take action|until:|hasta)", self.folded[i]):
                continue
            parsed = parse_date(line) or (parse_date(self.lines[i + 1]) if i + 1 < len(self.lines) else None)
            if parsed:
                self.set("deadline", parsed[0], line)
                self.set("deadline_text", parsed[1], line)
                return

    def subject(self) -> None:
        for i, line in enumerate(self.lines):
            if not line or not (_is("name", line) or _is("name_loose", line)):
                continue
            value, source = _after_colon(self.lines, i) if ":" in line else (
                re.sub(H["name_loose"], "", self.folded[i]) and line[len(HRE["name_loose"].match(self.folded[i]).group(0)):].strip(), line)
            value = value.strip()
            if not value or len(value) > 200:
                continue
            pronouns = re.findall(r"\(([^)]{1,30})\)", value)
            name = re.sub(r"\([^)]{1,30}\)", "", value).replace("[", "").replace("]", "").strip(" ,;.")
            if not name:
                continue
            self.set("subject_name", name, source)
            distinct = {p.strip() for p in pronouns}
            if len(distinct) == 1:
                original = distinct.pop()
                value = normalise_pronoun(original, self.x.lang)
                note = _("written \"({original})\"").format(original=original) \
                    if value != original else None
                self.set("subject_pronoun", value, source, note)
            return

    def sections(self) -> None:
        """Summary (before the action part) and background (the additional information)."""
        start = getattr(self, "title_line", None)
        first = self.lines.index(start) + 1 if start in self.lines else 0
        stops = [i for i in (_index(self.lines, k, first) for k in ("take_action", "write", "send", "preferred")) if i is not None]
        opening = self.opening_index()
        if opening is not None:
            stops.append(opening)
        end = min(stops) if stops else None
        if end is not None and end > first:
            paras = [p for p in paragraphs_of(self.lines[first:end], self.doc.kind)
                     if not UA_NUMBER.match(p) and not INDEX.search(p) and not _is("header", p)
                     and _is_lead_prose(p, self.x.get("title"))]
            if paras:
                self.set("summary", "\n\n".join(paras[:3]), paras[0][:200])
        a = _index(self.lines, "additional")
        if a is not None:
            stop = len(self.lines)
            for kind in ("preferred", "name", "name_loose", "previous", "header", "take_action",
                         "send", "write", "copies", "also"):
                j = _index(self.lines, kind, a + 1)
                if j is not None:
                    stop = min(stop, j)
            if opening is not None and opening > a:
                stop = min(stop, opening)
            for j in range(a + 1, stop):
                if _is("deadline", self.lines[j]) and parse_date(self.lines[j]) and len(self.lines[j]) < 120:
                    stop = j
                    break
            paras = paragraphs_of(self.lines[a + 1 : stop], self.doc.kind)
            paras = [p for p in paras if not UA_NUMBER.match(p)]
            if paras:
                self.set("background", "\n\n".join(paras), self.lines[a] + " " + paras[0][:120])

    # ------------------------------------------------------------------
    def opening_index(self) -> int | None:
        if hasattr(self, "_opening"):
            return self._opening
        self._opening = None
        start = _index(self.lines, "take_action") or _index(self.lines, "send") or 0
        for pass_start in (start, 0):
            for i in range(pass_start, len(self.lines)):
                line = self.lines[i]
                if line and len(line) <= 90 and OPENING.match(self.folded[i]) and re.search(r"[,:]$", line) \
                        and not re.match(r"^(salutation|tratamiento|saludo|formule)", self.folded[i]):
                    self._opening = i
                    return i
        return None

    def letter(self) -> None:
        o = self.opening_index()
        if o is not None:
            self._letter_from_sample(o)
            return
        w = _index(self.lines, "write")
        if w is not None:
            end = _index(self.lines, "send", w + 1) or min(len(self.lines), w + 30)
            points = []
            for line in self.lines[w + 1 : end]:
                if not line:
                    continue
                if BULLET.match(line) or not points:
                    points.append(BULLET.sub("", line))
                else:
                    points[-1] += " " + line
            points = [p.strip() for p in points if p.strip()]
            if points:
                lang = detect_language(" ".join(points)) or self.x.lang
                self.x.letter = SampleLetter(lang, points, None, None, self.lines[w], from_points=True)

    def _block_after_opening(self, o: int, end: int) -> int:
        """Where the letter's body starts. Some pages print the opening first, then the
        official's name and address ("Señor Nicolás Maduro," / "Presidente de la República …" /
        "Palacio de Miraflores, …"), then the body: those lines are a target block."""
        from .address import looks_like_address

        j = o + 1
        while j < end and not self.lines[j]:
            j += 1
        k = j
        while k < min(end, j + 8) and self.lines[k] and len(self.lines[k]) <= 120 \
                and not self.lines[k].rstrip().endswith(".") and not _is_prose(self.lines[k]):
            k += 1
        if k - j >= 2 and any(looks_like_address(l) for l in self.lines[j:k]) \
                and _starts_target(self.lines[j]):
            self.pre_letter_block = (j, k)
            return k
        return o + 1

    def _letter_from_sample(self, o: int) -> None:
        end = len(self.lines)
        closing = None
        for j in range(o + 1, len(self.lines)):
            line = self.lines[j]
            if not line:
                continue
            folded = self.folded[j]
            if CLOSING.match(folded) and len(line) < 200:
                end, closing = j, line
                break
            if any(_is(k, line) for k in ("additional", "preferred", "header", "copies", "also",
                                          "address_to")) or PLACEHOLDER_NAME.fullmatch(line.strip()):
                end = j
                break
        body_lines = []
        placeholders = []
        first = self._block_after_opening(o, end)
        for line in self.lines[first:end]:
            stripped = line.strip()
            if stripped and PLACEHOLDER.fullmatch(stripped) or PLACEHOLDER_NAME.fullmatch(stripped):
                continue  # a line that is only "[Your name]" or "[Date]": appeal adds these
            for ph in PLACEHOLDER.findall(PLACEHOLDER_NAME.sub("", stripped)):
                placeholders.append(ph)
            body_lines.append(line)
        paras = paragraphs_of(body_lines, self.doc.kind)
        if paras:
            # a closing formula inside the last paragraph, often after a courtesy sentence:
            # "Je vous remercie de … Veuillez agréer, Monsieur …", "Dans l'attente …, je vous prie d'agréer …"
            kept, tail = split_closing(paras[-1])
            if tail:
                closing = tail + (" " + closing if closing else "")
                paras = paras[:-1] + ([kept] if kept else [])
        if not paras:
            return
        self.letter_end = end
        lang = detect_language(" ".join(paras)) or self.x.lang
        opening = self.lines[o]
        self.x.letter = SampleLetter(
            lang, paras, opening.rstrip(" ,:"), closing, opening, placeholders=placeholders
        )

    # ------------------------------------------------------------------
    SECTION_KINDS = ("take_action", "send", "copies", "also", "write", "address_to", "model", "contacts",
                     "letter", "stop", "additional", "preferred", "previous")

    def _blocks(self, start: int, end: int) -> list[list[str]]:
        blocks: list[list[str]] = [[]]

        def cut() -> None:
            if blocks[-1]:
                blocks.append([])

        for k in range(start, end):
            line = self.lines[k]
            f = fold(line)
            if not line:
                cut()
                continue
            if blocks[-1] and _is_prose(line) and k + 1 < end and _is_contact(self.lines[k + 1]):
                continue  # a note inside a block ("Due to postal restrictions, … only to the Embassy")
            long_prose = len(line) > 110 and line.endswith(".") or len(line) > 180 and not _is_contact(
                split_labels(line)[-1])
            bullet = BULLET.match(line) and not _is_contact(line) and len(line.split()) > 5
            # the wrapped end of a sentence ("because we share the total … / are trying to help.")
            running = line[:1].islower() and (len(line.split()) > 5 or line.rstrip().endswith(
                (".", ";", "!", "?"))) and not _is_contact(line) \
                and not any(ch.isdigit() for ch in line) \
                and not re.match(r"(?:c/o|a/c|de |del |av\.|calle|rue|avenida|avenue)", line, re.I)
            if INSTRUCTION.search(f) or long_prose or bullet or running or _is_prose(split_labels(line)[0]):
                cut()
                continue
            if any(_is(k, line) for k in self.SECTION_KINDS) or PLACEHOLDER_NAME.fullmatch(line.strip()) \
                    or len(line) < 100 and section_match("deadline", bare(line)) and parse_date(line):
                cut()
                continue
            # a name line after contact lines starts the next official; so does a name or
            # title line right after a postal line that ends an address
            # (a flattened block is one line: its first piece names, its last piece is a contact)
            first, last = split_labels(line)[0], split_labels(blocks[-1][-1])[-1] if blocks[-1] else ""
            if blocks[-1] and not _is_contact(first) and not line.startswith("@") and (
                    _is_contact(last) or _ends_address(last) and _starts_target(first)):
                cut()
            blocks[-1].append(line)
        return [b for b in blocks if b]

    def _targets_in(self, start: int, end: int) -> list[Block]:
        found = []
        for lines in self._blocks(start, end):
            block = parse_block(lines)
            if is_target(block, lines) and not any(_same_official(block, t) for t in self.x.targets + found):
                found.append(block)  # (a page that prints a block twice gives one target)
        return found

    def targets(self) -> None:
        opening = self.opening_index()
        after = getattr(self, "letter_end", None)
        send = _index(self.lines, "send")
        contacts = _index(self.lines, "contacts")
        self.set("layout", "older" if send is not None else "current", "")
        stops_kinds = ("copies", "also", "additional", "preferred", "stop", "letter", "model", "header",
                       "previous")
        if contacts is not None:
            start = contacts + 1
        elif send is not None:
            start = send + 1
        else:
            ta = _index(self.lines, "take_action")
            start = ta + 1 if ta is not None else 0
        ends = [i for i in (_index(self.lines, k, start + 1 if k == "header" else start) for k in stops_kinds)
                if i is not None]
        if opening is not None and opening >= start:
            ends.append(opening)
        end = min(ends) if ends else len(self.lines)
        if contacts is not None:
            # "Adressez vos appels à : Président X", "Contact below official by …:" on one line
            rest = re.split(r"[:：]", self.lines[contacts], maxsplit=1)
            if len(rest) > 1 and rest[1].strip() and not parse_date(rest[1]):
                self.lines[contacts] = rest[1].strip()
                self.folded[contacts] = fold(self.lines[contacts])
                start = contacts
        if not ends and start:
            self.x.notes.append(_("The UA ends in its list of officials: this copy may be cut short. "
                                  "Check the last target against the original UA."))
        self.x.targets += self._targets_in(start, end)
        pre = getattr(self, "pre_letter_block", None)
        if not self.x.targets and pre:
            # the officials between the letter's opening and its body ("Señor X," / name / address)
            self.x.targets += self._targets_in(*pre)
        if not self.x.targets and after is not None:
            # the officials are listed after the model letter: from its closing to the next section
            stops = [i for i in (_index(self.lines, k, after + 1) for k in
                                 ("copies", "also", "additional", "preferred", "header", "name", "deadline",
                                  "stop", "previous"))
                     if i is not None]
            self.x.targets += self._targets_in(after + 1, min(stops) if stops else len(self.lines))
        c = _index(self.lines, "copies")
        if c is not None:
            stops = [i for i in (_index(self.lines, k, c + 1) for k in ("also", "additional", "header", "preferred", "stop"))
                     if i is not None]
            if opening is not None and opening > c:
                stops.append(opening)
            first = self.lines[c]
            rest = re.split(r"[:：]", first, maxsplit=1)
            pre = [rest[1].strip()] if len(rest) > 1 and rest[1].strip() else []
            blocks = self._blocks(c + 1, min(stops) if stops else min(len(self.lines), c + 30))
            if pre:
                blocks = [pre + (blocks[0] if blocks else [])] + blocks[1:]
            for lines in blocks:
                block = parse_block(lines)
                if block.name or block.has_contact or block.office:
                    self.x.copies.append(block)

    def attach_opening(self) -> None:
        """The sample letter's opening becomes the salutation of the target it names."""
        letter = self.x.letter
        if not letter or not letter.opening:
            return
        if is_group_opening(letter.opening):
            # "Dear Governor Abbott and Members of the Board": no single target, no gender
            self.set("common_salutation", letter.opening, letter.source)
            return
        named = [t for t in self.x.targets if matches_opening(t, letter.opening)]
        if not named:
            named = [t for t in self.x.targets if _opening_names_title(letter.opening, t)]
        if not named and len(self.x.targets) == 1:
            named = self.x.targets  # the UA's only official: the sample letter greets them
        if len(named) > 1:
            # "Madame la Ministre," with a minister and a ministre: the one of that gender
            gender = gender_of(letter.opening)[0]
            if gender != "unknown":
                fits = [t for t in named if t.gender == gender]
                if len(fits) == 1:
                    named = fits
        if len(named) == 1:
            target = named[0]
            if letter.lang not in target.salutations:
                from .blocks import Value, _surname_from
                target.salutations[letter.lang] = Value(letter.opening, letter.source)
                _surname_from(target, letter.opening)
                if target.gender == "unknown":
                    target.gender, target.gender_source = gender_of(letter.opening)
        else:
            from .blocks import role_of

            role = role_of(letter.opening)[0]
            same = [t for t in self.x.targets if role != "other" and t.role == role]
            if len(self.x.targets) == 1:
                same = self.x.targets
            if len(same) == 1 and same[0].gender == "unknown" and salutation_language(letter.opening):
                gender, source = gender_of(letter.opening)
                if gender != "unknown":
                    same[0].gender, same[0].gender_source = gender, source

    def country(self) -> None:
        """The UA's country, from the most explicit place first: next to the UA number
        ("(Egypt: UA 132.19)", "UA: China 208.18", a "… | Índice … | Venezuela" header line),
        the title's prefix ("Sudan: …"), the address of an official at home, the country whose
        embassy the UA names; a country merely named in the title last. Never from an embassy's
        or UN mission's address abroad, never from the most-mentioned country in the text."""
        for line in self.lines:
            for m in _COUNTRY_BY_NUMBER.finditer(line):
                code = country_code(m["c"] or m["c2"] or "")
                if code:
                    self.set("country", code, m.group(0), _("next to the UA number"))
                    return
            if UA_NUMBER.search(line) and "|" in line and len(line) < 200:
                cells = [country_code(c) for c in line.split("|")]
                codes = [c for c in cells if c]
                if len(set(codes)) == 1:
                    self.set("country", codes[0], line, _("from the header line"))
                    return
        if "country" in self.x.fields:
            return
        title = self.x.get("title") or ""
        m = re.match(r"^\s*([^:.\d]{3,40}?)\s*[:.–-]\s", title)
        if m and country_code(m.group(1)):
            self.set("country", country_code(m.group(1)), title, _("named in the title"))
            return
        for t in self.x.targets:
            if t.role == "ambassador" or not t.address or _is_mission(t):
                continue
            if t.address.country:
                self.set("country", t.address.country, t.address.country_source or "",
                         _("address of {name}").format(name=t.name.value if t.name else "?"))
                return
            last = t.address.raw[-1] if t.address.raw else ""
            found = countries_in(last.rsplit(",", 1)[-1])
            if len({c for c, _w in found}) == 1:
                # "Ciudad de México", "Kuwait City": the capital named after its country
                self.set("country", found[0][0], last,
                         _("address of {name}").format(name=t.name.value if t.name else "?"))
                return
        texts = [v.value for t in self.x.targets + self.x.copies for v in (t.office, t.title, t.name) if v]
        for text in texts + self.lines + [" ".join(self.lines)]:  # (a PDF may wrap the words)
            m = _EMBASSY_OF.search(text)
            found = countries_in(text[m.end(): m.end() + 60]) if m else []
            if found and re.match(r"\W{0,3}$", fold(text[m.end(): m.end() + 60])[: fold(text[m.end():]).find(found[0][1])]):
                self.set("country", found[0][0], text[m.start(): m.end() + 60].strip(),
                         _("the country whose embassy the UA names"))
                return
        found = countries_in(title)
        if len({c for c, _w in found}) == 1:
            self.set("country", found[0][0], title, _("named in the title"))

    def run(self) -> Extraction:
        self.check_is_ua()
        self.header()
        self.language()
        self.deadline()
        self.subject()
        self.sections()
        self.letter()
        self.targets()
        self.attach_opening()
        self.country()
        self.addresses_with_country()
        self.numbers_in_international_form()
        self.shape_of_result()
        return self.x

    def numbers_in_international_form(self) -> None:
        """Phones and faxes with their country code, from the target's own address, else the
        UA's country (never for an embassy abroad without an address: its country is unknown)."""
        from .phones import international

        case_country = self.x.get("country")
        for t in self.x.targets + self.x.copies:
            region = t.address.country if t.address and t.address.country else (
                None if t.role == "ambassador" or t in self.x.copies else case_country)
            for values in (t.phones, t.faxes):
                for k, v in enumerate(values):
                    intl = international(v.value, region)
                    if intl != v.value:
                        values[k] = Value(intl, v.source, printed=v.value)

    def addresses_with_country(self) -> None:
        """Read again, knowing the UA's country, addresses that name none: its states and
        provinces then tell town from state ("Oaxaca de Juárez, Oaxaca")."""
        from .address import parse_address

        hint = self.x.get("country")
        for t in self.x.targets:
            if hint and t.address and not t.address.country:
                t.address = parse_address(t.address.raw, country_hint=hint)


_GROUP = re.compile(
    r"\b(?:and|y|et|&|e)\s+(?:the\s+|los\s+|las\s+|les\s+|mmes?\s+|mm\.\s+)?"
    r"(?:members?|miembros?|membres?|[A-Z]\w+)|"
    r"\b(?:senores|senoras|estimad[oa]s|distinguid[oa]s|apreciad[oa]s|excelentisim[oa]s|sirs|"
    r"members|messieurs|mesdames|ministers|ministros|ministres|authorities|autoridades|autorites|"
    r"excellencies|excelencias|excellences|all|everyone|colleagues|ladies and gentlemen|"
    r"chers|cheres|todos|todas|tous)\b")


def is_group_opening(opening: str) -> bool:
    """An opening that greets several people ("Estimados señores", "Dear Governor Abbott and
    Members of the Board", "Mesdames, Messieurs")."""
    text = opening.rstrip(" ,:")
    folded = fold(text)
    if re.search(r"\b(?:or|o|ou)\b|/", folded):  # "Dear Sir or Madam": one person, unknown
        return False
    return bool(_GROUP.search(folded) or re.search(r"\b(and|y|et|e|&)\s+[A-Z]", text))


_GREETING = re.compile(
    r"^(?:dear|estimad[oa]s?|distinguid[oa]s?|apreciad[oa]|senor[a]?|sr\.?|sra\.?|"
    r"monsieur|madame|cher|chere)\s+(?:(?:le|la|l'|el)\s*)?")


def _opening_names_title(opening: str, block: Block) -> bool:
    """'Estimada Secretaria' names the target titled 'Secretaria de Gobernación';
    'Monsieur le Ministre' the one titled 'Ministre de l'Intérieur'."""
    folded = fold(opening.rstrip(" ,:"))
    m = _GREETING.match(folded)
    words = folded[m.end():].strip() if m else ""
    if not words or len(words.split()) > 3:
        return False
    for v in (block.title, block.office):
        if v and re.match(re.escape(words) + r"\b", fold(v.value)):
            return True
    return False


def _is_lead_prose(para: str, title: str | None) -> bool:
    """A paragraph of the UA's lead, not a heading repeated in capitals, a date or byline line
    ("Publié le 04.10.2023", "Date: 2 February 2024") or the title again."""
    if title and fold(para).strip(" .:") == fold(title).strip(" .:"):
        return False
    letters = [c for c in para if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        return False
    words = para.split()
    sentence = para.rstrip().endswith((".", "!", "?", "»", "”", '"', ")", "…"))
    if DATE_LABEL.match(para) or (parse_date(para) and len(words) < 8 and not sentence):
        return False
    return sentence or len(words) >= 15


_COUNTRY_BY_NUMBER = re.compile(
    r"\(\s*(?P<c>[^()\d:|]{3,40}?)\s*:?\s*(?:UA|AU)?\s*:?\s*\d{1,4}[./]\d{2,4}\s*\)"
    r"|\b(?:UA|AU)\s*:\s*(?P<c2>[A-Z][^\d:|]{2,40}?)\s+\d{1,4}[./]\d{2,4}\b")
_EMBASSY_OF = re.compile(
    r"\b(?:embassy of|ambassade d[eu']?|embajada d[e']|consulate of|consulat d[eu']?|consulado de|"
    r"permanent mission of|mission permanente d[eu']?|misi[oó]n permanente de)\s*(?:the\s+|la\s+|l['’]\s*|el\s+)?",
    re.I)


def _is_mission(block: Block) -> bool:
    """An embassy, consulate or UN mission: its address is abroad."""
    text = " ".join(v.value for v in (block.title, block.office, block.name) if v)
    return bool(re.search(r"(?i)\b(embass|embajad|ambassad|consul|permanent mission|mission permanente|"
                          r"misi[oó]n permanente|united nations|naciones unidas|nations unies)", text))


def _is_prose(line: str) -> bool:
    """A sentence of running text, not a line of a target block."""
    words = line.split()
    lower = sum(1 for w in words if w[:1].islower())
    return (len(words) > 14 and line.rstrip().endswith((".", "!", "?", ";")) or len(words) > 24
            or len(words) > 10 and lower > 0.5 * len(words)) and not EMAIL_IN.search(line)


EMAIL_IN = re.compile(r"@\w")


def _ends_address(line: str) -> bool:
    """A postal line that ends an address: a country last, or a US 'DC 20006' ZIP code."""
    last = line.rstrip(" ,.").rsplit(",", 1)[-1].strip()
    return bool(country_code(last) and ("," in line or len(line.split()) <= 3)
                or re.search(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?$", line.strip()))


def _starts_target(line: str) -> bool:
    """A line that can open a target block: a position, an honorific or a person's name."""
    from .blocks import TITLE_WORD, _looks_like_name, role_of

    return bool(role_of(line)[0] != "other" or TITLE_WORD.match(line) or _looks_like_name(line)) \
        and not _is_prose(line)


_PARTICLE_WORDS = set(
    "de del la las los el en y e of the and for in at on to a an du des le les et pour au aux d' l' "
    "da do dos das di van von der bin bint ibn al c/o a/c s/n y/o".split())


def _same_official(a: Block, b: Block) -> bool:
    key = [(v.value if v else None) for v in (a.name, a.title, a.office)]
    return key == [(v.value if v else None) for v in (b.name, b.title, b.office)] \
        and [e.value for e in a.emails] == [e.value for e in b.emails]


def is_target(block: Block, lines: list[str]) -> bool:
    """Never a target made of a heading, site chrome, an action bullet or prose: a block is an
    official when it names someone or a position and says how or where to reach them (or names
    a position that UAs write to)."""
    head = split_labels(lines[0])[0]
    if BULLET.match(head) and len(head.split()) > 5 or _is_prose(head) or "http" in head:
        return False
    named = block.name or block.title or block.office
    if not named:
        return False
    if head[:1].islower() and not re.match(r"(?:c/o|a/c)\b", head):
        return False  # the wrapped end of a sentence
    for v in (block.name, block.title, block.office):
        words = [re.sub(r"^(?:l|d|qu)['’]", "", w) for w in re.findall(r"[^\W\d_][\w'’-]*", v.value)] \
            if v else []
        verbs = [w for w in words if w and w[0].islower() and fold(w) not in _PARTICLE_WORDS]
        if len(verbs) >= 3 or v and v is not block.office and v.value.rstrip().endswith(":"):
            return False  # prose, or a line that introduces something else
    for v in (block.name, block.title):
        if v and (len(v.value.split()) > 14 or re.search(r"[:?!]", v.value.rstrip(":"))
                  or any(_is(k, v.value) for k in ("header", "take_action", "contacts", "letter", "stop",
                                                    "write", "send", "deadline", "additional"))):
            return False
    postal = block.address and (block.address.country or block.address.postal_code or block.address.city)
    contact = block.emails or block.phones or block.faxes or block.twitter or block.salutations \
        or block.obfuscated or block.facebook or block.instagram
    return bool(contact or postal or block.role != "other" and block.name)


def _is_contact(line: str) -> bool:
    from .blocks import EMAIL, OBFUSCATED, _LABEL_RE

    return bool(EMAIL.search(line) or OBFUSCATED.search(line)) or any(
        _LABEL_RE[k].match(line) for k in ("email", "phone", "fax", "twitter", "facebook", "instagram",
                                           "social", "web", "salutation")
    ) and (":" in line or "@" in line or sum(c.isdigit() for c in line) >= 6)


def _title_case(title: str, text: str) -> str:
    """An ALL-CAPS title in sentence case, keeping words the document capitalises elsewhere."""
    letters = [c for c in title if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return title
    mid = r"(?<![.!?:]\s)(?<!^)\b"
    caps = re.findall(mid + r"([A-ZÁÉÍÓÚÑÇÀÈÊÔÎ][a-záéíóúñçàèêôîüï'’]+)", text, re.M)
    lows = re.findall(r"\b([a-záéíóúñçàèêôîüï][a-záéíóúñçàèêôîüï'’]+)", text)
    count_caps, count_lows = {}, {}
    for w in caps:
        count_caps[w] = count_caps.get(w, 0) + 1
    for w in lows:
        count_lows[w] = count_lows.get(w, 0) + 1

    def case(part: str, first: bool) -> str:
        cap = part[:1].upper() + part[1:]
        proper = count_caps.get(cap, 0) > count_lows.get(part, 0)
        return cap if first or proper else part

    out = []
    for k, word in enumerate(title.lower().split()):
        first = k == 0 or out[-1].endswith((".", "!", "?"))
        out.append("-".join(case(p, first and n == 0) for n, p in enumerate(word.split("-"))))
    result = " ".join(out)
    # a country's name keeps its capitals ("… at risk (Peru 12.25)", "… in Saudi Arabia")
    folded = fold(result)
    for _code, words in countries_in(result):
        for m in re.finditer(r"(?<![\w-])" + re.escape(words) + r"(?![\w-])", folded):
            span = result[m.start():m.end()]
            fixed = " ".join(w if w in ("de", "del", "la", "of", "the", "d'", "du") else w[:1].upper() + w[1:]
                             for w in span.split(" "))
            result = result[:m.start()] + fixed + result[m.end():]
    return result


# what the NAME AND PRONOUN line puts in brackets → one kind: m(asculine), f(eminine), n(either)
_PRONOUN_KINDS = {
    "m": "m masc masculine masculino masculin male hombre homme he him he/him él el il il/lui lui",
    "f": "f fem feminine femenino feminin féminin female mujer femme she her she/her ella elle "
         "elle/elle",
    "n": "they them they/them elle/elles neutro neutral non-binary no binario non-binaire iel "
         "elle/le",
}
_PRONOUN_FORMS = {"m": {"en": "he/him", "es": "él", "fr": "il"},
                  "f": {"en": "she/her", "es": "ella", "fr": "elle"},
                  "n": {"en": "they/them", "es": "elle", "fr": "iel"}}


def normalise_pronoun(text: str, lang: str) -> str:
    """"(masculino)", "(He/Him)", "(él)" → the pronoun in the document's language ("él",
    "he/him"); anything else (a plural "ils", "ellos") is kept as written."""
    key = re.sub(r"\s*/\s*", "/", fold(text).strip(" .")).strip()
    # Spanish "él"/"elle" fold the same as French "el"/"elle": decide by the document's language
    if lang == "es" and key == "elle":
        kind = "n"
    else:
        kind = next((k for k, words in _PRONOUN_KINDS.items() if key in fold(words).split()), None)
    if kind is None:
        return text
    return _PRONOUN_FORMS[kind].get(lang, _PRONOUN_FORMS[kind]["en"])


def extract(doc: Document, lang: str | None = None) -> Extraction:
    """Read every field of a UA document (see module docstring)."""
    return Parser(doc, lang).run()


def refuse_if_not_ua(x: Extraction, name: str) -> None:
    """Refuse a document with no UA shape at all (a recipe, an invoice), saying why."""
    if x.shape:
        return
    raise AppealError(
        _("{name}: this does not look like an Amnesty Urgent Action: it has no UA number, no "
          "UA headings, no officials to write to and no sample letter.").format(name=name),
        _("Expected headings such as 'URGENT ACTION', 'TAKE ACTION', 'PREFERRED LANGUAGE' or "
          "'PLEASE SEND APPEALS BEFORE'. Import the UA document itself."),
    )
