"""Typed, strict models of a case file (``letters/<case>/case.yaml``).

Strict means a misspelled field is an error, not silently ignored: a case file feeds letters to
heads of state, so every problem is reported at once with its file and field.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import weakref
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import Message, message
from .i18n import N_

LANG_RE = r"^[a-z]{2,3}(-[A-Z]{2})?$"
Lang = Annotated[str, Field(pattern=LANG_RE)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
Localized = dict[Lang, str]


class CaseProblem(ValueError):
    """A validator's finding, as a translatable :class:`~appeal.errors.Message`."""

    def __init__(self, text: Message):
        super().__init__(str(text))
        self.text = text


class Strict(BaseModel):
    # defer_build: pydantic builds a model's validator and serializer when first used, not at
    # import; a command that reads its case from the cache (``cases.read_case``) uses neither.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              defer_build=True)


# ``model.model_dump(mode="json")`` of models read from the cache, dumped when the case was
# validated (the first dump would otherwise build pydantic's serializer: ~50 ms of a compose).
_JSON_DATA: dict[int, tuple[weakref.ref, dict]] = {}


def remember_json_data(model: BaseModel, data: dict) -> None:
    """Record ``data`` as ``model``'s JSON dump (the case cache does, for what it stored); the
    record goes when the model does (a server reading a case per request keeps no pile)."""
    if id(model) not in _JSON_DATA:
        weakref.finalize(model, _JSON_DATA.pop, id(model), None)
    _JSON_DATA[id(model)] = (weakref.ref(model), data)


def json_data(model: BaseModel) -> dict:
    """``model.model_dump(mode="json")``: a fresh copy of the recorded dump when there is one."""
    known = _JSON_DATA.get(id(model))
    if known is not None and known[0]() is model:
        return copy.deepcopy(known[1])
    return model.model_dump(mode="json")


class Role(str, Enum):  # noqa: UP042 - str() of a member stays 'Role.x'
    head_of_state = "head_of_state"
    head_of_government = "head_of_government"
    ambassador = "ambassador"
    minister = "minister"
    prosecutor = "prosecutor"
    governor = "governor"
    judge = "judge"
    king = "king"  # a reigning monarch (king, queen, emir, sultan)
    other = "other"


class Gender(str, Enum):  # noqa: UP042 - as Role
    male = "male"
    female = "female"
    unknown = "unknown"


class PostalAddress(Strict):
    lines: list[str] = Field(min_length=1, description="Street lines, top to bottom")
    city_area: str | None = Field(None, description="Neighbourhood (colonia, bairro)")
    city: str | None = Field(None, description="Missing only in a draft case")
    postal_code: str | None = None
    region: str | None = Field(None, description="State or province, as the post expects it")
    country: CountryCode | None = Field(None, description="Missing only in a draft case")
    printed: list[str] = Field(
        default_factory=list,
        description="The address as the UA printed it (set by 'appeal import'; the parts above "
        "are read from it)",
    )


class Target(Strict):
    id: Slug
    name: str | None = Field(None, min_length=1, description="Missing only in a draft case")
    surname: str | None = Field(None, description="For salutations such as 'Dear President X'")
    role: Role = Role.other
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
    facebook: list[str] = Field(default_factory=list, description="Facebook pages, as printed")
    instagram: list[str] = Field(default_factory=list, description="Instagram accounts, as printed")
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


Status = Literal["complete", "draft"]


class Case(Strict):
    id: Slug
    status: Status = Field(
        "complete",
        description="'draft': an imported case that still lacks fields (see missing_fields); "
        "it is kept and shown, and each output refuses only what it cannot do without them",
    )
    ua_number: Annotated[str, Field(pattern=r"^\d{1,4}([./]\d{2,4})?$")] | None = None
    ua_type: str | None = Field(
        None, description="What the UA says it is besides its title ('Urgent Action Update', "
        "'Further information', 'Cuarta AU'), kept out of the title")
    title: Localized = Field(default_factory=dict)
    country: CountryCode | None = None
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
    targets: list[Target] = Field(default_factory=list)
    salutation: Localized = Field(
        default_factory=dict,
        description="Salutation for every target that has none of its own, when the UA's sample "
        "letter greets several officials at once ('Estimados señores')",
    )
    copies_to: list[CopyRecipient] = Field(default_factory=list)
    letters: dict[Lang, str] = Field(
        default_factory=dict, description="Sample letter template per language"
    )
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
                raise CaseProblem(message(
                    N_("letters.{lang}: '{name}' must be a file name ending in .j2"),
                    lang=lang, name=name))
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _complete_has_required(cls, data, handler):
        """A complete case needs what every letter needs; report it with the other problems.

        (An 'after' validator would not run while other fields fail, and the user must see
        every problem at once.)"""
        absent = _absent_for_complete(data)
        try:
            case = handler(data)
        except ValidationError as err:
            if not absent:
                raise
            reported = {e["loc"] for e in err.errors()}
            extra = [a for a in absent if a["loc"] not in reported]
            raise ValidationError.from_exception_data(
                cls.__name__, [_detail(e) for e in err.errors()] + extra) from None
        if absent:
            raise ValidationError.from_exception_data(cls.__name__, absent)
        return case

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        ids = [t.id for t in self.targets]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise CaseProblem(message(N_("targets: the same id is used twice: {ids}"),
                                      ids=", ".join(dupes)))
        if self.letters and self.preferred_language.split("-")[0] not in {
            k.split("-")[0] for k in self.letters
        }:
            raise CaseProblem(message(
                N_("preferred_language '{lang}' has no sample letter in 'letters'"),
                lang=self.preferred_language))
        return self

    def title_in(self, lang: str) -> str:
        return pick(self.title, lang)

    @property
    def languages(self) -> list[str]:
        return sorted(self.letters)


REQUIRED_FOR_COMPLETE = ("ua_number", "title", "country", "targets", "letters")


def _absent_for_complete(data) -> list[dict]:
    """Error details for required values a raw complete case lacks (empty list for drafts)."""
    if not isinstance(data, dict) or data.get("status", "complete") != "complete":
        return []
    locs: list[tuple] = [(k,) for k in REQUIRED_FOR_COMPLETE if not data.get(k)]
    targets = data.get("targets")
    for i, t in enumerate(targets if isinstance(targets, list) else []):
        if not isinstance(t, dict):
            continue
        if not t.get("name"):
            locs.append(("targets", i, "name"))
        address = t.get("address")
        if isinstance(address, dict):
            locs += [("targets", i, "address", part) for part in ("city", "country")
                     if not address.get(part)]
    return [{"type": "missing", "loc": loc, "input": data} for loc in locs]


def _detail(error: dict) -> dict:
    detail = {"type": error["type"], "loc": error["loc"], "input": error.get("input")}
    if "ctx" in error:
        detail["ctx"] = error["ctx"]
    return detail


def missing_fields(case: Case) -> list[str]:
    """Paths of the fields a case lacks, in file order ('ua_number', 'targets[1].address').

    The single source for what makes a case a draft: the importer writes ``status: draft`` when
    this is not empty, and ``appeal check`` / compose say which output each gap blocks. A missing
    deadline, issue date or a target's address or email is listed too: a letter can still be made
    without them, but the user should know."""
    out = [name for name in ("ua_number", "title", "country", "deadline")
           if not getattr(case, name)]
    if not case.targets:
        out.append("targets")
    for i, t in enumerate(case.targets):
        if not t.name:
            out.append(f"targets[{i}].name")
        if t.address is None:
            out.append(f"targets[{i}].address")
        else:
            out += [f"targets[{i}].address.{part}" for part in ("city", "country")
                    if not getattr(t.address, part)]
    if not case.letters:
        out.append("letters")
    return out


def pick(values: dict[str, str], lang: str, fallback: str | None = "en") -> str:
    """The value for ``lang`` (``es-MX`` then ``es``), else the fallback language, else any."""
    base = lang.split("-")[0]
    for key in (lang, base, fallback):
        if key and key in values:
            return values[key]
    return next(iter(values.values()), "")
