"""A block of lines about one official → name, role, gender, office, address and contacts.

UAs print each target as a few lines: who (name, title, office), where (postal address),
and how (labelled e-mail, phone, fax, social media, salutation). Labels come with or without
colons, in three languages, sometimes run together on one line; this module reads them all
and keeps, for every value, the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .address import ParsedAddress, looks_like_address, parse_address
from .lexicon import country_code, fold

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
OBFUSCATED = re.compile(r"\[\s*email[\s\u00a0]*protected\s*\]|\[email&#160;protected\]", re.I)
# "name(at)host(dot)org", "name[at]host.org", "name(arroba)host.gov.co", "name@host[.]org"
_AT = re.compile(r"\s*[\[(]\s*(?:at|arroba|arobase)\s*[\])]\s*", re.I)
_DOT = re.compile(r"\s*[\[(]\s*(?:dot|\.|punto|point)\s*[\])]\s*", re.I)


def deobfuscate(line: str) -> str:
    """Undo the usual spam-proofing of e-mail addresses; other text is left as it is."""
    if not (_AT.search(line) or _DOT.search(line)):
        return line
    fixed = _DOT.sub(".", _AT.sub("@", line))
    return fixed if EMAIL.search(fixed) else line


HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]{1,15})\b(?!\.\w)")

LABELS = {
    "email": r"e-?mails?|correos?(?:\s+electr[oó]nicos?|-e)?|courriels?|e-?mail address|mail",
    "phone": r"phones?|telephones?|t[ée]l[ée]phones?|tel[eé]fonos?|tel[ée]?f?\.?|t[ée]l\.?|mobile|m[oó]vil|cell|celular|whatsapp",
    "fax": r"fax(?:es)?|t[ée]l[ée]copie(?:ur)?|telefax|facs[ií]mil",
    "twitter": r"twitter|x|tw",
    "facebook": r"facebook|fb",
    "instagram": r"instagram|insta",
    "social": r"tiktok|bluesky|threads|mastodon|linkedin|youtube",
    "web": r"web(?:site)?|sitio web|site web|p[aá]gina web|site internet|url|contact form|online form|"
           r"web form|formulario(?: de contacto| en l[ií]nea| web)?|formulaire(?: de contact| en ligne)?",
    "salutation": r"salutations?|tratamiento|saludo|formule d'appel|formule de politesse|appel",
}
_LABEL_RE = {
    kind: re.compile(rf"^(?:{pattern})\s*(?::|：|\.|-|–)?\s*(?P<value>.*)$", re.I)
    for kind, pattern in LABELS.items()
}
_ANY_LABEL = "|".join(f"(?:{p})" for k, p in LABELS.items() if k not in ("twitter",))
# a label in the middle of a line starts a new line ("... Mexico Email: x@y.mx Twitter: @z")
# "Phone: 202 895 5400 | Fax: …": the bar is often copied as a capital I or a bullet
_SPLIT = re.compile(rf"\s*(?:\s[|•I·]|\||•)?\s+(?=(?:{_ANY_LABEL}|Twitter(?:/X)?|X)\s*:)", re.I)
LABEL_AT_END = re.compile(rf"\s(?:{_ANY_LABEL}|Twitter(?:/X)?)\s*:$", re.I)
_SPLIT_CO = re.compile(r",\s+(?=(?:c/o|a/c|aux bons soins)\b)", re.I)


def split_labels(line: str) -> list[str]:
    pieces = []
    for piece in _SPLIT.split(line):
        pieces += _SPLIT_CO.split(piece)
    return [piece.strip() for piece in pieces if piece and piece.strip()]


ROLE_WORDS = [
    ("head_of_government", r"prime minister|primer[oa]? ministr[oa]|premi[eè]re? ministre|chancellor|canciller federal"),
    ("prosecutor", r"attorney[- ]general|prosecutor|fiscal|procurador[a]?|procureure?|public ministry|minist[eè]re public"),
    ("governor", r"governor|gobernador[a]?|gouverneure?"),
    ("ambassador", r"ambassador|embajador[a]?|ambassadeur|ambassadrice|embassy|embajada|ambassade|charg[eé]e? d'affaires"),
    ("minister", r"minister|ministr[oa]|ministre|secretary|secretari[oa] de|secr[eé]taire|secretar[ií]a|ministry|ministerio|minist[eè]re"),
    ("head_of_state", r"supreme leader|guide supr[eê]me|l[ií]der supremo|president[ae]?|pr[eé]sidente?|head of state|jefe de estado|chef de l'[eé]tat|king|rey|roi|emir|sultan"),
]
_NOT_STATE = re.compile(
    r"court|commission|comision|senate|senado|council|consejo|tribunal|corte|assembl|congres|"
    r"chamber|camara|party|partido|committee|comite|board|cour|conseil|senat|chambre|"
    r"parliament|parlamento|parlement|bank|banco|banque|association|asociacion|union|federation"
)
TITLE_WORD = re.compile(
    r"^(?:(?:h\.?e\.?|his excellency|her excellency|su excelencia|son excellence)\s+)?"
    r"(?:president[ae]?|pr[eé]sidente?|prime minister|primer[oa]? ministr[oa]|premi[eè]re? ministre|"
    r"ambassador|embajador[a]?|ambassadeur|ambassadrice|minister|ministr[oa]|ministre|"
    r"attorney general|fiscal general|procurador[a]? general|procureure? g[eé]n[eé]ral[e]?|"
    r"public prosecutor|prosecutor general|chief justice|inspector general(?: of police)?|"
    r"director general|commissioner|chief of (?:police|staff)|speaker|emir|king|queen|crown prince|"
    r"rey|reina|roi|reine|pr[ií]ncipe|prince|"
    r"governor|gobernador[a]?|gouverneure?|judge|juez[a]?|juge|general|mayor|alcalde(?:sa)?|maire|"
    r"senator|senador[a]?|s[eé]nateur|dr\.?|lic\.?|ing\.?|mr\.?|mrs\.?|ms\.?|sr\.?|sra\.?|srta\.?|"
    r"don|do[nñ]a|m\.|mme\.?|mlle\.?|monsieur|madame|señor|señora|sir|dame|lord|lady)\s+",
    re.I,
)
_FEMALE = re.compile(
    r"\b(madam|ms|mrs|miss|lady|dame|her excellency|señora|sra|srta|doña|estimada|distinguida|"
    r"presidenta|ministra|embajadora|gobernadora|procuradora|fiscala|jueza|senadora|alcaldesa|"
    r"primera ministra|madame|mme|mlle|ambassadrice|procureure|gouverneure|premi[eè]re ministre|"
    r"la ministre|la pr[eé]sidente|chere|secretaria|vicepresidenta|vice-pr[eé]sidente)\b\.?",
    re.I,
)
_MALE = re.compile(
    r"\b(sir|mr|lord|his excellency|señor|sr|don|estimado|distinguido|ministro|embajador|gobernador|"
    r"procurador|senador|primer ministro|monsieur|le ministre|le pr[eé]sident|cher|secretario|"
    r"vicepresidente)\b\.?|\bM\.(?=\s|$)",
    re.I,
)
ORG_WORDS = re.compile(
    r"\b(embassy|embajada|ambassade|ministry|ministerio|minist[eè]re|office|oficina|bureau|"
    r"secretar[ií]a|procuradur[ií]a|fiscal[ií]a|department|departamento|government|gobierno|"
    r"gouvernement|presidency|presidencia|pr[eé]sidence|cabinet|gabinete|commission|comisi[oó]n|"
    r"council|consejo|conseil|court|corte|tribunal|prison|c[aá]rcel|police|polic[ií]a|"
    r"institute|instituto|institut|agency|agencia|agence|mission|misi[oó]n|consulate|consulado|"
    r"consulat|parliament|parlamento|parlement|senate|senado|s[eé]nat|state of|estado de|"
    r"national|nacional|federal|republic|rep[uú]blica|r[eé]publique|board|authority|autoridad|"
    r"autorit[eé]|directorate|direcci[oó]n general|direction g[eé]n[eé]rale|committee|comit[eé])\b",
    re.I,
)


def role_of(*texts: str) -> tuple[str, str | None]:
    """The role named by a title or office, with the words that say so; 'other' if none."""
    for text in texts:
        if not text:
            continue
        folded = fold(text)
        for role, pattern in ROLE_WORDS:
            m = re.search(rf"\b(?:{fold(pattern)})\b", folded)
            if not m:
                continue
            if role == "head_of_state" and _NOT_STATE.search(folded):
                continue
            return role, text[m.start():m.end()]
    return "other", None


def gender_of(*texts: str) -> tuple[str, str | None]:
    """female/male when a salutation or gendered title says so, else unknown."""
    for text in texts:
        if not text:
            continue
        m = _FEMALE.search(text)
        if m:
            return "female", m.group(0)
        m = _MALE.search(text)
        if m:
            return "male", m.group(0)
    return "unknown", None


def salutation_language(text: str) -> str | None:
    first = fold(text).split()[0].rstrip(",:;") if text.split() else ""
    if first in ("dear", "your", "to", "sir", "madam", "hon.", "honourable", "honorable"):
        return "en"
    if first in ("senor", "senora", "estimado", "estimada", "excelentisimo", "excelentisima",
                 "distinguido", "distinguida", "sr.", "sra.", "apreciado", "apreciada", "excelencia",
                 "senores", "senoras", "estimados", "estimadas", "distinguidos", "distinguidas",
                 "apreciados", "apreciadas", "srs.", "sres."):
        return "es"
    if first in ("monsieur", "madame", "excellence", "cher", "chere", "mesdames", "messieurs", "chers", "cheres"):
        return "fr"
    return None


def _looks_like_name(line: str) -> bool:
    words = line.replace(",", " ").split()
    if not 1 < len(words) <= 7 or any(ch.isdigit() for ch in line) or "@" in line:
        return False
    if ORG_WORDS.search(line) or looks_like_address(line) or line.endswith((".", ":")):
        return False
    lower_ok = {"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "das", "van", "von",
                "der", "bin", "bint", "al", "el", "le", "du", "des", "ben", "ibn", "di", "af"}
    return all(w[0].isupper() or w.lower() in lower_ok or w[0] in "'(\""
               or w.split("-")[0].lower() in lower_ok and w.split("-")[-1][:1].isupper() for w in words)


@dataclass
class Value:
    """A value and the line it was read from."""

    value: str
    source: str
    printed: str | None = None  # the value as printed, when it is stored in another form


@dataclass
class Block:
    """Everything read from one target or copy recipient block."""

    source: list[str]
    name: Value | None = None
    title: Value | None = None
    office: Value | None = None
    role: str = "other"
    role_source: str | None = None
    gender: str = "unknown"
    gender_source: str | None = None
    surname: Value | None = None
    honorific: Value | None = None  # "Ayatollah", "Dr.", "H.E.": kept apart from the name
    address: ParsedAddress | None = None
    emails: list[Value] = field(default_factory=list)
    phones: list[Value] = field(default_factory=list)
    faxes: list[Value] = field(default_factory=list)
    twitter: list[Value] = field(default_factory=list)
    facebook: list[Value] = field(default_factory=list)
    instagram: list[Value] = field(default_factory=list)
    other_social: list[Value] = field(default_factory=list)
    salutations: dict[str, Value] = field(default_factory=dict)
    obfuscated: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)

    @property
    def has_contact(self) -> bool:
        return bool(self.emails or self.phones or self.faxes or self.twitter or self.address
                    or self.obfuscated)


def _split_numbers(value: str) -> list[str]:
    pieces = re.split(r"\s*(?:;|,|\bor\b|\bo\b|\bou\b|\s/\s|/\s)\s*", value)
    numbers = []
    for piece in pieces:
        piece = re.sub(r"\s*[-–]\s*", "-", piece.strip(" .;"))
        piece = re.sub(r"\s*\(\s*", " (", piece).replace(" )", ")").strip()
        if sum(ch.isdigit() for ch in piece) >= 6 and re.fullmatch(r"[+\d()\s.\-/x ext]+", piece, re.I):
            numbers.append(piece)
    return numbers


def _contact(line: str, block: Block) -> bool:
    """Read a labelled or self-evident contact line into ``block``; False if it is not one."""
    obf = OBFUSCATED.search(line)
    if obf:
        block.obfuscated.append(line)
    for kind in ("salutation", "email", "fax", "phone", "twitter", "facebook", "instagram", "social",
                 "web"):
        m = _LABEL_RE[kind].match(line)
        if not m:
            continue
        value = m["value"].strip()
        if kind == "twitter" and not HANDLE.search(value):
            continue
        if kind in ("phone", "fax") and sum(ch.isdigit() for ch in value) < 6:
            continue
        if kind == "email" and not (EMAIL.search(value) or obf):
            continue
        if kind in ("facebook", "instagram", "social", "web") and not value.strip(" /|"):
            continue
        if kind == "salutation":
            if not value:
                continue
            for piece in re.split(r"\s*/\s*|\s+or\s+|\s+o\s+|\s+ou\s+", value):
                piece = piece.strip(" ,:;")
                lang = salutation_language(piece) if piece else None
                if piece and lang and lang not in block.salutations:
                    block.salutations[lang] = Value(piece, line)
        elif kind == "email":
            block.emails += [Value(e, line) for e in EMAIL.findall(value)]
        elif kind == "phone":
            block.phones += [Value(n, line) for n in _split_numbers(value)]
        elif kind == "fax":
            block.faxes += [Value(n, line) for n in _split_numbers(value)]
        elif kind == "twitter":
            block.twitter += [Value("@" + h, line) for h in HANDLE.findall(value)]
        elif kind == "facebook":
            block.facebook.append(Value(value.strip(" /|"), line))
        elif kind == "instagram":
            block.instagram.append(Value(value.strip(" /|"), line))
        elif kind == "social":
            block.other_social.append(Value(value, line))
        return True
    if obf:
        return True
    emails = EMAIL.findall(line)
    if emails and len(line) < 120 and not _rest_of_email_line(line):
        block.emails += [Value(e, line) for e in emails]
        return True
    handles = HANDLE.findall(EMAIL.sub("", line))
    if handles and len(line.split()) <= len(handles) * 2 + 1:
        block.twitter += [Value("@" + h, line) for h in handles]
        return True
    return False


def _rest_of_email_line(line: str) -> str:
    """What an unlabelled email shares its line with ("Managua, Nicaragua x@y.org /")."""
    return EMAIL.sub("", line).strip(" /|,;-–•")


def _dedupe(values: list[Value]) -> list[Value]:
    seen, out = set(), []
    for v in values:
        key = v.value.lower()
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def parse_block(lines: list[str]) -> Block:
    """Read one block (see module docstring). Lines must be non-empty."""
    split: list[str] = []
    for line in lines:
        split += split_labels(line)
    block = Block(source=list(lines))
    rest: list[str] = []
    for line in split:
        line = deobfuscate(line)
        remainder = _rest_of_email_line(line) if EMAIL.search(line) and not any(
            _LABEL_RE[k].match(line) for k in ("email", "salutation")) else ""
        if remainder and sum(c.isalpha() for c in remainder) >= 3:
            # "Managua, Nicaragua nicaragua@oas.org": the address line, and an email on it
            block.emails += [Value(e, line) for e in EMAIL.findall(line)]
            line = remainder
        elif _contact(line, block):
            continue
        rest += [piece.strip(" ,;") for piece in _split_run_together(line)]
    rest = [r for r in rest if r]
    # who: lines before the first address line; where: the address lines after them
    who: list[str] = []
    where: list[str] = []
    for line in rest:
        if re.match(r"(?:c/o|a/c|aux bons soins)\b", line, re.I):
            where.append(line)
        elif where or (who and looks_like_address(line) and not _looks_like_name(line)):
            where.append(line)
        elif not who and looks_like_address(line) and any(ch.isdigit() for ch in line):
            where.append(line)
        else:
            who.append(line)
    name = title = office = None
    # "Zhongnanhai, Xichengqu" between the name and "Beijingshi 100017": a place, not an office
    for line in _place_lines_before_address(who, where):
        who.remove(line)
        where.insert(0, line)
    titles: list[str] = []
    offices: list[str] = []
    for line in who:
        m = TITLE_WORD.match(line)
        remainder = line[m.end():].strip() if m else ""
        pair = _name_and_position(line) if name is None else None
        org = _name_then_office(remainder) if name is None and m and (
            role_of(line[: m.end()])[0] != "other" or not _honorific_words(line[: m.end()])) else None
        if pair:
            name = pair[0]
            titles.append(pair[1])
        elif org:
            titles.append(line[: m.end()].strip())
            name = org[0]
            offices.append(org[1])
        elif name is None and _looks_like_name(line) and not m and role_of(line)[0] == "other":
            name = line
        elif name is None and m and _looks_like_name(remainder) and role_of(remainder)[0] == "other" \
                and " of " not in f" {fold(line)} " and " de " not in f" {fold(remainder)} " \
                and not re.match(r"(?:del|de|du|des|of|for|para|pour)\b", remainder):
            name = remainder
            prefix = line[: m.end()].strip()
            if role_of(prefix)[0] != "other":
                titles.append(prefix)
            else:
                block.gender, block.gender_source = gender_of(prefix)
        elif name is None and m and _looks_like_name(line) and role_of(line)[0] == "other":
            name = line  # an honorific only: "Mr Juan Pérez"
            block.gender, block.gender_source = gender_of(line[: m.end()])
            name = remainder
        elif ORG_WORDS.search(line) and (titles or role_of(line)[0] in ("other", "ambassador", "minister")) \
                and not _TITLE_START.match(fold(line)) and not _SECRETARY.match(line):
            offices.append(line)
        elif role_of(line)[0] != "other" or not titles:
            titles.append(line)
        else:
            offices.append(line)
    for k, line in enumerate(titles if name is None else []):
        # "Minister of Security" / "General de División Julián Pacheco": the name may end any title line
        split = _name_at_end(line, [l for l in who if l != line])
        if split:
            titles[k], name = split
            break
        # "Ministre de la Justice Leila Jaffel Ministère de la Justice": title, name, office
        orgs = [m for m in ORG_WORDS.finditer(line) if m.start() > 0 and line[m.start()].isupper()]
        if orgs and not offices:
            head, office_text = line[: orgs[-1].start()].strip(" ,"), line[orgs[-1].start():].strip()
            split = _name_at_end(head, [l for l in who if l != line])
            if split:
                titles[k], name = split
                offices.append(office_text)
                break
    titles = [t.strip(" ,;") for t in titles if t.strip(" ,;")]
    if titles:
        bare = _EXCELLENCY.sub("", titles[0])
        if bare != titles[0] and bare:
            if block.gender == "unknown":
                block.gender, block.gender_source = gender_of(titles[0])
            titles[0] = bare[:1].upper() + bare[1:]
        title = Value(" ".join(titles) if len(titles) <= 2 else titles[0], " / ".join(titles))
    if offices:
        office = Value(", ".join(offices), " / ".join(offices))
    if name:
        source = next((l for l in lines if name in l), name)
        name = _take_honorific(block, name, source, titles)
        block.name = Value(name, source)
    block.title, block.office = title, office
    role, role_source = role_of(title.value if title else "", office.value if office else "")
    block.role, block.role_source = role, role_source
    if block.gender == "unknown":
        texts = [v.value for v in block.salutations.values()] + ([title.value] if title else [])
        block.gender, block.gender_source = gender_of(*texts)
    if where:
        block.address = parse_address(where)
    block.emails, block.phones = _dedupe(block.emails), _dedupe(block.phones)
    block.faxes, block.twitter = _dedupe(block.faxes), _dedupe(block.twitter)
    block.facebook, block.instagram = _dedupe(block.facebook), _dedupe(block.instagram)
    for lang, sal in block.salutations.items():
        _surname_from(block, sal.value)
    return block


def _place_lines_before_address(who: list[str], where: list[str]) -> list[str]:
    """Lines at the end of ``who``, after the line that names the person, that name no
    office, position or person: the first lines of the address (a compound, a district)."""
    if not where:
        return []
    named = [k for k, line in enumerate(who) if _looks_like_name(TITLE_WORD.sub("", line, count=1))
             and role_of(TITLE_WORD.sub("", line, count=1))[0] == "other"]
    if not named:
        return []
    moved: list[str] = []
    for line in reversed(who[named[0] + 1:]):
        if ORG_WORDS.search(line) or role_of(line)[0] != "other" or TITLE_WORD.match(line) \
                or _looks_like_name(line) and "," not in line \
                or not ("," in line or any(c.isdigit() for c in line) or len(line.split()) <= 2):
            break
        moved.insert(0, line)
    return moved


# a line that starts with a position is a title, even if it names an office too
_TITLE_START = re.compile(
    r"^(?:the\s+|el\s+|la\s+|le\s+)?(?:vice[- ]?)?(?:president|minister|ministr[oa]|ministre|ambassad|"
    r"embajador|attorney|governor|gobernador|gouverneur|procur\w*|fiscal\b|prosecutor|supreme|head of|"
    r"chair|jefe|chef de|director|commissioner|mayor|alcalde|maire|vicepresident)")
_SECRETARY = re.compile(r"^(?:Secretari[oa]|Secr[ée]taire)\b(?! de Estado\b)|^Secretary\b", re.I)
_POSITION = re.compile(
    r"^(?:(?:executive|deputy|vice|acting|interim|chief|senior|general|state|federal|national)[- ]"
    r"|(?:sub|vice)[- ]?)?(?:chair(?:person|man|woman)?|president[ae]?|pr[ée]sidente?|director[a]?|directeur|directrice|"
    r"head|commissioner|comisionad[oa]|governor|gobernador[a]?|minister|ministr[oa]|ministre|"
    r"ambassador|embajador[a]?|ambassadeur|ambassadrice|attorney general|fiscal general|"
    r"secretary(?: general)?|secretari[oa](?: general)?|mayor|alcalde(?:sa)?|maire|"
    r"director(?:a)? general|directeur g[ée]n[ée]ral|directrice g[ée]n[ée]rale|chief executive(?: officer)?)$", re.I)


def _name_and_position(line: str) -> tuple[str, str] | None:
    """'David Gutiérrez, Chair' → ('David Gutiérrez', 'Chair')."""
    if "," not in line:
        return None
    head, _sep, tail = line.rpartition(",")
    head, tail = head.strip(), tail.strip()
    if _POSITION.match(tail) and _looks_like_name(head) and not TITLE_WORD.match(head):
        return head, tail
    return None


_OFFICE_LEAD = set(
    "supreme high federal national constitutional public people's peoples state central general "
    "royal presidential permanent interior foreign military regional provincial municipal "
    "suprema supremo nacional federal constitucional publico publica general estatal "
    "supreme nationale federale constitutionnel publique generale".split())


def _name_then_office(remainder: str) -> tuple[str, str] | None:
    """After a title word, 'Luz Adriana Camargo Fiscalía General de la Nación' → name, office
    (text copied from a web page runs them together on one line)."""
    m = ORG_WORDS.search(remainder)
    if not m or m.start() == 0:
        return None
    head, office = remainder[: m.start()].strip(" ,"), remainder[m.start():].strip()
    # "Zhou Qiang Supreme People's Court": "Supreme People's" belongs to the office
    words = head.split()
    while len(words) > 2 and fold(words[-1]).strip(",") in _OFFICE_LEAD:
        office = words.pop() + " " + office
    head = " ".join(words)
    # "Gobernadora Constitucional del Estado de Guerrero": "Constitucional del" is no name
    if head[:1].isupper() and head.split()[-1][:1].isupper() and _looks_like_name(head) and role_of(head)[0] == "other" \
            and len(head.split()) >= 2:
        return head, office
    return None


# honorifics and courtesy titles before a name; the gendered courtesy words ("Mr", "Sra.",
# "Mme") only give the gender, appeal writes its own for each language
_COURTESY = (r"mr|mrs|ms|miss|mister|sr|sra|srta|se[nñ]or|se[nñ]ora|se[nñ]orita|don|do[nñ]a|"
             r"m(?=\.)|mme|mlle|monsieur|madame|mademoiselle")
_HONOR = (r"h\.\s?e|s\.\s?e|his excellency|her excellency|su excelencia|son excellence|"
          r"excm[oa]|exm[oa]|excelent[ií]sim[oa]|ilm[oa]|(?:grand\s+)?ayatollah|ayatullah|"
          r"hojatoleslam|sheikh|shaikh|sheik|cheikh|jeque|sayyid|dr|dra|doctor|doctora|docteur|"
          r"lic|licda|licenciad[oa]|mtr[oa]|maestr[oa]|ing|prof|professor|profesor[a]?|gen(?=\.)|gral|"
          r"col(?=\.)|cnel|hon|the\s+honou?rable|honou?rable|rt\.?\s+hon|"
          r"sir|dame|lord|lady|ma[iî]tre|abogad[oa]|counsell?or|c(?=\.)")
_HON_WORD = re.compile(rf"(?:(?P<courtesy>{_COURTESY})|(?P<honor>{_HONOR}))\.?(?:\s+|$)", re.I)


def _honorific_words(text: str) -> list[tuple[str, bool]]:
    """``text`` as honorific words [(word, is_courtesy)], or [] if any word is something else."""
    out, pos = [], 0
    while pos < len(text):
        m = _HON_WORD.match(text, pos)
        if not m or m.end() == pos:
            return []
        out.append((m.group(0).strip(), bool(m["courtesy"])))
        pos = m.end()
    return out


def _take_honorific(block: Block, name: str, source: str, titles: list[str]) -> str:
    """Move honorifics at the start of ``name`` (or just before it on its line) to
    ``block.honorific``; gendered courtesy words give the gender. Returns the bare name."""
    words: list[tuple[str, bool]] = []
    tokens = name.split()
    k = 0
    while k < len(tokens):
        found = _honorific_words(tokens[k] + " ")
        if not found:
            break
        words += found
        k += 1
    if len(tokens) - k < 2:  # "Dr. Hassan": too little name left to be sure; keep it whole
        words, k = [], 0
    bare = " ".join(tokens[k:])
    at = source.find(name)
    if at > 0:
        before = source[:at].split()
        for j in range(len(before)):
            found = _honorific_words(" ".join(before[j:]) + " ")
            if found:
                words = found + words
                break
    # a title line that is only an honorific ("His Excellency" on a line of its own)
    if not words:
        return name
    text = " ".join(w for w, _c in words)
    if block.gender == "unknown":
        block.gender, block.gender_source = gender_of(text)
    kept: list[str] = []
    for n, (word, courtesy) in enumerate(words):
        if not courtesy or (kept and re.match(r"(?i)exc|exm|ilm", kept[-1])):
            kept.append(word)
    if kept and not (len(kept) == 1 and re.fullmatch(r"(?i)c\.?", kept[0])):
        block.honorific = Value(" ".join(kept), source)
    return bare


_EXCELLENCY = re.compile(r"^(?:h\.?\s?e\.?|his excellency|her excellency|su excelencia|"
                         r"son excellence)\s+", re.I)

_OFFICE_NOUNS = set(
    "public security affairs foreign home interior justice defence defense health labour labor "
    "human rights state republic general attorney national federal finance education "
    "seguridad publica relaciones exteriores interior justicia defensa salud trabajo derechos "
    "humanos estado republica general nacional federal gobernacion hacienda "
    "securite affaires etrangeres justice defense sante travail droits homme etat "
    "affaires interieur".split()
)


_PARTICLES = {"bin", "bint", "ibn", "ben", "al", "el", "de", "del", "la", "las", "los", "van", "von",
              "der", "da", "do", "dos", "das", "di", "du", "y"}


def _name_at_end(line: str, others: list[str]) -> tuple[str, str] | None:
    """'Minister of Public Security Wang Xiaohong' → (title, 'Wang Xiaohong'), when the line
    ends in two to four capitalised words that are not office words or a place after 'of'."""
    words = line.split()
    other_words = {fold(w) for o in others for w in o.split()}
    run: list[str] = []
    for word in reversed(words):
        f = fold(word.strip(",."))
        if run and f in _PARTICLES:
            run.insert(0, word)  # "Ali bin Samikh Al Marri", "Julio de la Vega"
            continue
        if not word[0].isupper() or f in _OFFICE_NOUNS or f in other_words or ORG_WORDS.search(word) \
                or role_of(word)[0] != "other":
            break
        run.insert(0, word)
    while run and fold(run[0]) in _PARTICLES:
        run.pop(0)
    capitals = [w for w in run if fold(w) not in _PARTICLES]
    if not 2 <= len(capitals) <= 5 or len(run) == len(words):
        return None
    before = fold(words[len(words) - len(run) - 1])
    if before in ("of", "de", "del", "la", "du", "des", "for", "para", "pour", "in", "en", "d'"):
        return None
    return " ".join(words[: len(words) - len(run)]), " ".join(run)


def _split_run_together(line: str) -> list[str]:
    """Who and where on one line: split before the first street word after a name."""
    if len(line.split()) < 8:
        return [line]
    m = _STREET_START.search(line)
    head = line[: m.start()].strip(" ,") if m else ""
    # "Av. Paseo de la Reforma 211": the street word is the head; no name before it
    if m and m.start() > 0 and not any(ch.isdigit() for ch in head) and len(head.split()) >= 2 \
            and not head.endswith("."):
        return [line[: m.start()].strip(" ,"), line[m.start():].strip()]
    return [line]


_STREET_START = re.compile(
    r"\b(?:No\.\s?\d+|Palacio|Palais|Palace|Av\.|Avenida|Avenue|Calle|Rue|Plaza|Place|Boulevard|"
    r"Paseo|Calzada|Carrera|P\.?O\.? Box|Apartado|BP|Edificio|Building|Immeuble|\d+)\b"
)


def _surname_from(block: Block, salutation: str) -> None:
    """'Dear President López Obrador' names the surname if its last words end the name."""
    if not block.name or block.surname:
        return
    words = salutation.rstrip(" ,:").split()
    name_words = block.name.value.split()
    for size in range(min(len(words) - 1, len(name_words) - 1, 3), 0, -1):
        tail = words[-size:]
        if [fold(w) for w in tail] == [fold(w) for w in name_words[-size:]] and all(
            w[0].isupper() for w in tail
        ):
            block.surname = Value(" ".join(name_words[-size:]), salutation)
            return


def matches_opening(block: Block, opening: str) -> bool:
    """True when a sample letter's opening names this target ("Dear President López Obrador")."""
    if not block.name:
        return False
    words = opening.rstrip(" ,:").split()
    name_words = [fold(w) for w in block.name.value.split()]
    for size in range(min(len(words) - 1, len(name_words), 3), 0, -1):
        tail = [fold(w) for w in words[-size:]]
        if tail == name_words[-size:] and words[-1][0].isupper():
            return True
    # family name first ("Dear President Xi" for Xi Jinping): after a title word only
    if len(words) >= 3 and len(name_words) >= 2 and words[-1][:1].isupper() \
            and role_of(" ".join(words[1:-1]))[0] != "other" and fold(words[-1]) == name_words[0]:
        return True
    return False


def is_country_line(line: str) -> bool:
    return bool(country_code(line))
