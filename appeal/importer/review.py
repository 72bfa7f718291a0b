"""The review printed after an import: what was found (with its source text), what was not.

The user checks this before printing fifty letters, so every value is shown next to the words
of the document it came from, and every expected field that is absent is listed by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..i18n import _
from .blocks import Block
from .parse import Extraction


@dataclass
class Review:
    found: list[tuple[str, str, str]] = field(default_factory=list)  # label, value, source
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    targets: list[list[tuple[str, str, str]]] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # label → "page footer" and the like
    draft: bool = False
    gaps: list[str] = field(default_factory=list)  # what a complete case still needs, in words
    shape: list[str] = field(default_factory=list)  # why the document looks like a UA


def _short(text: str, size: int = 70) -> str:
    """A value on one line, whole: the user checks postal codes and cities in the review, so
    nothing is ever cut (``size`` is kept for callers; it no longer shortens)."""
    return " ".join(str(text).split())


def _gap_words(path: str, data: dict) -> str:
    """'targets[1].address.city' → 'target 2 (Yasser Reda): city of the postal address'."""
    labels = {"ua_number": _("UA number (give it with --ua if the UA prints none)"),
              "title": _("title"), "country": _("country"), "deadline": _("deadline"),
              "targets": _("targets (officials to write to)"),
              "letters": _("sample letter (letter.<lang>.j2 and 'letters' in case.yaml)")}
    if path in labels:
        return labels[path]
    m = re.match(r"targets\[(\d+)\]\.(.+)$", path)
    if not m:
        return path
    n = int(m[1])
    targets = data.get("targets") or []
    who = targets[n].get("name") if n < len(targets) else None
    part = {"name": _("name"), "address": _("postal address"),
            "address.city": _("city of the postal address"),
            "address.country": _("country of the postal address")}.get(m[2], m[2])
    head = _("target {n} ({name})").format(n=n + 1, name=who) if who else \
        _("target {n}").format(n=n + 1)
    return f"{head}: {part}"


def _fields() -> list[tuple[str, str]]:
    return [
        ("ua_number", _("UA number")),
        ("ua_type", _("UA type")),
        ("title", _("title")),
        ("country", _("country")),
        ("issued", _("issue date")),
        ("deadline", _("deadline")),
        ("preferred_language", _("preferred language")),
        ("own_language_allowed", _("own language allowed")),
        ("subject_name", _("people at risk")),
        ("subject_pronoun", _("pronoun")),
        ("summary", _("summary")),
        ("background", _("background")),
    ]


def _target_rows(block: Block) -> tuple[list[tuple[str, str, str]], list[str]]:
    rows, missing = [], []

    def add(label: str, value, source: str | None) -> None:
        rows.append((label, _short(value), _short(source or "", 60)))

    for k, (label, v) in enumerate(((_("name"), block.name), (_("honorific"), block.honorific),
                                    (_("title"), block.title), (_("office"), block.office))):
        if v:
            add(label, v.value, v.source)
        elif k == 0:
            missing.append(_("name of the person (the title is used instead)"))
    add(_("role"), block.role, block.role_source or _("no title word recognised"))
    add(_("gender"), block.gender, block.gender_source or _("not stated"))
    if block.surname:
        add(_("surname"), block.surname.value, block.surname.source)
    if block.address:
        a = block.address
        add(_("address"), " / ".join(a.raw), None)
        parts = [(_("street"), " / ".join(a.lines)), (_("area"), a.city_area),
                 (_("postal code"), a.postal_code), (_("city"), a.city), (_("region"), a.region),
                 (_("country"), a.country)]
        add(_("address parts"), "; ".join(f"{k}: {v}" for k, v in parts if v), None)
        if not a.complete:
            lacking = [n for n, v in ((_("street lines"), a.lines), (_("city"), a.city),
                                      (_("country"), a.country)) if not v]
            missing.append(_("a complete postal address (no {parts} read from the printed "
                             "lines; add them in case.yaml)").format(parts=", ".join(lacking)))
    else:
        missing.append(_("postal address"))
    for label, values in ((_("email"), block.emails), (_("phone"), block.phones),
                          (_("fax"), block.faxes), (_("twitter"), block.twitter),
                          (_("facebook"), block.facebook), (_("instagram"), block.instagram)):
        for v in values:
            add(label, v.value, v.source)
    for v in block.other_social:
        add(_("other social media (not stored)"), v.value, v.source)
    for lang, v in block.salutations.items():
        add(_("salutation") + f" ({lang})", v.value, v.source)
    for line in block.obfuscated:
        missing.append(_("email: hidden by the web page as '[email protected]' in \"{line}\"; "
                         "copy it from the original UA").format(line=_short(line, 60)))
    if not (block.emails or block.phones or block.faxes or block.twitter or block.address):
        missing.append(_("any way to contact this target"))
    return rows, missing


def build_review(x: Extraction, plan_data: dict, gaps: list[str] | None = None) -> Review:
    r = Review()
    r.draft = plan_data.get("status") == "draft"
    r.gaps = [_gap_words(g, plan_data) for g in gaps or []]
    r.shape = list(x.shape)
    for key, label in _fields():
        found = x.fields.get(key)
        if found is None:
            if key != "ua_type":  # most UAs are not updates: nothing to report
                r.missing.append(label)
            continue
        value = found.value
        if key == "deadline" and x.get("deadline_text"):
            value = f"{value} ({x.get('deadline_text')})"
        if key in ("summary", "background"):
            paras = str(value).split("\n\n")
            value = _("{n} paragraph(s), {words} words (see case.yaml)").format(
                n=len(paras), words=len(str(value).split()))
        source = _short(found.source, 70) + (f" [{found.note}]" if found.note else "")
        if key in ("summary", "background"):
            source = ""  # the value line already says where to read it
        r.found.append((label, _short(value), source))
        if found.origin:
            r.origins[label] = found.origin
    targets = plan_data.get("targets", [])
    for block, data in zip(x.targets, targets):
        rows, missing = _target_rows(block)
        rows.insert(0, (_("id"), data["id"], ""))
        rows += [(_("missing"), m, "") for m in missing]
        r.targets.append(rows)
    for c in plan_data.get("copies_to", []):
        r.copies.append(_short(", ".join([c["name"], *c.get("details", []), *c.get("emails", [])]), 110))
    if not x.copies:
        r.missing.append(_("copies to (none in the UA, or not recognised)"))
    letter = x.letter
    if letter:
        r.found.append((_("sample letter"), _("{n} paragraph(s) in '{lang}'").format(
            n=len(letter.paragraphs), lang=letter.lang), _short(letter.source, 70)))
        if x.get("common_salutation"):
            r.found.append((_("common salutation"), _short(letter.opening), ""))
            r.warnings.append(_(
                "The sample letter greets several people (\"{opening}\"), so no single target "
                "gets that salutation: every target without one of its own is greeted with it. "
                "Edit 'salutation' in case.yaml if each letter should greet one person."
            ).format(opening=_short(letter.opening, 60)))
        elif letter.opening:
            r.found.append((_("letter opening"), _short(letter.opening), ""))
        else:
            r.missing.append(_("letter opening"))
        if letter.closing:
            r.found.append((_("letter closing"), _short(letter.closing), ""))
        elif not letter.from_points:
            r.missing.append(_("letter closing (the letter may be cut short: check its end)"))
        if letter.from_points:
            r.warnings.append(_("The UA has no sample letter: the template holds its appeal points. "
                                "Turn them into sentences before printing."))
        for ph in letter.placeholders:
            r.warnings.append(_("The sample letter has a placeholder {ph}: fill it in in the "
                                "template.").format(ph=ph))
    else:
        r.missing.append(_("sample letter"))
    asked = x.get("preferred_language")
    if asked and letter and asked != letter.lang:
        r.warnings.append(_(
            "The UA asks for letters in '{asked}' but its sample letter is in '{lang}'. Letters "
            "will be in '{lang}' until you add letter.{asked}.j2 (a translation) to the case and "
            "set preferred_language: {asked}.").format(asked=asked, lang=letter.lang))
    if "own_language_allowed" not in x.fields:
        r.warnings.append(_("The UA does not say whether supporters may write in their own "
                            "language; appeal's default (yes) applies."))
    r.warnings += x.notes
    return r


def render(review: Review, folder: str | None, problems: list[str] | None = None) -> str:
    """The review as plain text for the terminal."""
    out = []
    if folder:
        out.append(_("Imported into {folder}").format(folder=folder))
    if review.shape:
        level = _("high") if len(review.shape) >= 3 else _("medium") if len(review.shape) == 2 \
            else _("low")
        out.append(_("Looks like an Urgent Action: {level} confidence ({why}).").format(
            level=level, why=", ".join(review.shape)))
    if review.draft:
        out.append(_("Status: draft. Letters need what is listed under 'Missing for a complete "
                     "case'; add it in case.yaml, then run 'appeal check'."))
    out.append("")
    out.append(_("Found:"))
    width = max((len(label) for label, _v, _s in review.found), default=10)
    for label, value, source in review.found:
        line = f"  {label:<{width}}  {value}"
        if source and (source != value or label in review.origins):
            where = review.origins.get(label)
            line += "\n" + " " * (width + 4) + (
                _("from: \"{source}\" ({where})").format(source=source, where=where) if where
                else _("from: \"{source}\"").format(source=source))
        out.append(line)
    for n, rows in enumerate(review.targets, 1):
        out.append("")
        out.append(_("Target {n}:").format(n=n))
        w = max(len(label) for label, _v, _s in rows)
        for label, value, source in rows:
            line = f"  {label:<{w}}  {value}"
            if source and source != value:
                line += f"   ← \"{source}\""
            out.append(line)
    if review.copies:
        out.append("")
        out.append(_("Copies to (not targets):"))
        out += [f"  - {c}" for c in review.copies]
    if review.gaps:
        out.append("")
        out.append(_("Missing for a complete case:"))
        out += [f"  - {g}" for g in review.gaps]
    out.append("")
    out.append(_("Not found in the UA:") if review.missing else _("Not found in the UA: nothing"))
    out += [f"  - {m}" for m in review.missing]
    if review.warnings:
        out.append("")
        out.append(_("Check:"))
        out += [f"  - {w}" for w in review.warnings]
    if problems:
        out.append("")
        out += problems
    return "\n".join(out) + "\n"
