"""Case + target + supporter + edits → :class:`~appeal.letter.Letter`.

This is where every word of a letter is decided: the sample letter rendered in Jinja2's
sandbox, the supporter's own paragraph, the forms of address, the localised dateline and the
recipient's address. User text only ever enters templates as data.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from . import forms
from .addresses import country_name, format_address, sender_language
from .cases import MAX_TEMPLATE, LoadedCase, choose_targets  # noqa: F401 - also re-exported
from .errors import AppealError, UsageError, message
from .i18n import N_, _
from .letter import Letter, SignatureImage
from .models import Target, json_data, pick
from .paper import paper_for
from .readiness import require
from .signature import read_signature
from .frame import strip_frame
from .text import clean_field, paragraphs
from .typography import for_language

# CLDR "territories" that are not countries a letter can come from: unknown region, EU,
# eurozone, UN, outlying Oceania, pseudo-locales.
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})
_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\.]+")


@dataclass(frozen=True, slots=True)
class Supporter:
    """Who signs. Only ``name`` is required; everything else improves the letter."""

    name: str
    city: str | None = None
    country: str | None = None  # ISO 3166 alpha-2, e.g. "MX"
    address: str | None = None  # postal address, one line per line
    email: str | None = None

    def cleaned(self) -> Supporter:
        name = clean_field(self.name, message(N_("name")))
        if not name:
            raise AppealError(_("name: must not be empty."), _("Give the name you sign with."))
        country = clean_field(self.country, message(N_("country"))) if self.country else None
        # Checked before upper-casing: "ß".upper() is "SS" (South Sudan), "ﬀ".upper() is "FF".
        if country and (len(country) != 2 or not country.isascii() or not country.isalpha()):
            raise AppealError(
                _("country: '{value}' is not a two-letter country code.").format(
                    value=country.upper()),
                _("Use an ISO code such as MX, US, ES, DE."),
            )
        country = country.upper() if country else None
        if country and (country not in Locale("en").territories or country in NOT_COUNTRIES):
            raise AppealError(_("country: unknown country code '{value}'.").format(value=country))
        email = clean_field(self.email, message(N_("email"))) if self.email else None
        if email and not _EMAIL.fullmatch(email):
            raise AppealError(_("email: '{value}' is not an email address.").format(value=email))
        return Supporter(
            name=name,
            city=clean_field(self.city, message(N_("city"))) or None if self.city else None,
            country=country,
            address=clean_field(self.address, message(N_("address")), multiline=True) if self.address else None,
            email=email,
        )


@dataclass(frozen=True)
class Edits:
    """The supporter's changes to the sample letter."""

    note: str | None = None  # an extra paragraph (or several) of their own
    body: str | None = None  # replaces the sample letter's body entirely


@dataclass(frozen=True)
class Options:
    lang: str | None = None  # letter language; default: the case's preferred language
    date: dt.date | None = None  # default: today
    paper: str | None = None  # "a4" / "letter"; default: by the supporter's country
    signature: bytes | None = None  # PNG or JPEG of a handwritten signature
    targets: tuple[str, ...] = field(default_factory=tuple)  # target ids; default: all
    output: str = "letter"  # what the letter is for (appeal.readiness): "print" needs an address


def choose_language(loaded: LoadedCase, requested: str | None) -> str:
    """The case's template key for ``requested`` (``es-MX`` finds ``es``), or a usage error."""
    case = loaded.case
    wanted = (requested or case.preferred_language).strip().replace("_", "-")
    available = case.languages
    for key in (wanted, wanted.split("-")[0]):
        for lang in available:
            if lang.lower() == key.lower():
                forms.framing(lang)  # fails clearly if we cannot frame this language
                return lang
    raise UsageError(
        _("Case {case} has no sample letter in '{lang}'.").format(case=case.id, lang=wanted),
        _("Available languages: {langs}").format(langs=", ".join(available)),
    )


@lru_cache(maxsize=256)
def document_locale(lang: str, *countries: str | None) -> str:
    """BCP 47 tag for the letter: the language with the first country Babel knows it in."""
    base = lang.split("-")[0]
    if "-" in lang:
        return lang
    for country in countries:
        if not country:
            continue
        try:
            Locale.parse(f"{base}_{country}")
        except (ValueError, LookupError, UnknownLocaleError):
            continue
        return f"{base}-{country}"
    return base


@lru_cache(maxsize=64)
def _regional(requested: str | None, lang: str) -> str:
    """``requested`` as a BCP 47 tag when it names a region of ``lang`` ("en-GB" for an "en"
    template), else ``lang``: an explicit --lang en-GB letter is British."""
    wanted = (requested or "").strip().replace("_", "-")
    if "-" not in wanted or wanted.split("-")[0].lower() != lang.split("-")[0].lower():
        return lang
    try:
        locale = Locale.parse(wanted, sep="-")
    except (ValueError, LookupError, UnknownLocaleError):
        return lang
    return f"{locale.language}-{locale.territory}" if locale.territory else lang


@lru_cache(maxsize=64)
def _long_date(day: dt.date, locale: str) -> str:
    """The long date in ``locale``: the same for every letter of a batch."""
    return format_date(day, "long", locale=locale.replace("-", "_"))


@lru_cache(maxsize=64)
def _template(path: str, version: tuple):
    from jinja2 import StrictUndefined

    from .files import read_in_folder
    from .sandbox import BudgetedEnvironment

    folder, name = os.path.split(path)
    # A regular file inside the case folder only: a template linked to /etc/passwd or a
    # secrets file would put that file into the letter (and into an email).
    raw = read_in_folder(Path(folder), name, MAX_TEMPLATE * 4)  # 4 bytes a character at most
    source = "" if len(raw) > MAX_TEMPLATE * 4 else raw.decode("utf-8")
    if len(raw) > MAX_TEMPLATE * 4 or len(source) > MAX_TEMPLATE:
        raise AppealError(_("{path}: the sample letter template is too large.").format(path=path))
    env = BudgetedEnvironment(
        undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(source), _depends_on(env, source)


def _depends_on(env, source: str) -> frozenset[str] | None:
    """The context names a template reads, or None if its output may differ between two
    renders with the same context (the ``random`` filter, ``lipsum``): then it is never
    memoised. A template that reads no ``supporter`` gives every signer the same body."""
    from jinja2 import meta, nodes

    tree = env.parse(source)
    for node in tree.find_all((nodes.Filter, nodes.Name)):
        if (isinstance(node, nodes.Filter) and node.name == "random") or (
                isinstance(node, nodes.Name) and node.name == "lipsum"):
            return None
    return frozenset(meta.find_undeclared_variables(tree))


# Bodies already rendered: (case, template, version, target, language, signer if read) ->
# (case, target, paragraphs). The case and target are kept and compared by identity, so an
# entry is never taken for another case object that happens to reuse an id.
_BODIES: dict[tuple, tuple] = {}
_BODIES_MAX = 64


def template_for(loaded: LoadedCase, lang: str, locale: str):
    """The sample letter for ``locale``: a regional variant next to the language's template
    (``letter.en-GB.j2`` beside ``letter.en.j2`` for an en-GB letter), else the language's."""
    path = loaded.template_path(lang)
    marker = f".{lang}."
    if locale.lower() != lang.lower() and marker in path.name:
        variant = path.with_name(path.name.replace(marker, f".{locale}.", 1))
        if variant.is_file():
            return variant
    return path


def _body_paragraphs(loaded: LoadedCase, lang: str, target: Target, supporter: Supporter,
                     locale: str) -> tuple[str, ...]:
    """The sample letter's paragraphs for this target; rendered once per batch when the
    template gives every signer the same text (most do: the sample letter has no fields)."""
    path = template_for(loaded, lang, locale)
    try:
        st = path.lstat()
    except OSError:
        return tuple(paragraphs(_render_body(loaded, lang, target, supporter, locale)))
    version = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_mode)
    try:
        _tpl, reads = _template(str(path), version)
    except Exception:  # reported, with the template's name, by _render_body
        reads = None
    if reads is None:
        return tuple(paragraphs(_render_body(loaded, lang, target, supporter, locale)))
    signer = ((supporter.name, supporter.city, supporter.country)
              if "supporter" in reads else None)
    key = (id(loaded.case), str(path), version, id(target), lang, signer)
    hit = _BODIES.get(key)
    if hit is not None and hit[0] is loaded.case and hit[1] is target:
        return hit[2]
    paras = tuple(paragraphs(_render_body(loaded, lang, target, supporter, locale)))
    if len(_BODIES) >= _BODIES_MAX:
        _BODIES.clear()
    _BODIES[key] = (loaded.case, target, paras)
    return paras


def _render_body(loaded: LoadedCase, lang: str, target: Target, supporter: Supporter,
                 locale: str | None = None) -> str:
    """The template filled in, in the budgeted sandbox; any failure names the template.

    A case folder is user input like any other: its template may not parse, may not be UTF-8,
    may divide by zero or ask for more work than a letter needs, and its output is checked by
    the same gate as typed text (no control characters reach a DOCX)."""
    from jinja2 import TemplateError

    from .sandbox import TemplateBudgetError, render_budgeted

    path = template_for(loaded, lang, locale or lang)

    def failed(error) -> AppealError:
        return AppealError(
            _("{path}: the sample letter could not be filled in: {error}").format(
                path=path, error=error
            ),
            _("Fix the template; user text is never run as template code."),
        )

    try:
        st = path.lstat()  # the link itself, if it is one: refused when read
        template, _reads = _template(str(path), (st.st_mtime_ns, st.st_size, st.st_ino,
                                                 st.st_mode))
        text = render_budgeted(
            template,
            target=json_data(target),
            case=json_data(loaded.case),
            supporter={"name": supporter.name, "city": supporter.city, "country": supporter.country},
            lang=lang,
        )
    except AppealError:
        raise
    except TemplateBudgetError as exc:
        raise failed(_("the template asks for too much work: {why}").format(why=_(str(exc))))
    except UnicodeDecodeError as exc:
        raise failed(_("not valid UTF-8 at byte {pos}").format(pos=exc.start + 1))
    except OSError as exc:
        raise failed(exc.strerror or exc)
    except RecursionError:
        raise failed(_("it calls itself without end"))
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError,
            AttributeError, MemoryError) as exc:
        raise failed(f"{exc.__class__.__name__}: {exc}" if not isinstance(exc, TemplateError)
                     else exc)
    return clean_field(text, str(path), multiline=True, limit="template")


def _recipient_block(target: Target, lang: str, sender_country: str | None) -> tuple[str, ...]:
    # A UA's own honorific ("Excmo. Sr.", "Ayatollah") is printed only in letters of the
    # language it was written in; other languages use their own table entry ("Herrn").
    own = target.honorific.get(lang) or target.honorific.get(lang.split("-")[0])
    honorific = own or forms.honorific(target, lang)
    lines = [f"{honorific} {target.name}".strip()]
    for localized in (target.title, target.office):
        if localized:
            lines.append(pick(localized, lang))
    if target.address:
        lines += format_address(target.address, sender_country, lang)
    return tuple(lines)


def compose(
    loaded: LoadedCase,
    target: Target,
    supporter: Supporter,
    edits: Edits = Edits(),
    options: Options = Options(),
    *,
    signature: SignatureImage | None = None,
) -> Letter:
    """One letter for one target. ``supporter`` and ``edits`` must already be cleaned."""
    case = loaded.case
    require(loaded, options.output, [target])  # a draft's gaps: a clear error, not "None"
    lang = choose_language(loaded, options.lang)
    frame = forms.framing(lang)
    doc_lang = document_locale(
        _regional(options.lang, lang), supporter.country, case.country,
        target.address.country if target.address else None
    )
    day = options.date or dt.date.today()
    date_text = _long_date(day, doc_lang)
    date_line = (
        frame["place_date"].format(place=supporter.city, date=date_text)
        if supporter.city
        else date_text
    )
    salutation = forms.salutation(target, lang, case.salutation)
    closing = forms.closing(target, lang, case.salutation, doc_lang)
    trimmed: tuple[str, ...] = ()
    if edits.body is not None:
        paras, trimmed = strip_frame(paragraphs(edits.body), lang, salutation, closing,
                                     supporter.name)
    else:
        paras = list(_body_paragraphs(loaded, lang, target, supporter, doc_lang))
    if edits.note:
        paras += paragraphs(edits.note)
    if not paras:
        raise AppealError(_("The letter has no text."), _("Give a body or leave it to the case."))
    sender = [supporter.name]
    if supporter.address:
        sender += [line for line in supporter.address.split("\n") if line.strip()]
    destination = target.address.country if target.address else case.country
    if supporter.address and supporter.country and destination and supporter.country != destination:
        # A reply comes from abroad: the sender's country line, in the same language as the
        # envelope's (the sender's post office's).
        sender.append(country_name(supporter.country,
                                   sender_language(supporter.country, lang)).upper())
    return_line = " · ".join(sender) if supporter.address else ""
    if supporter.email:
        sender.append(supporter.email)
    title = case.title_in(lang)
    pattern = frame["reference"] if case.ua_number else frame["reference_no_ua"]
    reference = pattern.format(title=title, ua=case.ua_number)
    typo = for_language(lang)
    return Letter(
        case_id=case.id,
        target_id=target.id,
        lang=doc_lang,
        paper=paper_for(supporter.country, options.paper),
        sender=tuple(sender),
        date_line=date_line,
        recipient=_recipient_block(target, lang, supporter.country),
        subject=typo(frame["reference_label"] + reference),
        salutation=typo(salutation),
        paragraphs=tuple(typo(p) for p in paras),
        closing=typo(closing),
        signature_name=supporter.name,
        signature_image=signature,
        return_line=return_line,
        title=typo(reference),
        author=supporter.name,
        description=title,
        recipient_emails=tuple(target.emails),
        trimmed=trimmed,
    )


def clean_edits(edits: Edits) -> Edits:
    return Edits(
        note=clean_field(edits.note, message(N_("note")), multiline=True, limit="note") or None
        if edits.note
        else None,
        body=clean_field(edits.body, message(N_("body")), multiline=True, limit="body") if edits.body else None,
    )


def compose_letters(
    loaded: LoadedCase,
    supporter: Supporter,
    edits: Edits = Edits(),
    options: Options = Options(),
) -> list[Letter]:
    """Clean the user's input once, then compose one letter per selected target."""
    supporter = supporter.cleaned()
    edits = clean_edits(edits)
    signature = read_signature(options.signature) if options.signature is not None else None
    targets = choose_targets(loaded, options.targets)
    require(loaded, options.output, targets)  # before the language: "no sample letter" first
    choose_language(loaded, options.lang)
    return [compose(loaded, target, supporter, edits, options, signature=signature)
            for target in targets]
