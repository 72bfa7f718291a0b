"""Commands for the other channels and the tally: email, post, call, record, report.

Kept apart from :mod:`appeal.cli` so the channels feature can be wired in with one call,
``register(app)``. Like the rest of the CLI: Typer only here, messages through gettext, user
mistakes as 'Error: …' plus a hint and exit code 1 or 2, never a traceback.
"""

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli import user_errors
from .errors import USAGE, AppealError, UsageError
from .cli_batch import deadline_warning, split_list
from .i18n import _, ngettext


def _ledger(no_record: bool = False):
    from .ledger import Ledger

    return None if no_record else Ledger()


def register(app: typer.Typer) -> None:
    """Add the ``email``, ``post``, ``call``, ``record`` and ``report`` commands to ``app``."""
    case_arg = Annotated[str, typer.Argument(help=_("Case id, e.g. ua-100.21"))]
    cases_opt = Annotated[Optional[list[Path]], typer.Option(
        "--cases", help=_("Extra folder of cases (repeatable); also $APPEAL_CASES."))]
    to_opt = Annotated[Optional[list[str]], typer.Option(
        "--to", help=_("Only this target id (repeatable, or comma-separated); default: all."))]
    lang_opt = Annotated[Optional[str], typer.Option(
        help=_("Letter language; default: the case's preferred language."))]
    no_record_opt = Annotated[bool, typer.Option(
        "--no-record", help=_("Do not count this in your local action tally."))]

    @app.command("email")
    def email_command(
        case: case_arg,
        name: Annotated[str, typer.Option("--name", help=_("Your name, as you sign."))],
        sender: Annotated[Optional[str], typer.Option(
            "--from", help=_("Your email address (needed to send)."))] = None,
        city: Annotated[Optional[str], typer.Option(help=_("Your city, for the dateline."))] = None,
        country: Annotated[Optional[str], typer.Option(
            help=_("Your country code (MX, US, ES...)."))] = None,
        to: to_opt = None,
        lang: lang_opt = None,
        note: Annotated[Optional[str], typer.Option(
            help=_("A paragraph of your own, added before the closing."))] = None,
        out: Annotated[Path, typer.Option(help=_("Folder for the .eml drafts."))] = Path("."),
        force: Annotated[bool, typer.Option(help=_("Replace drafts that already exist."))] = False,
        send: Annotated[bool, typer.Option(
            "--send", help=_("Send through your SMTP server instead of writing drafts."))] = False,
        yes: Annotated[bool, typer.Option(
            "--yes", help=_("Send without asking for confirmation."))] = False,
        pause: Annotated[float, typer.Option(
            min=0, help=_("Seconds to wait between messages when sending."))] = 2.0,
        smtp_host: Annotated[Optional[str], typer.Option(
            envvar="APPEAL_SMTP_HOST", help=_("SMTP server; also $APPEAL_SMTP_HOST."))] = None,
        smtp_port: Annotated[Optional[int], typer.Option(
            envvar="APPEAL_SMTP_PORT",
            help=_("SMTP port; default 587 (starttls), 465 (ssl), 25 (none)."))] = None,
        smtp_security: Annotated[str, typer.Option(
            envvar="APPEAL_SMTP_SECURITY", help=_("starttls, ssl or none."))] = "starttls",
        smtp_user: Annotated[Optional[str], typer.Option(
            envvar="APPEAL_SMTP_USER",
            help=_("SMTP user name; the password comes from $APPEAL_SMTP_PASSWORD or a "
                   "prompt."))] = None,
        no_record: no_record_opt = False,
        cases: cases_opt = None,
    ) -> None:
        """Write one .eml email draft per target with an email address, or send them (--send)."""
        from .api import Edits, Options, Supporter, compose_letters, letter_stem, load_case
        from .channels.email import build_message, email_key, mailto
        from .files import atomic_write, prepare_folder, safe_filename
        from .readiness import EMAIL, select
        from .render.pdf import render_pdf

        with user_errors():
            loaded = load_case(case, cases)
            deadline_warning(loaded.case)
            wanted = tuple(split_list(to))
            ready = select(loaded, EMAIL, wanted)
            for line in ready.skipped_lines(EMAIL):
                typer.echo(line, err=True)
            chosen = ready.targets
            missing = [t for t in chosen if not t.emails]
            if missing and wanted:
                raise UsageError(
                    _("{name} has no email address in case {case}.").format(
                        name=missing[0].name, case=loaded.id),
                    _("Targets with an email address: {targets}").format(
                        targets=", ".join(t.id for t in loaded.case.targets if t.emails) or "-"),
                )
            for target in missing:
                typer.echo(_("Skipped {name}: no email address.").format(name=target.name),
                           err=True)
            chosen = [t for t in chosen if t.emails]
            if not chosen:
                raise UsageError(_("No target of case {case} has an email address.").format(
                    case=loaded.id), _("Write a letter instead: appeal compose."))
            if send and not sender:
                raise UsageError(_("Sending needs your address."), _("Give it with --from."))
            if send and not smtp_host:
                raise UsageError(_("Sending needs your SMTP server."),
                                 _("Give it with --smtp-host or $APPEAL_SMTP_HOST."))
            letters = compose_letters(
                loaded, Supporter(name=name, city=city, country=country, email=sender),
                Edits(note=note), Options(lang=lang, targets=tuple(t.id for t in chosen),
                                          output=EMAIL))
            by_id = {t.id: t for t in chosen}
            ledger = _ledger(no_record and not send)
            try:
                drafts = _drafts(letters, by_id, sender, not send, ledger,
                                 build_message, email_key, render_pdf, letter_stem, safe_filename)
                if send:
                    _send(drafts, ledger, sender, smtp_host, smtp_port, smtp_security,
                          smtp_user, yes, pause)
                    return
                paths = [out / safe_filename(letter_stem(d.letter), "eml") for d in drafts]
                if not force:
                    existing = [p for p in paths if p.exists()]
                    if existing:
                        raise AppealError(
                            _("{path} already exists.").format(path=existing[0]),
                            _("Use --force to replace existing drafts, or choose another --out "
                              "folder."))
                prepare_folder(out)
                new, tally_error = 0, None
                for draft, path in zip(drafts, paths):
                    atomic_write(path, draft.message.as_bytes())
                    typer.echo(_("Email to {name}:").format(name=draft.target.name))
                    typer.echo(f"  {path}")
                    typer.echo("  " + mailto(draft.letter, draft.target))
                    if ledger and not tally_error:
                        try:
                            new += ledger.record(loaded.id, draft.target.id, "email",
                                                 draft.letter.lang.split("-")[0], key=draft.key)
                        except AppealError as exc:  # the drafts go on; the failure is told
                            tally_error = exc
                typer.echo(_("Open a draft in your mail client, check it and send it; the PDF "
                             "is attached."))
                if tally_error:
                    from .cli import tally_failed

                    tally_failed(len(drafts), tally_error, "drafts")
                if ledger:
                    typer.echo(counted_message(new))
            finally:
                if ledger:
                    ledger.close()

    def _drafts(letters, by_id, sender, draft, ledger, build_message, email_key, render_pdf,
                letter_stem, safe_filename):
        from .channels.email import Draft

        out = []
        for letter in letters:
            target = by_id[letter.target_id]
            msg = build_message(letter, target, sender=sender, pdf=render_pdf(letter),
                                attachment_name=safe_filename(letter_stem(letter), "pdf"),
                                draft=draft)
            key = email_key(ledger, letter, target, sender) if ledger else ""
            out.append(Draft(letter, target, msg, key))
        return out

    def _send(drafts, ledger, sender, host, port, security, user, yes, pause):
        from .channels.smtp import PASSWORD_ENV, SmtpSettings, pending, send_drafts

        settings = SmtpSettings(host=host, port=port, security=security, user=user)
        todo, done = pending(drafts, ledger)
        for d in done:
            typer.echo(_("Already sent to {name} <{address}>; not sending again.").format(
                name=d.target.name, address=", ".join(d.recipients)))
        if not todo:
            typer.echo(_("Nothing left to send."))
            return
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
        password = None
        if user:
            password = os.environ.get(PASSWORD_ENV) or typer.prompt(
                _("SMTP password for {user}").format(user=user), hide_input=True)
        settings = SmtpSettings(host=host, port=port, security=security, user=user,
                                password=password)

        def show(outcome):
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

        outcomes = send_drafts(todo, settings, ledger, pause=pause, report=show)
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

    @app.command("post")
    def post_command(
        case: case_arg,
        lang: Annotated[Optional[str], typer.Option(
            help=_("Language of the post; default: one post per language of the case."))] = None,
        to: to_opt = None,
        text: Annotated[Optional[str], typer.Option(
            help=_("Your own words instead of the case summary (shortened to fit)."))] = None,
        url: Annotated[Optional[str], typer.Option(help=_("A link to add, e.g. the UA page."))]
        = None,
        record: Annotated[bool, typer.Option(
            "--record", help=_("Count the post(s) in your tally: use it once you have "
                               "posted."))] = False,
        cases: cases_opt = None,
    ) -> None:
        """Compose a short public post per language that mentions the targets' handles."""
        from .api import load_case
        from .channels.post import MAX_WEIGHT, compose_post, post_languages
        from .readiness import POST, select
        from .text import clean_field

        with user_errors():
            loaded = load_case(case, cases)
            deadline_warning(loaded.case)
            targets = select(loaded, POST, tuple(split_list(to))).targets
            own = clean_field(text, "--text", multiline=True, limit="note") if text else None
            posts = [compose_post(loaded, lg, targets, text=own, url=url)
                     for lg in post_languages(loaded, lang)]
            if not posts:
                raise UsageError(_("appeal has no post wording in the languages of {case}.")
                                 .format(case=loaded.id), _("Choose one with --lang."))
            ledger = _ledger(not record)
            new = 0
            # One post was made: without --lang, the first language shown (the case's own)
            # is the one counted, not one post per language.
            counted = posts[:1]
            try:
                for i, post in enumerate(posts):
                    if i:
                        typer.echo("")
                    typer.echo(_("[{lang}] {weight}/{limit} characters (X/Twitter count)").format(
                        lang=post.lang, weight=post.weight, limit=MAX_WEIGHT))
                    typer.echo(post.text)
                    if ledger and post in counted:
                        day = dt.date.today()
                        for target_id in post.target_ids:
                            key = "post:" + ledger.digest(loaded.id, target_id, post.lang,
                                                          day.isoformat())
                            new += ledger.record(loaded.id, target_id, "post", post.lang,
                                                 when=day, key=key)
                typer.echo("")
                if ledger:
                    typer.echo(counted_message(new))
                else:
                    typer.echo(_("Once you have posted, count it: add --record (with --lang for "
                                 "the language you used)."))
            finally:
                if ledger:
                    ledger.close()

    @app.command("call")
    def call_command(
        case: case_arg,
        to: to_opt = None,
        lang: lang_opt = None,
        name: Annotated[Optional[str], typer.Option(help=_("Your name, to introduce yourself."))]
        = None,
        city: Annotated[Optional[str], typer.Option(help=_("Where you are calling from."))]
        = None,
        cases: cases_opt = None,
    ) -> None:
        """Print a short, polite phone script per target with a phone number."""
        from .api import load_case
        from .channels.call import call_script, phone_targets
        from .readiness import CALL, select

        with user_errors():
            loaded = load_case(case, cases)
            deadline_warning(loaded.case)
            for line in select(loaded, CALL, tuple(split_list(to))).skipped_lines(CALL):
                typer.echo(line, err=True)
            scripts = [call_script(loaded, t, lang=lang, name=name, city=city)
                       for t in phone_targets(loaded, tuple(split_list(to)))]
        for i, script in enumerate(scripts):
            if i:
                typer.echo("")
            typer.echo(_("Call {name}: {phones}").format(
                name=script.target.name, phones=" / ".join(script.phones)))
            for line in script.lines:
                typer.echo("")
                typer.echo("  " + line)
            typer.echo("")
            typer.echo(_("After the call, count it: appeal record {case} --channel call --to "
                         "{target}").format(case=loaded.id, target=script.target.id))
        typer.echo(_("Be brief and polite. If you reach voicemail, leave your name and the "
                     "message."))

    @app.command("record")
    def record_command(
        case: case_arg,
        channel: Annotated[str, typer.Option(
            help=_("letter, email, fax, call, post or other."))],
        to: Annotated[list[str], typer.Option(
            "--to", help=_("Target id (repeatable)."))],
        count: Annotated[int, typer.Option(min=1, help=_("How many (e.g. letters of a group)."))]
        = 1,
        lang: lang_opt = None,
        date: Annotated[Optional[dt.datetime], typer.Option(
            formats=["%Y-%m-%d"], help=_("Day of the action (YYYY-MM-DD); default: today."))]
        = None,
        by: Annotated[Optional[str], typer.Option(
            help=_("Who did it; stored only if given (the ledger keeps no names otherwise)."))]
        = None,
        cases: cases_opt = None,
    ) -> None:
        """Count an action done outside appeal (a call, a fax, a letter by hand) in the tally."""
        from .api import load_case
        from .compose import choose_targets
        from .ledger import Ledger
        from .report import channel_count
        from .text import clean_field

        with user_errors():
            loaded = load_case(case, cases)
            targets = choose_targets(loaded, tuple(to))
            language = (lang or loaded.case.preferred_language).split("-")[0]
            who = clean_field(by, "--by") if by else None
            with Ledger() as ledger:
                for target in targets:
                    ledger.record(loaded.id, target.id, channel, language, count=count,
                                  when=date.date() if date else None, supporter=who)
                    typer.echo(_("Recorded {what} to {name} for {case}.").format(
                        what=channel_count(channel, count), name=target.name or target.id,
                        case=loaded.id))

    @app.command("report")
    def report_command(
        case: Annotated[Optional[str], typer.Argument(
            help=_("Case id; default: every case in the tally."))] = None,
        as_csv: Annotated[bool, typer.Option("--csv", help=_("Totals as CSV."))] = False,
        as_json: Annotated[bool, typer.Option("--json", help=_("Totals as JSON."))] = False,
        forget: Annotated[bool, typer.Option(
            "--forget", help=_("Delete the case's records (asks first)."))] = False,
        yes: Annotated[bool, typer.Option("--yes", help=_("Do not ask before deleting."))]
        = False,
        cases: cases_opt = None,
    ) -> None:
        """Totals per target and channel, and a summary to paste into the UA's action form."""
        from .api import load_case
        from .i18n import current_language
        from .ledger import Ledger
        from .report import build_report, format_table, summary, to_csv, to_json

        with user_errors():
            if as_csv and as_json:
                raise AppealError(_("Give --csv or --json, not both."), exit_code=USAGE)
            if forget and not case:
                raise UsageError(_("--forget needs a case id."),
                                 _("For example: appeal report --forget ua-100.21"))
            with Ledger() as ledger:
                if forget:
                    n = sum(t.count for t in ledger.totals(case))
                    if not n:
                        typer.echo(_("No records for {case}.").format(case=case))
                        return
                    if not yes and not typer.confirm(ngettext(
                            "Delete {n} recorded action for {case}?",
                            "Delete {n} recorded actions for {case}?", n).format(n=n, case=case),
                            default=False):
                        typer.echo(_("Nothing was deleted."))
                        raise typer.Exit(1)
                    removed = ledger.forget(case)
                    typer.echo(ngettext("Deleted {n} recorded action for {case}.",
                                        "Deleted {n} recorded actions for {case}.",
                                        removed).format(n=removed, case=case))
                    return
                ids = [case] if case else ledger.cases()
                reports = []
                for case_id in ids:
                    try:
                        loaded = load_case(case_id, cases)
                    except AppealError:
                        if case:  # an explicit case must exist unless it has records
                            if not ledger.totals(case_id):
                                raise
                        loaded = None
                    reports.append(build_report(ledger, loaded.id if loaded else case_id,
                                                loaded, current_language()))
            if as_csv:
                typer.echo(to_csv(reports), nl=False)
                return
            if as_json:
                typer.echo(to_json(reports), nl=False)
                return
            if not reports:
                typer.echo(_("No actions recorded yet."))
                return
            for i, report in enumerate(reports):
                if i:
                    typer.echo("")
                heading = f"{report.case_id}"
                if report.ua_number:
                    heading += f" — UA {report.ua_number}: {report.title}"
                typer.echo(heading)
                if report.total:
                    typer.echo(format_table(report))
                    typer.echo("")
                typer.echo(summary(report))


def counted_message(new: int) -> str:
    """How many new actions went into the tally (shared with ``compose`` and ``batch``)."""
    if new == 0:
        return _("Already counted in your tally; nothing new to add (appeal report).")
    return ngettext("{n} new action counted in your tally (appeal report).",
                    "{n} new actions counted in your tally (appeal report).", new).format(n=new)
