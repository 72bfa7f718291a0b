"""What every command does the same way: print a user error and exit, count actions, turn the
supporter options into the library's request, warn about a passed deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer

from ..errors import USAGE, AppealError
from ..i18n import _, ngettext


@contextmanager
def user_errors() -> Iterator[None]:
    """Print an AppealError as 'Error: …' plus its hint, in the user's language, and exit
    with its code; anything else is a bug and keeps its traceback."""
    try:
        yield
    except AppealError as exc:
        message, hint = exc.render(_)
        typer.echo(_("Error: {message}").format(message=message), err=True)
        if hint:
            typer.echo(hint, err=True)
        raise typer.Exit(exc.exit_code)


def counted_message(new: int) -> str:
    """How many new actions went into the tally."""
    if new == 0:
        return _("Already counted in your tally; nothing new to add (appeal report).")
    return ngettext("{n} new action counted in your tally (appeal report).",
                    "{n} new actions counted in your tally (appeal report).", new).format(n=new)


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
    message, hint = exc.render(_)
    typer.echo(made.format(n=n), err=True)
    typer.echo("  " + message, err=True)
    if hint:
        typer.echo("  " + hint, err=True)
    typer.echo(_("Once that is fixed, count them by running the same command again with "
                 "--force (none is counted twice)."), err=True)
    raise typer.Exit(1)


def deadline_warning(case, today: dt.date) -> None:
    from ..cases import deadline_label
    from ..i18n import current_language

    if case.deadline and today > case.deadline:
        typer.echo(
            _("Warning: the deadline of this Urgent Action ({deadline}) has passed. Please "
              "check with the Amnesty office in your country before sending appeals.").format(
                deadline=deadline_label(case, current_language())),
            err=True)


def split_list(values) -> list[str]:
    """``--format pdf,docx`` means the same as ``--format pdf --format docx``."""
    return [part.strip() for value in values or () for part in value.split(",")
            if part.strip()]


@dataclass
class SupporterOptions:
    """The supporter options every writing command takes (see ``options.SUPPORTER``)."""

    name: str
    city: str | None = None
    country: str | None = None
    address: list[str] | None = None
    email: str | None = None
    date: dt.datetime | None = None
    lang: str | None = None
    to: list[str] | None = None
    note: str | None = None
    note_file: Path | None = None
    body_file: Path | None = None
    edit: bool = False
    signature: Path | None = None

    def __post_init__(self) -> None:
        self.to = split_list(self.to) or None  # --to a,b as --to a --to b

    def request(self, paper: str | None = None, output: str = "letter"):
        """(Supporter, Edits, Options) for :func:`appeal.api.compose_letters`."""
        from ..api import Edits, Options, Supporter
        from ..inputs import read_signature_file, read_text_file

        if self.note and self.note_file:
            raise AppealError(_("Give --note or --note-file, not both."), exit_code=USAGE)
        supporter = Supporter(name=self.name, city=self.city, country=self.country,
                              address="\n".join(self.address) if self.address else None,
                              email=self.email)
        edits = Edits(
            note=read_text_file(self.note_file, "--note-file") if self.note_file else self.note,
            body=read_text_file(self.body_file, "--body-file") if self.body_file else None)
        options = Options(
            lang=self.lang, date=self.date.date() if self.date else None, paper=paper,
            signature=read_signature_file(self.signature) if self.signature else None,
            targets=tuple(self.to or ()), output=output)
        return supporter, edits, options

    def ready_targets(self, loaded, output: str) -> list:
        """The targets ``output`` can go to (a draft case's gaps may block some: said on
        stderr); ``--to`` then names exactly those."""
        from ..readiness import select

        ready = select(loaded, output, tuple(self.to or ()))
        for line in ready.skipped_lines(output):
            typer.echo(line, err=True)
        self.to = [t.id for t in ready.targets]
        return ready.targets

    def letters(self, loaded, paper: str | None = None, output: str = "letter"):
        """The letters, each opened in the editor first when ``--edit`` was given."""
        from ..api import Edits, Options, compose_letters

        supporter, edits, options = self.request(paper, output)
        letters = compose_letters(loaded, supporter, edits, options)
        if not self.edit:
            return letters, edits, options
        return [compose_letters(loaded, supporter, Edits(body=edit_in_editor(letter)),
                                Options(**{**options.__dict__, "targets": (letter.target_id,)}))[0]
                for letter in letters], edits, options


def edit_in_editor(letter) -> str:
    from ..editor import edit_text

    marker = _("# Edit the body of your letter to {recipient}. Lines starting with '#' are "
               "ignored;\n# separate paragraphs with a blank line. Save an empty text to "
               "cancel.").format(recipient=letter.recipient[0])
    edited = edit_text(marker + "\n\n" + "\n\n".join(letter.paragraphs) + "\n")
    body = "\n".join(line for line in edited.splitlines() if not line.startswith("#")).strip()
    if not body:
        raise AppealError(_("The edited letter is empty; nothing was written."))
    return body


def trimmed_note(letters) -> None:
    """Say what a --body-file lost because the letter prints it itself."""
    trimmed = list(dict.fromkeys(p for letter in letters for p in letter.trimmed))
    if trimmed:
        typer.echo(_("Note: the letter prints its own salutation and closing; left out of "
                     "your --body-file: {parts}").format(parts=" / ".join(trimmed)), err=True)
