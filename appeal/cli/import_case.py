"""``appeal import``: the command line of :mod:`appeal.importer`.

Like every command, it maps user errors to a message and an exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..i18n import N_, _
from .common import user_errors


def _shadow_note(folder: Path) -> None:
    """Say so when the new case (imported with --force) hides another of the same id."""
    from ..cases import holders, is_bundled, is_searched

    if not is_searched(folder.parent):
        return
    others = [f for f in holders(folder.name, [folder.parent]) if f.resolve() != folder.resolve()]
    bundled = [f for f in others if is_bundled(f)]
    if bundled:
        typer.echo(_("Note: this case hides the bundled case of the same id ({bundled}); remove "
                     "{folder} to use the bundled one again.").format(bundled=bundled[0],
                                                                      folder=folder))
    elif others:
        typer.echo(_("Note: other cases have the same id: {folders}; 'appeal cases' and 'appeal "
                     "show' say which one is used.").format(
            folders=", ".join(str(f) for f in others)))


HELP = N_("Import an Urgent Action (DOCX, PDF, HTML, text, or '-' for standard input) as a new "
          "case, and review what was found.")


def import_command(
    document: Annotated[str, typer.Argument(help=N_("The UA file, or '-' to read pasted text."),
                                            metavar="DOCUMENT")],
    out: Annotated[Path | None, typer.Option("--out", help=N_(
        "Folder to create the case folder in (default: your cases folder)."),
        metavar="DIR")] = None,
    case_id: Annotated[str | None, typer.Option("--id", help=N_(
        "Case id (default: ua-<UA number>)."), metavar="CASE_ID")] = None,
    force: Annotated[bool, typer.Option("--force", help=N_(
        "Replace a case of yours with the same id (a bundled case is never replaced, "
        "only hidden, and 'appeal cases' says so)."))] = False,
    lang: Annotated[str | None, typer.Option("--lang", help=N_(
        "Language of the document (en, es, fr) if it is not detected correctly."),
        metavar="LANG")] = None,
    ua: Annotated[str | None, typer.Option("--ua", help=N_(
        "UA number (e.g. 64/24) when the document does not print it, as web copies often "
        "do not; the review marks it as given by you."), metavar="NUMBER")] = None,
    title: Annotated[str | None, typer.Option("--title", help=N_(
        "Title of the case, when the document lacks it or has it wrong."),
        metavar="TEXT")] = None,
    country: Annotated[str | None, typer.Option("--country", help=N_(
        "Country of the case: a two-letter code (PE) or a name (Peru)."),
        metavar="COUNTRY")] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help=N_(
        "Deadline of the UA (YYYY-MM-DD)."), metavar="YYYY-MM-DD")] = None,
) -> None:
    from ..importer import ImportRefused, import_document

    with user_errors():
        if lang is not None and lang not in ("en", "es", "fr"):
            raise UsageError(_("--lang: '{lang}' is not one of en, es, fr.").format(lang=lang))
        try:
            result = import_document(document, out_dir=out, case_id=case_id, force=force,
                                     lang=lang, ua_number=ua, title=title, country=country,
                                     deadline=deadline)
        except ImportRefused as exc:
            typer.echo(exc.review_text, err=True)  # what was found, before why it stops
            raise
    typer.echo(result.review_text(), nl=False)
    _shadow_note(result.folder)
    if result.loaded.case.status == "draft":
        typer.echo(_("This case is a draft: 'appeal check {case}' tells what each missing "
                     "field blocks; the outputs it does not block work now.").format(
            case=result.loaded.id))
    typer.echo(_("Try it: appeal compose {case} --name \"Your Name\"").format(
        case=result.loaded.id))


def register(app: typer.Typer) -> None:
    from .help import AppealCommand

    app.command("import", help=HELP, cls=AppealCommand)(import_command)
