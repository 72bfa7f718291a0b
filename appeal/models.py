"""Typed, strict models of a case file (``letters/<case>/case.yaml``).

Strict means a misspelled field is an error, not silently ignored: a case file feeds letters to
heads of state, so every problem is reported at once with its file and field.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LANG_RE = r"^[a-z]{2,3}(-[A-Z]{2})?$"
Lang = Annotated[str, Field(pattern=LANG_RE)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
Localized = dict[Lang, str]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Role(str, Enum):
    head_of_state = "head_of_state"
    head_of_government = "head_of_government"
    ambassador = "ambassador"
    minister = "minister"
    prosecutor = "prosecutor"
    governor = "governor"
    judge = "judge"
    king = "king"  # a reigning monarch (king, queen, emir, sultan)
    other = "other"


class Gender(str, Enum):
    male = "male"
    female = "female"
    unknown = "unknown"


class PostalAddress(Strict):
    lines: list[str] = Field(min_length=1, description="Street lines, top to bottom")
    city_area: str | None = Field(None, description="Neighbourhood (colonia, bairro)")
    city: str
    postal_code: str | None = None
    region: str | None = Field(None, description="State or province, as the post expects it")
    country: CountryCode


class Target(Strict):
    id: Slug
    name: str = Field(min_length=1)
    surname: str | None = Field(None, description="For salutations such as 'Dear President X'")
    role: Role
    gender: Gender = Gender.unknown
    title: Localized = Field(default_factory=dict, description="Position, per language")
    honorific: Localized = Field(
        default_factory=dict,
        description="Honorific the UA puts before the name ('Ayatollah', 'Dr.', 'H.E.'); printed "
        "instead of the gendered one (Sr./Mr/Monsieur) in the address block",
    )
    office: Localized = Field(default_factory=dict, description="Office or organisation")
    address: PostalAddress | None = None
    emails: list[Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]] = []
    phones: list[str] = []
    faxes: list[str] = []
    twitter: list[Annotated[str, Field(pattern=r"^@[A-Za-z0-9_]{1,15}$")]] = []
    salutation: Localized = Field(
        default_factory=dict, description="Salutation given by the UA; wins over computed ones"
    )


class CaseSubject(Strict):
    name: str
    pronoun: str | None = None


class CopyRecipient(Strict):
    """Someone the UA asks supporters to send a copy to (not a target: no letter of its own)."""

    name: str = Field(min_length=1)
    details: list[str] = Field(default_factory=list, description="Office and address, as printed")
    emails: list[str] = []
    phones: list[str] = []
    faxes: list[str] = []
    twitter: list[str] = []


class Case(Strict):
    id: Slug
    ua_number: Annotated[str, Field(pattern=r"^\d{1,4}([./]\d{2,4})?$")]
    title: Localized = Field(min_length=1)
    country: CountryCode
    issued: dt.date | None = None
    deadline: dt.date | None = None
    deadline_text: str | None = Field(None, description="The deadline as the UA wrote it")
    preferred_language: Lang
    own_language_allowed: bool = True
    subject: CaseSubject | None = Field(
        None, description="People at risk; may be missing in an imported case whose UA omits it"
    )
    summary: Localized = Field(default_factory=dict)
    background: Localized = Field(default_factory=dict, description="The UA's additional information")
    targets: list[Target] = Field(min_length=1)
    salutation: Localized = Field(
        default_factory=dict,
        description="Salutation for every target that has none of its own, when the UA's sample "
        "letter greets several officials at once ('Estimados señores')",
    )
    copies_to: list[CopyRecipient] = Field(default_factory=list)
    letters: dict[Lang, str] = Field(min_length=1, description="Sample letter template per language")
    requested_language: Lang | None = Field(
        None,
        description="Language the UA asks letters to be written in when the case has no sample "
        "letter in it yet (preferred_language then names the language of the sample letter)",
    )
    source: str | None = Field(None, description="Where the case came from, e.g. the imported file")

    @field_validator("letters")
    @classmethod
    def _template_names_are_plain(cls, value: dict[str, str]) -> dict[str, str]:
        for lang, name in value.items():
            if not re.fullmatch(r"[A-Za-z0-9._-]+\.j2", name) or name.startswith("."):
                raise ValueError(f"letters.{lang}: {name!r} must be a file name ending in .j2")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "Case":
        ids = [t.id for t in self.targets]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"targets: duplicate id(s) {', '.join(dupes)}")
        if self.preferred_language.split("-")[0] not in {k.split("-")[0] for k in self.letters}:
            raise ValueError(
                f"preferred_language {self.preferred_language!r} has no sample letter in 'letters'"
            )
        return self

    def title_in(self, lang: str) -> str:
        return pick(self.title, lang)

    @property
    def languages(self) -> list[str]:
        return sorted(self.letters)


def pick(values: dict[str, str], lang: str, fallback: str | None = "en") -> str:
    """The value for ``lang`` (``es-MX`` then ``es``), else the fallback language, else any."""
    base = lang.split("-")[0]
    for key in (lang, base, fallback):
        if key and key in values:
            return values[key]
    return next(iter(values.values()), "")
