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
        "Replace an existing case folder."))] = False,
    lang: Annotated[str | None, typer.Option("--lang", help=N_(
        "Language of the document (en, es, fr) if it is not detected correctly."),
        metavar="LANG")] = None,
    ua: Annotated[str | None, typer.Option("--ua", help=N_(
        "UA number (e.g. 64/24) when the document does not print it, as web copies often "
        "do not; the review marks it as given by you."), metavar="NUMBER")] = None,
) -> None:
    from ..importer import ImportRefused, import_document

    with user_errors():
        if lang is not None and lang not in ("en", "es", "fr"):
            raise UsageError(_("--lang: '{lang}' is not one of en, es, fr.").format(lang=lang))
        try:
            result = import_document(document, out_dir=out, case_id=case_id, force=force,
                                     lang=lang, ua_number=ua)
        except ImportRefused as exc:
            typer.echo(exc.review_text, err=True)  # what was found, before why it stops
            raise
    typer.echo(result.review_text(), nl=False)
    typer.echo(_("Try it: appeal compose {case} --name \"Your Name\"").format(
        case=result.loaded.id))


def register(app: typer.Typer) -> None:
    from .help import AppealCommand

    app.command("import", help=HELP, cls=AppealCommand)(import_command)
