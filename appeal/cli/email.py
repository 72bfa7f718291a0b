"""``appeal email``: one ``.eml`` draft per target with an address, or send them (``--send``).

The supporter options are compose's; ``--from`` stays as a hidden, deprecated name of
``--email``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from ..errors import AppealError, UsageError
from ..i18n import N_, _, ngettext
from . import options as o
from .common import (SupporterOptions, counted_message, deadline_warning, tally_failed,
                     trimmed_note, user_errors)

HELP = N_("Write one .eml email draft per target with an email address, or send them (--send).")
Smtp = dict  # host, port, security, user


def email_command(
    case: o.CaseArg, name: o.Name, city: o.City = None, country: o.Country = None,
    address: o.Address = None, email: o.Email = None, sender: o.FromAlias = None,
    to: o.To = None, lang: o.Lang = None, date: o.Date = None,
    note: o.Note = None, note_file: o.NoteFile = None, body_file: o.BodyFile = None,
    edit: o.Edit = False, signature: o.Signature = None,
    out: Annotated[Path, typer.Option(
        metavar="DIR", help=N_("Folder for the .eml drafts."))] = Path("letters-out"),
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Replace drafts that already exist."))] = False,
    send: Annotated[bool, typer.Option(
        "--send", help=N_("Send through your SMTP server instead of writing drafts."))] = False,
    yes: Annotated[bool, typer.Option(
        "--yes", help=N_("Send without asking for confirmation."))] = False,
    pause: Annotated[float, typer.Option(
        min=0, metavar="SECONDS", help=N_("Seconds to wait between messages when sending."))
    ] = 2.0,
    smtp_host: Annotated[str | None, typer.Option(
        envvar="APPEAL_SMTP_HOST", metavar="HOST",
        help=N_("SMTP server; also $APPEAL_SMTP_HOST."))] = None,
    smtp_port: Annotated[int | None, typer.Option(
        envvar="APPEAL_SMTP_PORT", metavar="N",
        help=N_("SMTP port; default 587 (starttls), 465 (ssl), 25 (none)."))] = None,
    smtp_security: Annotated[str, typer.Option(
        envvar="APPEAL_SMTP_SECURITY", metavar="MODE",
        help=N_("starttls, ssl or none."))] = "starttls",
    smtp_user: Annotated[str | None, typer.Option(
        envvar="APPEAL_SMTP_USER", metavar="USER",
        help=N_("SMTP user name; the password comes from $APPEAL_SMTP_PASSWORD or a "
                "prompt."))] = None,
    no_record: o.NoRecord = False, cases: o.Cases = None,
) -> None:
    email = email or sender
    who = SupporterOptions(name, city, country, address, email, date, lang, to, note,
                           note_file, body_file, edit, signature)
    smtp = {"host": smtp_host, "port": smtp_port, "security": smtp_security, "user": smtp_user}
    with user_errors():
        _email(case, who, cases, out, force, send, yes, pause, smtp, record=not no_record)


def _email(case, who: SupporterOptions, cases, out, force, send, yes, pause, smtp: Smtp, *,
           record: bool) -> None:
    from ..actions import tally
    from ..api import load_case
    from ..channels.drafts import email_targets, make_drafts, write_drafts
    from ..readiness import EMAIL

    loaded = load_case(case, cases)
    deadline_warning(loaded.case, dt.date.today())
    chosen, missing, blocked = email_targets(loaded, tuple(who.to or ()))
    for line in blocked:
        typer.echo(line, err=True)
    for target in missing:
        typer.echo(_("Skipped {name}: no email address.").format(name=target.name), err=True)
    if send and not who.email:
        raise UsageError(_("Sending needs your address."), _("Give it with --email."))
    if send and not smtp["host"]:
        raise UsageError(_("Sending needs your SMTP server."),
                         _("Give it with --smtp-host or $APPEAL_SMTP_HOST."))
    who.to = [t.id for t in chosen]
    letters, _edits, _options = who.letters(loaded, output=EMAIL)
    trimmed_note(letters)
    with tally(record or send) as ledger:
        drafts = make_drafts(letters, chosen, who.email, draft=not send, ledger=ledger)
        if send:
            _send(drafts, ledger, who.email, smtp, yes, pause)
            return
        written, new, tally_error = write_drafts(drafts, out, force=force, ledger=ledger)
        for item in written:
            typer.echo(_("Email to {name}:").format(name=item.draft.target.name))
            typer.echo(f"  {item.path}")
            typer.echo("  " + item.mailto)
        typer.echo(_("Open a draft in your mail client, check it and send it; the PDF is "
                     "attached."))
        if tally_error is not None:
            tally_failed(len(written), tally_error, "drafts")
        if ledger:
            typer.echo(counted_message(new))


def _send(drafts, ledger, sender, smtp: Smtp, yes: bool, pause: float) -> None:
    from ..channels.smtp import PASSWORD_ENV, SmtpSettings, pending, send_drafts

    settings = SmtpSettings(**smtp)
    todo, done = pending(drafts, ledger)
    for d in done:
        typer.echo(_("Already sent to {name} <{address}>; not sending again.").format(
            name=d.target.name, address=", ".join(d.recipients)))
    if not todo:
        typer.echo(_("Nothing left to send."))
        return
    _confirm(todo, sender, settings, yes)
    password = None
    if smtp["user"]:
        password = os.environ.get(PASSWORD_ENV) or typer.prompt(
            _("SMTP password for {user}").format(user=smtp["user"]), hide_input=True)
    settings = SmtpSettings(**smtp, password=password)
    outcomes = send_drafts(todo, settings, ledger, pause=pause, report=_show_outcome)
    failed = [o for o in outcomes if o.status == "failed"]
    sent = [o for o in outcomes if o.status in ("sent", "partial", "unrecorded")]
    partial = [o for o in outcomes if o.refused]
    typer.echo(ngettext("{n} message sent.", "{n} messages sent.", len(sent)).format(
        n=len(sent)))
    if failed or partial:
        problems = []
        if failed:
            problems.append(ngettext("{n} message was not sent.",
                                     "{n} messages were not sent.",
                                     len(failed)).format(n=len(failed)))
        if partial:
            problems.append(ngettext("{n} message did not reach every address.",
                                     "{n} messages did not reach every address.",
                                     len(partial)).format(n=len(partial)))
        raise AppealError(
            " ".join(problems),
            _("Run the same command again: messages already sent are not sent twice, and "
              "a message goes only to the addresses that have not had it."))


def _confirm(todo, sender, settings, yes: bool) -> None:
    typer.echo(ngettext("About to send {n} message from {sender} through {server}:",
                        "About to send {n} messages from {sender} through {server}:",
                        len(todo)).format(n=len(todo), sender=sender,
                                          server=settings.describe()))
    for d in todo:
        typer.echo("  " + _("To: {name} <{address}>").format(
            name=d.target.name, address=", ".join(d.recipients)))
        typer.echo("  " + _("Subject: {subject}").format(subject=d.message["Subject"]))
        typer.echo("  " + _("Attachment: {file}").format(
            file=next(d.message.iter_attachments()).get_filename()))
    if not yes and not typer.confirm(_("Send now?"), default=False):
        typer.echo(_("Nothing was sent."))
        raise typer.Exit(1)


def _show_outcome(outcome) -> None:
    who = f"{outcome.draft.target.name} <{', '.join(outcome.draft.recipients)}>"
    if outcome.status == "sent":
        typer.echo(_("Sent to {who}.").format(who=who))
    elif outcome.status == "failed":
        typer.echo(_("Failed to send to {who}: {error}").format(
            who=who, error=outcome.detail), err=True)
    elif outcome.status == "recorded":
        typer.echo(_("Recorded as sent: the message to {who}.").format(who=who))
    if outcome.status == "unrecorded":
        typer.echo(_("Sent to {who}, but appeal could not record it as sent yet: "
                     "{error}").format(who=who, error=outcome.detail), err=True)
        typer.echo("  " + _("It was sent: do not send it again by hand. appeal tries "
                            "again to record it before the next message."), err=True)
    if outcome.refused:
        if outcome.status == "partial":
            typer.echo(_("Sent to {who}, except to the addresses refused below.").format(
                who=who))
        typer.echo(_("The server refused {refused}; those addresses are kept unsent "
                     "for the next run.").format(refused=outcome.refused), err=True)


def register(app: typer.Typer) -> None:
    from .help import AppealCommand

    app.command("email", help=HELP, cls=AppealCommand)(email_command)
