"""The command line: a thin layer over :mod:`appeal.api`.

Each command turns options into one library call and prints a summary. Only this module
imports Typer; every message goes through gettext, and user mistakes end with a clear message
and exit code (2: usage, 1: other), never a traceback.
"""


import datetime as dt
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional
from urllib.parse import quote

import typer

from . import __version__
from .errors import USAGE, AppealError
from .i18n import _, ngettext, set_language

UI_LANG_FLAG = "--ui-lang"


@contextmanager
def user_errors():
    """Print an AppealError as 'Error: …' plus its hint, and exit with its code."""
    try:
        yield
    except AppealError as exc:
        typer.echo(_("Error: {message}").format(message=exc.message), err=True)
        if exc.hint:
            typer.echo(exc.hint, err=True)
        raise typer.Exit(exc.exit_code)


def tally_failed(n: int, exc: AppealError, what: str = "letters") -> None:
    """The letters (drafts) were made, only counting them failed: say both, plainly, and exit
    with 1 so a script notices; the user must not make the letters again."""
    if what == "letters":
        made = ngettext(
            "The {n} letter above was written; only counting it in your tally failed:",
            "The {n} letters above were written; only counting them in your tally failed:",
            n)
    else:
        made = ngettext(
            "The {n} draft above was written; only counting it in your tally failed:",
            "The {n} drafts above were written; only counting them in your tally failed:",
            n)
    typer.echo(made.format(n=n), err=True)
    typer.echo("  " + exc.message, err=True)
    if exc.hint:
        typer.echo("  " + exc.hint, err=True)
    typer.echo(_("Once that is fixed, count them by running the same command again with "
                 "--force (none is counted twice)."), err=True)
    raise typer.Exit(1)


# Bytes read from a --note-file / --body-file at most: generous for the character limits of
# appeal.text (4 bytes a character, blank lines, trailing spaces), small enough that a file
# given by mistake (a 50 MB log, /dev/zero) is refused at once instead of read whole.
MAX_TEXT_FILE = 256_000
MAX_SIGNATURE_FILE = 10_000_000


def read_limited(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path`` ('-': standard input), as an AppealError on
    failure (a folder, a missing file, no permission)."""
    try:
        if str(path) == "-":
            return sys.stdin.buffer.read(limit + 1)
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise AppealError(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        )


def read_signature_file(path: Path) -> bytes:
    raw = read_limited(path, MAX_SIGNATURE_FILE)
    if len(raw) > MAX_SIGNATURE_FILE:
        raise AppealError(
            _("signature: the file is larger than {mb} MB.").format(
                mb=MAX_SIGNATURE_FILE // 1_000_000),
            _("Use a PNG or JPEG scan of your signature."),
        )
    return raw


def read_text_file(path: Path, what: str) -> str:
    """A UTF-8 text file (BOM allowed) or '-' for standard input."""
    raw = read_limited(path, MAX_TEXT_FILE)
    if len(raw) > MAX_TEXT_FILE:
        raise AppealError(
            _("{what}: {path} is larger than {kb} KB: is it the right file?").format(
                what=what, path=path, kb=MAX_TEXT_FILE // 1000),
            _("A note or a letter body is plain text of a few thousand characters."),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AppealError(
            _("{what}: {path} is not UTF-8 text (byte {pos}).").format(
                what=what, path=path, pos=exc.start + 1
            ),
            _("Save the file as UTF-8 and try again."),
        )


def _edit_in_editor(letter) -> str:
    marker = _("# Edit the body of your letter to {recipient}. Lines starting with '#' are "
               "ignored;\n# separate paragraphs with a blank line. Save an empty text to "
               "cancel.").format(recipient=letter.recipient[0])
    text = marker + "\n\n" + "\n\n".join(letter.paragraphs) + "\n"
    from .editor import edit_text

    edited = edit_text(text)
    body = "\n".join(line for line in edited.splitlines() if not line.startswith("#")).strip()
    if not body:
        raise AppealError(_("The edited letter is empty; nothing was written."))
    return body


def _deadline_warning(case, today: dt.date) -> None:
    if case.deadline and today > case.deadline:
        typer.echo(
            _("Warning: the deadline of this Urgent Action ({deadline}) has passed. Please "
              "check with the Amnesty office in your country before sending appeals.").format(
                deadline=case.deadline_text or case.deadline.isoformat()
            ),
            err=True,
        )


def _hidden_note(loaded) -> str | None:
    """'(your copy; the bundled case of the same id is hidden)', or None."""
    if not loaded.hides:
        return None
    if loaded.hides_bundled:
        return _("your copy; the bundled case of the same id is hidden")
    return _("hides another case of the same id: {folders}").format(
        folders=", ".join(str(f) for f in loaded.hides))


def _status_text(case, limit: int = 3) -> str:
    """'complete', or 'draft: lacks ua_number, deadline, targets[0].address and 2 more'."""
    from .models import missing_fields

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


def _mailto(address: str, subject: str) -> str:
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject)}"


def create_app() -> typer.Typer:
    """Build the Typer app (after the interface language is chosen, so help is translated)."""
    app = typer.Typer(
        help=_("Turn an Urgent Action into addressed letters, ready to sign and send."),
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )
    cases_opt = Annotated[
        Optional[list[Path]],
        typer.Option(
            "--cases",
            metavar="DIR",
            help=_("Extra folder of cases (repeatable); also $APPEAL_CASES."),
            envvar=None,
        ),
    ]

    def version_callback(value: bool) -> None:
        if value:
            typer.echo(f"appeal {__version__}")
            raise typer.Exit()

    @app.callback()
    def main_options(
        version: Annotated[
            bool,
            typer.Option("--version", callback=version_callback, is_eager=True,
                         help=_("Show the version and exit.")),
        ] = False,
        ui_lang: Annotated[
            Optional[str],
            typer.Option(UI_LANG_FLAG, metavar="LANG", help=_("Language of appeal's messages (en, es); "
                                              "default: from LANGUAGE, LC_ALL, LANG.")),
        ] = None,
    ) -> None:
        if ui_lang:
            set_language(ui_lang)

    @app.command("cases", help=_("List the cases appeal knows: id, title, deadline and letter "
                                 "languages."))
    def cases_command(cases: cases_opt = None) -> None:
        from .api import list_cases
        from .i18n import current_language
        from .models import pick

        with user_errors():
            found, problems = list_cases(cases)
            for loaded in found:
                c = loaded.case
                deadline = c.deadline.isoformat() if c.deadline else _("no deadline")
                note = _hidden_note(loaded)
                title = pick(c.title, current_language()) or _("(no title)")
                typer.echo(f"{c.id}" + (f" ({note})" if note else "") + f"\t{title}\t"
                           + _("deadline {deadline}").format(deadline=deadline) + "\t"
                           + _("languages: {langs}").format(
                               langs=", ".join(c.languages) or _("none")) + "\t"
                           + _status_text(c))
            for problem in problems:
                typer.echo(_("Skipped a broken case: {problem}").format(problem=problem), err=True)
            if not found:
                typer.echo(_("No cases found."), err=True)
                raise typer.Exit(1)

    @app.command("show", help=_("Show a case: targets with every contact channel, languages "
                                "and deadline."))
    def show_command(
        case: Annotated[str, typer.Argument(metavar="CASE", help=_("Case id, e.g. ua-100.21"))],
        as_json: Annotated[bool, typer.Option("--json", help=_("Print the whole case as JSON."))] = False,
        cases: cases_opt = None,
    ) -> None:
        from .addresses import format_address
        from .api import load_case
        from .i18n import current_language
        from .models import pick

        with user_errors():
            loaded = load_case(case, cases)
        c = loaded.case
        from .models import missing_fields

        if as_json:
            data = c.model_dump(mode="json")
            data["folder"] = str(loaded.folder)
            data["missing"] = missing_fields(c)
            data["hides"] = [str(f) for f in loaded.hides]
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        ui = current_language()
        ua = f"UA {c.ua_number}" if c.ua_number else _("UA number unknown")
        title = pick(c.title, ui) or _("(no title)")
        typer.echo(f"{c.id} — {ua}: {title}")
        note = _hidden_note(loaded)
        if note:
            typer.echo(_("Note: {note} ({folder})").format(note=note, folder=loaded.folder))
        typer.echo(_("Status: {status}").format(status=_status_text(c, limit=1000)))
        if missing_fields(c):
            typer.echo(_("What each gap blocks: appeal check {case}").format(case=c.id))
        deadline = c.deadline_text or (c.deadline.isoformat() if c.deadline else _("none given"))
        typer.echo(_("Deadline: {deadline}").format(deadline=deadline))
        typer.echo(_("Letter languages: {langs} (preferred: {preferred})").format(
            langs=", ".join(c.languages) or _("none"), preferred=c.preferred_language))
        for t in c.targets:
            typer.echo("")
            name = t.name or _("(no name)")
            typer.echo(f"[{t.id}] {name}"
                       + (f" — {pick(t.title, ui)}" if t.title else ""))
            if t.address:
                for line in format_address(t.address, None, ui):
                    typer.echo("    " + line)
            for label, values in ((_("Email"), t.emails), (_("Phone"), t.phones),
                                  (_("Fax"), t.faxes), (_("Twitter"), t.twitter)):
                for value in values:
                    typer.echo(f"    {label}: {value}")

    @app.command("compose", help=_("Compose one letter per target of a case, as PDF and DOCX, "
                                   "ready to sign and send."))
    def compose_command(
        case: Annotated[str, typer.Argument(metavar="CASE", help=_("Case id, e.g. ua-100.21"))],
        name: Annotated[str, typer.Option("--name", metavar="NAME", help=_("Your name, as you sign."))],
        city: Annotated[Optional[str], typer.Option(metavar="CITY", help=_("Your city, for the dateline."))] = None,
        country: Annotated[Optional[str], typer.Option(
            metavar="CODE", help=_("Your country code (MX, US, ES...): paper size and address country line."))] = None,
        address: Annotated[Optional[list[str]], typer.Option(
            "--address", metavar="LINE", help=_("A line of your postal address (repeat for each line)."))] = None,
        email: Annotated[Optional[str], typer.Option(metavar="EMAIL", help=_("Your email address."))] = None,
        to: Annotated[Optional[list[str]], typer.Option(
            "--to", metavar="TARGET", help=_("Write only to this target id (repeatable); default: all."))] = None,
        lang: Annotated[Optional[str], typer.Option(
            metavar="LANG", help=_("Letter language; default: the case's preferred language."))] = None,
        date: Annotated[Optional[dt.datetime], typer.Option(
            formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help=_("Date of the letter (YYYY-MM-DD); default: today."))] = None,
        paper: Annotated[Optional[str], typer.Option(
            metavar="SIZE", help=_("a4 or letter; default: by your country."))] = None,
        note: Annotated[Optional[str], typer.Option(
            metavar="TEXT", help=_("A paragraph of your own, added before the closing."))] = None,
        note_file: Annotated[Optional[Path], typer.Option(
            metavar="FILE", help=_("Read your own paragraph from a UTF-8 file ('-': standard input)."))] = None,
        body_file: Annotated[Optional[Path], typer.Option(
            metavar="FILE", help=_("Replace the sample letter's body with this UTF-8 file."))] = None,
        edit: Annotated[bool, typer.Option(
            "--edit", help=_("Open each letter's text in $EDITOR before writing it."))] = False,
        signature: Annotated[Optional[Path], typer.Option(
            metavar="FILE", help=_("PNG or JPEG of your signature, printed above your name."))] = None,
        formats: Annotated[Optional[list[str]], typer.Option(
            "--format", metavar="FORMAT", help=_("pdf, docx or txt (repeatable); default: pdf and docx."))] = None,
        out: Annotated[Path, typer.Option(metavar="DIR", help=_("Folder for the letters."))] = Path("."),
        force: Annotated[bool, typer.Option(help=_("Replace letters that already exist."))] = False,
        no_record: Annotated[bool, typer.Option(
            "--no-record", help=_("Do not count this in your local action tally."))] = False,
        cases: cases_opt = None,
    ) -> None:
        from .api import Edits, Options, Supporter, compose_letters, load_case, write_letters
        from .readiness import LETTER, PRINT, select

        with user_errors():
            if note and note_file:
                raise AppealError(_("Give --note or --note-file, not both."), exit_code=USAGE)
            loaded = load_case(case, cases)
            output = PRINT if {"pdf", "docx"} & set(formats or ("pdf", "docx")) else LETTER
            ready = select(loaded, output, tuple(to or ()))
            for line in ready.skipped_lines(output):
                typer.echo(line, err=True)
            options = Options(
                lang=lang,
                date=date.date() if date else None,
                paper=paper,
                signature=read_signature_file(signature) if signature else None,
                targets=tuple(t.id for t in ready.targets),
                output=output,
            )
            edits = Edits(
                note=read_text_file(note_file, "--note-file") if note_file else note,
                body=read_text_file(body_file, "--body-file") if body_file else None,
            )
            supporter = Supporter(name=name, city=city, country=country,
                                  address="\n".join(address) if address else None, email=email)
            letters = compose_letters(loaded, supporter, edits, options)
            if edit:
                letters = [
                    compose_letters(loaded, supporter, Edits(body=_edit_in_editor(letter)),
                                    Options(**{**options.__dict__, "targets": (letter.target_id,)}))[0]
                    for letter in letters
                ]
            written = write_letters(letters, out, tuple(formats or ("pdf", "docx")), force=force)
        counted, tally_error = None, None
        if not no_record:
            from .ledger import record_letters

            try:
                counted = record_letters([item.letter for item in written])
            except AppealError as exc:  # the letters are written: say so, then the failure
                tally_error = exc
        _deadline_warning(loaded.case, options.date or dt.date.today())
        by_id = {t.id: t for t in loaded.case.targets}
        from .fitnotes import fit_notes

        for item in written:
            target = by_id[item.letter.target_id]
            typer.echo(_("Letter to {name}:").format(name=target.name))
            for path in item.paths:
                typer.echo(f"  {path}")
            for note_ in fit_notes(item.fit):
                typer.echo("  " + _("Note: {note}").format(note=note_))
            for address_ in target.emails:
                typer.echo("  " + _("Email: {address}").format(address=address_))
                typer.echo("  " + _mailto(address_, item.letter.title))
        if counted is not None:
            from .cli_channels import counted_message

            typer.echo(counted_message(counted))
        if tally_error is not None:
            tally_failed(len(written), tally_error)
        if not edits.note and not edits.body and not edit:
            typer.echo(_("Tip: identical letters count for less. Add a line of your own with "
                         "--note \"…\" or --edit."))

    from .cli_batch import register as register_batch
    from .cli_channels import register as register_channels
    from .cli_check import register as register_check
    from .cli_import import register as register_import
    from .web.cli import register as register_serve

    register_batch(app)
    register_import(app)
    register_check(app)
    register_channels(app)
    register_serve(app)
    _name_metavars(app)
    return app


_METAVARS = {"to": "TARGET", "country": "CODE", "formats": "FORMAT", "format": "FORMAT",
             "from_": "EMAIL", "sender": "EMAIL", "out": "DIR", "cases": "DIR", "lang": "LANG",
             "pause": "SECONDS", "smtp_host": "HOST", "smtp_user": "USER", "url": "URL"}


def _name_metavars(app: typer.Typer) -> None:
    """Give every option and argument a readable placeholder in --help (``--out DIR``,
    ``--date YYYY-MM-DD``) where the command did not name one, instead of ``<list[str]>``."""
    import inspect
    import typing

    from typer.models import ArgumentInfo, OptionInfo

    for command in app.registered_commands:
        hints = typing.get_type_hints(command.callback, include_extras=True)
        for name in inspect.signature(command.callback).parameters:
            hint = hints.get(name)
            if typing.get_origin(hint) is not Annotated:
                continue
            base, *extras = typing.get_args(hint)
            info = next((e for e in extras if isinstance(e, (OptionInfo, ArgumentInfo))), None)
            if info is None or info.metavar:
                continue
            inner = [a for a in typing.get_args(base) if a is not type(None)] or [base]
            kind = inner[0]
            kind = (typing.get_args(kind) or [kind])[0]  # list[str] -> str
            if kind is bool:
                continue
            if isinstance(info, ArgumentInfo):
                info.metavar = name.upper()
            elif kind is int:
                info.metavar = "N"
            elif kind is dt.datetime:
                info.metavar = "YYYY-MM-DD"
            elif name in _METAVARS:
                info.metavar = _METAVARS[name]
            elif kind is Path:
                info.metavar = "FILE"
            else:
                info.metavar = name.upper().rstrip("_")


def _ui_lang_from_argv(argv: list[str]) -> Optional[str]:
    for i, arg in enumerate(argv):
        if arg == UI_LANG_FLAG and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(UI_LANG_FLAG + "="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    set_language(_ui_lang_from_argv(sys.argv[1:]))
    create_app()()
