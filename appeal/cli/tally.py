"""``appeal record`` and ``appeal report``: count what was done outside appeal, and show the
totals with a summary to paste into the UA's action form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from ..errors import USAGE, AppealError, UsageError
from ..i18n import N_, _, ngettext
from . import options as o
from .common import user_errors


def record_command(
    case: o.CaseArg,
    channel: Annotated[str, typer.Option(
        metavar="CHANNEL", help=N_("letter, email, fax, call, post or other."))],
    to: Annotated[list[str], typer.Option(
        "--to", metavar="TARGET", help=N_("Target id (repeatable)."))],
    count: Annotated[int, typer.Option(
        min=1, metavar="N", help=N_("How many (e.g. letters of a group)."))] = 1,
    lang: o.Lang = None,
    date: Annotated[dt.datetime | None, typer.Option(
        formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
        help=N_("Day of the action (YYYY-MM-DD); default: today."))] = None,
    by: Annotated[str | None, typer.Option(
        metavar="NAME",
        help=N_("Who did it; stored only if given (the ledger keeps no names otherwise)."))]
    = None,
    cases: o.Cases = None,
) -> None:
    from ..actions import record_actions
    from ..api import load_case
    from ..report import channel_count

    with user_errors():
        loaded = load_case(case, cases)
        targets = record_actions(loaded, tuple(to), channel, lang=lang, count=count,
                                 when=date.date() if date else None, by=by)
    for target in targets:
        typer.echo(_("Recorded {what} to {name} for {case}.").format(
            what=channel_count(channel, count), name=target.name or target.id, case=loaded.id))


def report_command(
    case: Annotated[str | None, typer.Argument(
        metavar="CASE", help=N_("Case id; default: every case in the tally."))] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help=N_("Totals as CSV."))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Totals as JSON."))] = False,
    forget: Annotated[bool, typer.Option(
        "--forget", help=N_("Delete the case's records (asks first)."))] = False,
    yes: Annotated[bool, typer.Option("--yes", help=N_("Do not ask before deleting."))] = False,
    cases: o.Cases = None,
) -> None:
    from ..ledger import Ledger
    from ..report import to_csv, to_json

    with user_errors():
        if as_csv and as_json:
            raise AppealError(_("Give --csv or --json, not both."), exit_code=USAGE)
        if forget and not case:
            raise UsageError(_("--forget needs a case id."),
                             _("For example: appeal report --forget ua-100.21"))
        with Ledger() as ledger:
            if forget and case:
                _forget(ledger, case, yes)
                return
            reports = _reports(ledger, case, cases)
    if as_csv or as_json:
        typer.echo((to_csv if as_csv else to_json)(reports), nl=False)
    elif not reports:
        typer.echo(_("No actions recorded yet."))
    else:
        _print_reports(reports)


def _forget(ledger, case: str, yes: bool) -> None:
    n = sum(t.count for t in ledger.totals(case))
    if not n:
        typer.echo(_("No records for {case}.").format(case=case))
        return
    if not yes and not typer.confirm(ngettext(
            "Delete {n} recorded action for {case}?",
            "Delete {n} recorded actions for {case}?", n).format(n=n, case=case), default=False):
        typer.echo(_("Nothing was deleted."))
        raise typer.Exit(1)
    removed = ledger.forget(case)
    typer.echo(ngettext("Deleted {n} recorded action for {case}.",
                        "Deleted {n} recorded actions for {case}.",
                        removed).format(n=removed, case=case))


def _reports(ledger, case: str | None, cases) -> list:
    from ..api import load_case
    from ..i18n import current_language
    from ..report import build_report

    reports = []
    for case_id in [case] if case else ledger.cases():
        try:
            loaded = load_case(case_id, cases)
        except AppealError:
            # an explicit case must exist unless it has records
            if case and not ledger.totals(case_id):
                raise
            loaded = None
        reports.append(build_report(ledger, loaded.id if loaded else case_id, loaded,
                                    current_language()))
    return reports


def _print_reports(reports) -> None:
    from ..report import format_table, summary

    for i, report in enumerate(reports):
        if i:
            typer.echo("")
        heading = f"{report.case_id}"
        if report.ua_number:
            heading += " — " + _("UA {number}").format(number=report.ua_number) + f": {report.title}"
        typer.echo(heading)
        if report.total:
            typer.echo(format_table(report))
            typer.echo("")
        typer.echo(summary(report))


def register(app: typer.Typer) -> None:
    from .help import AppealCommand

    app.command("record", cls=AppealCommand, help=N_(
        "Count an action done outside appeal (a call, a fax, a letter by hand) in the "
        "tally."))(record_command)
    app.command("report", cls=AppealCommand, help=N_(
        "Totals per target and channel, and a summary to paste into the UA's action "
        "form."))(report_command)
