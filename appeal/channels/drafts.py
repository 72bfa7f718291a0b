"""Email drafts for a case: which targets can get one, the messages, and the ``.eml`` files.

What ``appeal email`` does apart from printing, so that any front end writes the same drafts
the same way: refuses to overwrite unless asked, writes atomically, counts each draft once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..cases import LoadedCase
from ..errors import AppealError, UsageError
from ..files import atomic_write, prepare_folder, safe_filename
from ..i18n import _
from ..letter import Letter, letter_stem
from ..models import Target
from .email import Draft, build_message, email_key, mailto


def email_targets(loaded: LoadedCase, wanted: tuple[str, ...]) -> tuple[list[Target],
                                                                         list[Target], list[str]]:
    """(the chosen targets that have an email address, those skipped for lacking one, lines
    about targets a draft case's gaps block). A target named with ``--to`` that has no
    address, or no address at all, is a usage error."""
    from ..readiness import EMAIL, select

    ready = select(loaded, EMAIL, wanted)
    chosen = ready.targets
    missing = [t for t in chosen if not t.emails]
    if missing and wanted:
        raise UsageError(
            _("{name} has no email address in case {case}.").format(
                name=missing[0].name, case=loaded.id),
            _("Targets with an email address: {targets}").format(
                targets=", ".join(t.id for t in loaded.case.targets if t.emails) or "-"),
        )
    with_address = [t for t in chosen if t.emails]
    if not with_address:
        raise UsageError(_("No target of case {case} has an email address.").format(
            case=loaded.id), _("Write a letter instead: appeal compose."))
    return with_address, missing, ready.skipped_lines(EMAIL)


def make_drafts(letters: list[Letter], targets: list[Target], sender: str | None, *,
                draft: bool, ledger=None) -> list[Draft]:
    """One message per letter, its PDF attached; ``key`` set when a ledger will count it."""
    from ..render import render

    by_id = {t.id: t for t in targets}
    out = []
    for letter in letters:
        target = by_id[letter.target_id]
        msg = build_message(letter, target, sender=sender, pdf=render(letter, "pdf"),
                            attachment_name=safe_filename(letter_stem(letter), "pdf"),
                            draft=draft)
        key = email_key(ledger, letter, target, sender) if ledger else ""
        out.append(Draft(letter, target, msg, key))
    return out


@dataclass(frozen=True)
class WrittenDraft:
    draft: Draft
    path: Path
    mailto: str  # the same message as a link, for clients that cannot open .eml files


def write_drafts(drafts: list[Draft], folder: Path, *, force: bool = False,
                 ledger=None) -> tuple[list[WrittenDraft], int, AppealError | None]:
    """Write each draft as ``<stem>.eml`` (nothing at all if one exists, unless ``force``);
    returns the files, how many drafts were newly counted in ``ledger``, and the error that
    stopped the counting (the drafts are all written all the same), if any."""
    paths = [folder / safe_filename(letter_stem(d.letter), "eml") for d in drafts]
    if not force:
        existing = [p for p in paths if p.exists()]
        if existing:
            raise AppealError(
                _("{path} already exists.").format(path=existing[0]),
                _("Use --force to replace existing drafts, or choose another --out folder."))
    prepare_folder(folder)
    written: list[WrittenDraft] = []
    new = 0
    tally_error: AppealError | None = None
    for draft, path in zip(drafts, paths, strict=True):
        atomic_write(path, draft.message.as_bytes())
        written.append(WrittenDraft(draft, path, mailto(draft.letter, draft.target)))
        if ledger and tally_error is None:
            try:
                new += bool(ledger.record(draft.letter.case_id, draft.target.id, "email",
                                          draft.letter.lang.split("-")[0], key=draft.key))
            except AppealError as exc:  # the drafts go on; the failure is told
                tally_error = exc
    return written, new, tally_error
