"""``appeal cases`` and ``appeal show``: what cases appeal knows, and one case in full."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..i18n import N_, _
from . import options as o
from .common import user_errors


def hidden_note(loaded) -> str | None:
    """'(your copy; the bundled case of the same id is hidden)', or None."""
    if not loaded.hides:
        return None
    if loaded.hides_bundled:
        return _("your copy; the bundled case of the same id is hidden")
    return _("hides another case of the same id: {folders}").format(
        folders=", ".join(str(f) for f in loaded.hides))


def status_text(case, limit: int = 3) -> str:
    """'complete', or 'draft: lacks ua_number, deadline, targets[0].address and 2 more'."""
    from ..models import missing_fields

    missing = missing_fields(case)
    if case.status != "draft" and not missing:
        return _("complete")
    if not missing:
        return _("draft: nothing missing (appeal check {case} --mark-complete)").format(
            case=case.id)
    shown = ", ".join(missing[:limit])
    if len(missing) > limit:
        shown = _("{fields} and {n} more").format(fields=shown, n=len(missing) - limit)
    return (_("draft: lacks {fields}") if case.status == "draft"
            else _("lacks {fields}")).format(fields=shown)


def cases_command(cases: o.Cases = None) -> None:
    from ..api import list_cases
    from ..i18n import current_language
    from ..models import pick

    with user_errors():
        found, problems = list_cases(cases)
    for loaded in found:
        c = loaded.case
        deadline = c.deadline.isoformat() if c.deadline else _("no deadline")
        note = hidden_note(loaded)
        title = pick(c.title, current_language()) or _("(no title)")
        typer.echo(f"{c.id}" + (f" ({note})" if note else "") + f"\t{title}\t"
                   + _("deadline {deadline}").format(deadline=deadline) + "\t"
                   + _("languages: {langs}").format(langs=", ".join(c.languages) or _("none"))
                   + "\t" + status_text(c))
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
        from ..models import missing_fields

        data = loaded.case.model_dump(mode="json")
        data["folder"] = str(loaded.folder)
        data["missing"] = missing_fields(loaded.case)
        data["hides"] = [str(f) for f in loaded.hides]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _show(loaded)


def _show(loaded) -> None:
    from ..cases import deadline_label
    from ..i18n import current_language
    from ..models import missing_fields, pick

    c, ui = loaded.case, current_language()
    ua = _("UA {number}").format(number=c.ua_number) if c.ua_number else _("UA number unknown")
    title = pick(c.title, ui) or _("(no title)")
    typer.echo(f"{c.id} — {ua}: {title}")
    note = hidden_note(loaded)
    if note:
        typer.echo(_("Note: {note} ({folder})").format(note=note, folder=loaded.folder))
    typer.echo(_("Status: {status}").format(status=status_text(c, limit=1000)))
    if missing_fields(c):
        typer.echo(_("What each gap blocks: appeal check {case}").format(case=c.id))
    deadline = deadline_label(c, ui) if c.deadline else (c.deadline_text or _("none given"))
    typer.echo(_("Deadline: {deadline}").format(deadline=deadline))
    typer.echo(_("Letter languages: {langs} (preferred: {preferred})").format(
        langs=", ".join(c.languages) or _("none"), preferred=c.preferred_language))
    _show_targets(c.targets, ui)


def _show_targets(targets, ui: str) -> None:
    from ..addresses import format_address
    from ..models import pick

    for t in targets:
        typer.echo("")
        name = t.name or _("(no name)")
        typer.echo(f"[{t.id}] {name}" + (f" — {pick(t.title, ui)}" if t.title else ""))
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
