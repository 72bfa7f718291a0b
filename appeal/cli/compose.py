"""``appeal compose``: one letter per target, as PDF and DOCX, ready to sign."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import AppealError
from ..i18n import N_, _
from . import options as o
from .common import (SupporterOptions, counted_message, deadline_warning, tally_failed,
                     trimmed_note, user_errors)

HELP = N_("Compose one letter per target of a case, as PDF and DOCX, ready to sign and send.")


def compose_command(
    case: o.CaseArg, name: o.Name, city: o.City = None, country: o.Country = None,
    address: o.Address = None, email: o.Email = None, to: o.To = None, lang: o.Lang = None,
    date: o.Date = None,
    paper: Annotated[str | None, typer.Option(
        metavar="SIZE", help=N_("a4 or letter; default: by your country."))] = None,
    note: o.Note = None, note_file: o.NoteFile = None, body_file: o.BodyFile = None,
    edit: o.Edit = False, signature: o.Signature = None,
    formats: Annotated[list[str] | None, typer.Option(
        "--format", metavar="FORMAT",
        help=N_("pdf, docx or txt (repeatable); default: pdf and docx."))] = None,
    out: Annotated[Path, typer.Option(
        metavar="DIR", help=N_("Folder for the letters."))] = Path("letters-out"),
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Replace letters that already exist."))] = False,
    no_record: o.NoRecord = False, cases: o.Cases = None,
) -> None:
    from ..api import load_case, write_letters
    from ..ledger import record_letters
    from ..readiness import LETTER, PRINT

    who = SupporterOptions(name, city, country, address, email, date, lang, to, note,
                           note_file, body_file, edit, signature)
    formats = formats or ["pdf", "docx"]
    with user_errors():
        loaded = load_case(case, cases)
        output = PRINT if {"pdf", "docx"} & set(formats) else LETTER
        who.ready_targets(loaded, output)
        letters, edits, options = who.letters(loaded, paper, output)
        written = write_letters(letters, out, tuple(formats), force=force)
    counted, tally_error = None, None
    if not no_record:
        try:
            counted = record_letters([item.letter for item in written])
        except AppealError as exc:  # the letters are written: say so, then the failure
            tally_error = exc
    deadline_warning(loaded.case, options.date or dt.date.today())
    trimmed_note(letters)
    _print_written(loaded, written)
    if counted is not None:
        typer.echo(counted_message(counted))
    if tally_error is not None:
        tally_failed(len(written), tally_error)
    if not edits.note and not edits.body and not edit:
        typer.echo(_("Tip: identical letters count for less. Add a line of your own with "
                     "--note \"…\" or --edit."))


def _print_written(loaded, written) -> None:
    from ..channels.mailto import mailto_link
    from ..fitnotes import fit_notes

    by_id = {t.id: t for t in loaded.case.targets}
    for item in written:
        target = by_id[item.letter.target_id]
        typer.echo(_("Letter to {name}:").format(name=target.name))
        for path in item.paths:
            typer.echo(f"  {path}")
        for note in fit_notes(item.fit):
            typer.echo("  " + _("Note: {note}").format(note=note))
        for address in target.emails:
            typer.echo("  " + _("Email: {address}").format(address=address))
            typer.echo("  " + mailto_link([address], item.letter.title))


def register(app: typer.Typer) -> None:
    from .help import AppealCommand

    app.command("compose", help=HELP, cls=AppealCommand)(compose_command)
