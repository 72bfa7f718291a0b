"""Address lines as a UA prints them → the parts of a :class:`~appeal.models.PostalAddress`.

UAs print addresses as the sender should copy them, in two to five lines with commas in
odd places ("Ciudad de México, C.P. 06066, México"). We only take apart what is plainly
there: a country name, a postal code next to a city, a "Col."/"Colonia" neighbourhood, a
US state with its ZIP code. Anything uncertain stays in the street lines; nothing is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import country_code, fold

US_STATES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
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
        "," in line and bool(country_code(last)) and len(line.split()) <= 6)


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


def parse_address(raw_lines: list[str]) -> ParsedAddress:
    """Split address lines into street lines, area, city, postal code, region and country."""
    result = ParsedAddress(raw=list(raw_lines))
    # parts keep (line index, text) so the street lines can be put back as printed
    parts: list[tuple[int, str]] = []
    for i, line in enumerate(raw_lines):
        for piece in line.split(","):
            piece = piece.strip(" ;.\t") if piece.strip().endswith((";",)) else piece.strip(" ;\t")
            if piece:
                parts.append((i, piece))
    if not parts:
        return result
    # country: the last part, alone ("México") or after a postal code ("75008 Paris France")
    code = country_code(parts[-1][1])
    if code:
        result.country, result.country_source = code, parts[-1][1]
        parts.pop()
    # postal code and city, searched from the end
    for k in range(len(parts) - 1, -1, -1):
        i, text = parts[k]
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
            result.postal_code = m["postal"]
            if rest and not _STREETISH.search(fold(_CEDEX.sub("", rest)).replace(m["postal"], "")):
                result.city, used, tail = rest, [k], k + 1
            elif k > 0 and not _AREA.match(parts[k - 1][1]):
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
