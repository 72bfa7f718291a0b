"""``appeal batch``: the command-line face of :func:`appeal.batch.run_batch`.

Wire it with ``from .cli_batch import register; register(app)`` in ``create_app``.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from .i18n import _, ngettext


class Progress:
    """Count and ETA on a terminal; silent in pipes and CI."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() and not os.environ.get("CI")
        self.start = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.shown < 0.1:
            return
        self.shown = now
        elapsed = now - self.start
        eta = elapsed / done * (total - done) if done else 0
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = _("[{bar}] {done}/{total} letters, {eta} s left").format(
            bar=bar, done=done, total=total, eta=int(eta + 0.5))
        self.stream.write("\r" + line)
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def split_list(values) -> list[str]:
    """``--format pdf,docx`` means the same as ``--format pdf --format docx``."""
    return [part.strip() for value in values or () for part in value.split(",")
            if part.strip()]


def deadline_warning(case, today=None) -> None:
    """The warning compose prints when the case's deadline has passed (once, on stderr)."""
    from .cli import _deadline_warning

    _deadline_warning(case, today or dt.date.today())


def register(app: typer.Typer) -> None:
    """Add the ``batch`` command to ``app``."""
    from .cli import user_errors

    cases_help = _("Extra folder of cases (repeatable); also $APPEAL_CASES.")

    @app.command("batch", help=_(
        "Make a letter for every row of a sign-up sheet (CSV or .xlsx), plus print-all.pdf, "
        "envelopes, labels, a cover sheet and a manifest."))
    def batch_command(
        case: Annotated[str, typer.Argument(help=_("Case id, e.g. ua-100.21"))],
        sheet: Annotated[Path, typer.Argument(help=_(
            "Sign-up sheet: CSV (comma, semicolon or tab; UTF-8 or UTF-16) or .xlsx. Columns: "
            "name (required), city, country, language, to, note, email, address. An address "
            "cell may separate its lines with line breaks, ';' or ' / '."))],
        out: Annotated[Path, typer.Option(help=_("Folder for the pack."))] = Path("batch-out"),
        formats: Annotated[Optional[list[str]], typer.Option(
            "--format", help=_("pdf, docx or txt (repeatable, or comma-separated: pdf,docx); "
                                "default: pdf and docx."))] = None,
        to: Annotated[Optional[list[str]], typer.Option(
            "--to", help=_("Target id for rows without a 'to' cell (repeatable, or "
                            "comma-separated); default: all."))
        ] = None,
        lang: Annotated[Optional[str], typer.Option(
            help=_("Letter language for rows without one; default: the case's."))] = None,
        country: Annotated[Optional[str], typer.Option(
            help=_("Your country code, for rows without one (paper, airmail, postage)."))] = None,
        date: Annotated[Optional[dt.datetime], typer.Option(
            formats=["%Y-%m-%d"], help=_("Date of the letters (YYYY-MM-DD); default: today."))
        ] = None,
        paper: Annotated[Optional[str], typer.Option(
            help=_("a4 or letter for every letter and print-all.pdf; default: by --country, "
                   "else the most common among the rows."))] = None,
        encoding: Annotated[Optional[str], typer.Option(
            help=_("Encoding of a CSV that is not UTF-8, e.g. cp1252."))] = None,
        blank: Annotated[int, typer.Option(
            min=0, max=500, help=_("Extra letters with the name left blank, for walk-ins."))] = 0,
        duplex: Annotated[bool, typer.Option(
            "--duplex", help=_("Pad print-all.pdf so every letter starts on a front side."))
        ] = False,
        envelope: Annotated[Optional[str], typer.Option(
            help=_("Envelope size: dl, c5 or us10; default: by paper size."))] = None,
        return_address: Annotated[bool, typer.Option(
            "--return-address/--no-return-address",
            help=_("Print the attendee's address on the envelope when given."))] = True,
        dry_run: Annotated[bool, typer.Option(
            "--dry-run", help=_("Check every row and show what would be made."))] = False,
        limit: Annotated[Optional[int], typer.Option(
            min=0, help=_("Read only the first N rows (attendees); blank letters come on top."))
        ] = None,
        keep_duplicates: Annotated[bool, typer.Option(
            "--keep-duplicates", help=_("Make a letter for every row, even for an attendee "
                                        "who signed up twice (same name and city, or same "
                                        "email)."))] = False,
        force: Annotated[bool, typer.Option(
            help=_("Remake letters that are unchanged and replace files not made by appeal."))
        ] = False,
        jobs: Annotated[Optional[int], typer.Option(
            min=1, help=_("Worker processes; default: the number of cores."))] = None,
        no_record: Annotated[bool, typer.Option(
            "--no-record", help=_("Do not count this in your local action tally."))] = False,
        cases: Annotated[Optional[list[Path]], typer.Option("--cases", help=cases_help)] = None,
    ) -> None:
        from .api import load_case
        from .batch import BatchOptions, run_batch
        from .batch.envelopes import ENVELOPES_MM
        from .errors import UsageError

        with user_errors():
            if envelope and envelope.lower() not in ENVELOPES_MM:
                raise UsageError(_("Unknown envelope size '{size}'.").format(size=envelope),
                                 _("Use one of: {sizes}").format(sizes=", ".join(ENVELOPES_MM)))
            loaded = load_case(case, cases)
            deadline_warning(loaded.case, date.date() if date else None)
            options = BatchOptions(
                formats=tuple(split_list(formats) or ("pdf", "docx")), lang=lang,
                targets=tuple(split_list(to)), country=country.upper() if country else None,
                date=date.date() if date else None, paper=paper, encoding=encoding,
                blank=blank, duplex=duplex, envelope=envelope, return_address=return_address,
                dry_run=dry_run, limit=limit, force=force, jobs=jobs, progress=Progress(),
                record=not no_record, keep_duplicates=keep_duplicates,
            )
            result = run_batch(loaded, sheet, out, options)
        _report(result)
        if result.jobs:
            from .batch.paper import paper_reason

            typer.echo(paper_reason(result.jobs[0].letter.paper, paper, options.country))
        fitted = [job for job in result.jobs if job.fit]
        if fitted:
            typer.echo(ngettext(
                "{n} letter set smaller, on two pages, with the address outside the window or "
                "a label cut: see the 'fit' column of manifest.csv; a shorter note fits better.",
                "{n} letters set smaller, on two pages, with the address outside the window or "
                "a label cut: see the 'fit' column of manifest.csv; a shorter note fits better.",
                len(fitted)).format(
                    n=len(fitted)))
        if not result.ok:
            raise typer.Exit(1)


def _counts(result) -> str:
    """"0 unchanged, 1 row with problems, 2 blank rows skipped", each part in its plural."""
    failed, blank = len(result.failed_rows), result.sheet.blank_rows
    parts = [
        ngettext("{n} unchanged", "{n} unchanged", result.unchanged).format(n=result.unchanged),
        ngettext("{n} row with problems", "{n} rows with problems", failed).format(n=failed),
        ngettext("{n} blank row skipped", "{n} blank rows skipped", blank).format(n=blank),
    ]
    dups = len(result.duplicates)
    if dups:
        parts.append(ngettext("{n} duplicate attendee", "{n} duplicate attendees",
                              dups).format(n=dups))
    return ", ".join(parts)


def _report(result) -> None:
    sheet = result.sheet
    for note in result.notes:
        typer.echo(note, err=True)
    if sheet.unknown_columns:
        typer.echo(_("Note: ignored unknown columns: {columns}").format(
            columns=", ".join(sheet.unknown_columns)), err=True)
    for line, reason in result.failed_rows:
        where = sheet.where(line) if line is not None else _("blank letter")
        typer.echo(f"{where}: {reason}", err=True)
    for dup in result.duplicates:
        message = (_("same attendee as row {line}; made again (--keep-duplicates)") if dup.made
                   else _("same attendee as row {line}; made once (--keep-duplicates makes "
                          "every row)"))
        typer.echo(f"{sheet.where(dup.line)}: " + message.format(line=dup.first), err=True)
    if result.stale_kept:
        typer.echo(ngettext(
            "{n} letter no longer on the sheet is kept until every row is fixed.",
            "{n} letters no longer on the sheet are kept until every row is fixed.",
            result.stale_kept).format(n=result.stale_kept), err=True)
    if result.removed:
        n = len(result.removed)
        text = (ngettext("Would remove {n} letter no longer on the sheet:",
                         "Would remove {n} letters no longer on the sheet:", n) if
                result.dry_run else
                ngettext("Removed {n} letter no longer on the sheet:",
                         "Removed {n} letters no longer on the sheet:", n))
        typer.echo(text.format(n=n) + " " + ", ".join(result.removed[:10])
                   + (" …" if n > 10 else ""), err=True)
    if result.dry_run:
        for job in result.jobs:
            label = _("unchanged") if job.status == "unchanged" else (
                _("failed") if job.status == "failed" else _("would make"))
            typer.echo(f"{label}: " + ", ".join(str(p) for p in job.paths.values()))
        would = sum(1 for j in result.jobs if j.status == "planned")
        typer.echo(ngettext("Dry run: {n} letter would be made", "Dry run: {n} letters would "
                            "be made", would).format(n=would) + f" ({_counts(result)}).")
        return
    typer.echo(ngettext("Made {n} letter", "Made {n} letters", result.made).format(n=result.made)
               + _(" in {out}").format(out=result.out_dir) + f" ({_counts(result)}).")
    for key in ("print_all", "envelopes", "labels", "cover", "manifest"):
        if key in result.files:
            typer.echo("  " + str(result.files[key]))
    if result.counted is not None:
        from .cli_channels import counted_message

        typer.echo(counted_message(result.counted))
    if result.uncounted:
        typer.echo(ngettext("{n} removed letter taken out of your tally.",
                            "{n} removed letters taken out of your tally.",
                            result.uncounted).format(n=result.uncounted))
    if result.count_error:
        typer.echo(_("The letters were written, but counting them in your tally failed: "
                     "{error} Run the same command again to count them.").format(
                         error=result.count_error), err=True)
