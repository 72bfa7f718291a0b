"""A short, polite phone script: whom to ask for, who is calling, and the case's request.

The request is the last paragraph of the case's sample letter to that target, so the call
asks exactly what the letter asks; the spoken frame comes from ``data/channels.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cases import LoadedCase
from ..compose import Options, Supporter, choose_language, compose_letters
from ..errors import UsageError
from ..i18n import _
from ..models import Target, pick
from ..text import clean_field
from ..readiness import CALL, select
from . import phrases


@dataclass(frozen=True)
class CallScript:
    target: Target
    lang: str
    phones: tuple[str, ...]
    lines: tuple[str, ...]  # what to say, in order


def phone_targets(loaded: LoadedCase, wanted: tuple[str, ...]) -> list[Target]:
    """The targets to call: the ones named (each must have a number), or all with a number."""
    by_id = {t.id: t for t in loaded.case.targets}
    if wanted:
        select(loaded, CALL, wanted)  # a named target that a draft's gap blocks: say which
    ready = {t.id for t in select(loaded, CALL).targets}
    with_phone = [t.id for t in loaded.case.targets if t.phones and t.id in ready]
    for w in wanted:
        if w not in by_id:
            raise UsageError(
                _("Case {case} has no target '{target}'.").format(case=loaded.id, target=w),
                _("Available targets: {targets}").format(targets=", ".join(by_id)),
            )
        if not by_id[w].phones:
            raise UsageError(
                _("{name} has no phone number in case {case}.").format(
                    name=by_id[w].name, case=loaded.id),
                _("Targets with a phone number: {targets}").format(
                    targets=", ".join(with_phone) or "-"),
            )
    chosen = [by_id[w] for w in dict.fromkeys(wanted)] or [by_id[i] for i in with_phone]
    if not chosen:
        raise UsageError(_("No target of case {case} has a phone number.").format(case=loaded.id),
                         _("Write a letter or an email instead: appeal compose / appeal email."))
    return chosen


def spoken_request(paragraph: str, connectors) -> str:
    """The letter's request without the connector that tied it to the paragraph before
    ("Por ello, le pido…" → "Le pido…"): said on its own, it must not start mid-argument."""
    for connector in connectors:
        if paragraph.startswith(connector) and len(paragraph) > len(connector):
            rest = paragraph[len(connector):]
            return rest[0].upper() + rest[1:]
    return paragraph


def call_script(
    loaded: LoadedCase,
    target: Target,
    *,
    lang: str | None = None,
    name: str | None = None,
    city: str | None = None,
) -> CallScript:
    case = loaded.case
    lang = choose_language(loaded, lang)
    words = phrases(lang, "call")
    letter = compose_letters(loaded, Supporter(name=name or words["placeholder"], city=city),
                             options=Options(lang=lang, targets=(target.id,), output=CALL))[0]
    caller, city = letter.signature_name, clean_field(city, _("city")) if city else None
    recipient = target.name  # no honorific: "para Sr. X" needs an article the data lacks
    if target.title:
        recipient += ", " + pick(target.title, lang)
    hello = (words["hello_place"] if city else words["hello"]).format(
        name=caller, place=city or "")
    lines = (
        hello,
        words["ask_for"].format(recipient=recipient),
        words["about" if case.ua_number else "about_no_ua"].format(
            ua=case.ua_number, title=case.title_in(lang)),
        words["ask"],
        spoken_request(letter.paragraphs[-1], words.get("connectors", ())),
        words["thanks"],
    )
    return CallScript(target, lang, tuple(target.phones), lines)
