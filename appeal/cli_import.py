"""``appeal import``: the command line of :mod:`appeal.importer`.

Kept out of ``cli.py`` so the importer can be developed on its own; ``cli.py`` calls
:func:`register`. Like every command, it maps user errors to a message and an exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import AppealError
from .i18n import _


def _shadow_note(folder: Path) -> None:
    """Say so when the new case (imported with --force) hides another of the same id."""
    from .cases import holders, is_bundled, is_searched

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


def register(app: typer.Typer) -> None:
    """Add the ``import`` command to ``app``."""

    @app.command("import", help=_("Import an Urgent Action (DOCX, PDF, HTML, text, or '-' for "
                                  "standard input) as a new case, and review what was found."))
    def import_command(
        document: Annotated[str, typer.Argument(help=_("The UA file, or '-' to read pasted text."),
                                                metavar="DOCUMENT")],
        out: Annotated[Optional[Path], typer.Option("--out", help=_(
            "Folder to create the case folder in (default: your cases folder)."),
            metavar="DIR")] = None,
        case_id: Annotated[Optional[str], typer.Option("--id", help=_(
            "Case id (default: ua-<UA number>)."), metavar="CASE_ID")] = None,
        force: Annotated[bool, typer.Option("--force", help=_(
            "Replace a case of yours with the same id (a bundled case is never replaced, "
            "only hidden, and 'appeal cases' says so)."))] = False,
        lang: Annotated[Optional[str], typer.Option("--lang", help=_(
            "Language of the document (en, es, fr) if it is not detected correctly."),
            metavar="LANG")] = None,
        ua: Annotated[Optional[str], typer.Option("--ua", help=_(
            "UA number (e.g. 64/24) when the document does not print it, as web copies often "
            "do not; the review marks it as given by you."), metavar="NUMBER")] = None,
        title: Annotated[Optional[str], typer.Option("--title", help=_(
            "Title of the case, when the document lacks it or has it wrong."),
            metavar="TEXT")] = None,
        country: Annotated[Optional[str], typer.Option("--country", help=_(
            "Country of the case: a two-letter code (PE) or a name (Peru)."),
            metavar="COUNTRY")] = None,
        deadline: Annotated[Optional[str], typer.Option("--deadline", help=_(
            "Deadline of the UA (YYYY-MM-DD)."), metavar="YYYY-MM-DD")] = None,
    ) -> None:
        from .importer import ImportRefused, import_document

        if lang is not None and lang not in ("en", "es", "fr"):
            typer.echo(_("Error: {message}").format(
                message=_("--lang: '{lang}' is not one of en, es, fr.").format(lang=lang)), err=True)
            raise typer.Exit(2)
        try:
            result = import_document(document, out_dir=out, case_id=case_id, force=force, lang=lang,
                                     ua_number=ua, title=title, country=country,
                                     deadline=deadline)
        except ImportRefused as exc:
            typer.echo(exc.review_text, err=True)
            typer.echo(_("Error: {message}").format(message=exc.message), err=True)
            typer.echo(exc.hint, err=True)
            raise typer.Exit(exc.exit_code)
        except AppealError as exc:
            typer.echo(_("Error: {message}").format(message=exc.message), err=True)
            if exc.hint:
                typer.echo(exc.hint, err=True)
            raise typer.Exit(exc.exit_code)
        typer.echo(result.review_text(), nl=False)
        _shadow_note(result.folder)
        if result.loaded.case.status == "draft":
            typer.echo(_("This case is a draft: 'appeal check {case}' tells what each missing "
                         "field blocks; the outputs it does not block work now.").format(
                case=result.loaded.id))
        typer.echo(_("Try it: appeal compose {case} --name \"Your Name\"").format(
            case=result.loaded.id))
