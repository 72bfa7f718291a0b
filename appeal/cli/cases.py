"""``appeal cases`` and ``appeal show``: what cases appeal knows, and one case in full."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..i18n import N_, _
from . import options as o
from .common import user_errors


def cases_command(cases: o.Cases = None) -> None:
    from ..api import list_cases
    from ..i18n import current_language
    from ..models import pick

    with user_errors():
        found, problems = list_cases(cases)
    for loaded in found:
        c = loaded.case
        deadline = c.deadline.isoformat() if c.deadline else _("no deadline")
        typer.echo(f"{c.id}\t{pick(c.title, current_language())}\t"
                   + _("deadline {deadline}").format(deadline=deadline) + "\t"
                   + _("languages: {langs}").format(langs=", ".join(c.languages)))
    for problem in problems:
        typer.echo(_("Skipped a broken case: {problem}").format(problem=problem), err=True)
    if not found:
        typer.echo(_("No cases found."), err=True)
        raise typer.Exit(1)


def show_command(
    case: o.CaseArg,
    as_json: Annotated[bool, typer.Option(
        "--json", help=N_("Print the whole case as JSON."))] = False,
    cases: o.Cases = None,
) -> None:
    from ..api import load_case

    with user_errors():
        loaded = load_case(case, cases)
    if as_json:
        data = loaded.case.model_dump(mode="json")
        data["folder"] = str(loaded.folder)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _show(loaded.case)


def _show(c) -> None:
    from ..addresses import format_address
    from ..cases import deadline_label
    from ..i18n import current_language
    from ..models import pick

    ui = current_language()
    typer.echo(f"{c.id} — UA {c.ua_number}: {pick(c.title, ui)}")
    deadline = deadline_label(c, ui) if c.deadline else (c.deadline_text or _("none given"))
    typer.echo(_("Deadline: {deadline}").format(deadline=deadline))
    typer.echo(_("Letter languages: {langs} (preferred: {preferred})").format(
        langs=", ".join(c.languages), preferred=c.preferred_language))
    for t in c.targets:
        typer.echo("")
        typer.echo(f"[{t.id}] {t.name}" + (f" — {pick(t.title, ui)}" if t.title else ""))
        if t.address:
            for line in format_address(t.address, None, ui):
                typer.echo("    " + line)
        for label, values in ((_("Email"), t.emails), (_("Phone"), t.phones),
                              (_("Fax"), t.faxes), (_("Twitter"), t.twitter)):
            for value in values:
                typer.echo(f"    {label}: {value}")


def register(app: typer.Typer) -> None:
    from .help import AppealCommand

    app.command("cases", cls=AppealCommand, help=N_(
        "List the cases appeal knows: id, title, deadline and letter languages."))(cases_command)
    app.command("show", cls=AppealCommand, help=N_(
        "Show a case: targets with every contact channel, languages and deadline."))(show_command)
