"""Form values → letters and files, through the same library calls as the CLI.

Nothing here decides a word of a letter: :func:`appeal.compose.compose_letters` does, with its
own cleaning and caps; the PDF font's coverage is checked by :func:`appeal.fonts.check_coverage`
(as ``batch`` does) so a letter the printer cannot print is refused when it is written, not
when the organizer prints the queue.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .. import fonts
from ..cases import LoadedCase
from ..compose import Edits, Options, Supporter, choose_language, choose_targets, compose, \
    compose_letters
from ..errors import AppealError
from ..i18n import _
from ..letter import Letter

MAX_COPIES = 50  # walk-in blank letters per target at once


@dataclass(frozen=True)
class Draft:
    """What an attendee typed (raw: cleaned by the library when composed)."""

    case_id: str
    targets: tuple[str, ...]
    name: str
    city: str = ""
    country: str = ""
    note: str = ""
    lang: str = ""

    def as_dict(self) -> dict:
        return {"case_id": self.case_id, "targets": list(self.targets), "name": self.name,
                "city": self.city, "country": self.country, "note": self.note,
                "lang": self.lang}

    @classmethod
    def from_dict(cls, data: dict) -> Draft:
        return cls(data["case_id"], tuple(data["targets"]), data["name"], data.get("city", ""),
                   data.get("country", ""), data.get("note", ""), data.get("lang", ""))


def supporter_of(draft: Draft) -> Supporter:
    return Supporter(name=draft.name, city=draft.city or None, country=draft.country or None)


def letters_for(loaded: LoadedCase, draft: Draft, paper: str | None = None) -> list[Letter]:
    """One letter per chosen official, checked printable."""
    if not draft.targets:
        raise AppealError(_("Choose at least one official to write to."))
    letters = compose_letters(
        loaded, supporter_of(draft), Edits(note=draft.note or None),
        Options(lang=draft.lang or None, paper=paper, targets=draft.targets))
    for letter in letters:
        fonts.check_coverage(letter.text_fields())
    return letters


def blank_letters(loaded: LoadedCase, country: str | None, lang: str | None,
                  paper: str | None, copies: int) -> list[Letter]:
    """Walk-in letters with a line to sign on, one per official per copy (as ``batch --blank``)."""
    from ..batch.rows import BLANK_NAME, blank_supporter

    if not 1 <= copies <= MAX_COPIES:
        raise AppealError(_("Copies: give a number from 1 to {n}.").format(n=MAX_COPIES))
    supporter = blank_supporter(country)  # the organizer's, checked when the server starts
    options = Options(lang=choose_language(loaded, lang), paper=paper)
    one = [replace(compose(loaded, target, supporter, options=options), author="",
                   signature_name=BLANK_NAME)
           for target in choose_targets(loaded, ())]
    return [letter for _copy in range(copies) for letter in one]


def pack_pdf(letters: list[Letter], folder: Path, duplex: bool) -> bytes:
    """All letters in one PDF, each starting on a new sheet (on a front side with ``duplex``):
    the batch print file's own code (pages drawn once, font subsets embedded once)."""
    from ..batch.pack import PackShare, join_parts
    from ..render.pdf import layout_letter, render_captured

    share = PackShare(duplex)
    for letter in letters:
        share.add(letter, render_captured(layout_letter(letter), pdf=False)[1])
    data = share.finish()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".appeal-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)  # type: ignore[arg-type]
        return join_parts([Path(tmp)])
    finally:
        os.unlink(tmp)


def jobs_for(loaded_by_id: dict[str, LoadedCase], items: list[tuple[Supporter, Letter]]):
    """Batch ``Job`` records for the envelope and label sheets (only the fields they read)."""
    from ..batch.plan import Job

    jobs = []
    for n, (supporter, letter) in enumerate(items):
        target = next(t for t in loaded_by_id[letter.case_id].case.targets
                      if t.id == letter.target_id)
        jobs.append(Job(n, n + 1, letter, supporter, "", "",
                        target_country=target.address.country if target.address else None,
                        title_lines=bool(target.title) + bool(target.office)))
    return jobs


def email_draft(loaded: LoadedCase, letter: Letter) -> tuple[bytes, str]:
    """The ``.eml`` draft (PDF attached) and a mailto link, as ``appeal email`` writes them."""
    from ..api import letter_stem
    from ..channels.email import build_message, mailto
    from ..files import safe_filename
    from ..render.pdf import render_pdf

    target = next(t for t in loaded.case.targets if t.id == letter.target_id)
    msg = build_message(letter, target, sender=None, pdf=render_pdf(letter),
                        attachment_name=safe_filename(letter_stem(letter), "pdf"))
    return msg.as_bytes(), mailto(letter, target)
