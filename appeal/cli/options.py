"""Options shared by the commands, declared once so every command spells them the same way.

Help texts are message ids (``N_``): :mod:`appeal.cli.help` translates them when a help page
is shown. A supporter is given the same way to every command that writes for one
(:data:`SUPPORTER` names the set; ``tests/test_cli_shape.py`` checks it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import N_

CaseArg = Annotated[str, typer.Argument(metavar="CASE", help=N_("Case id, e.g. ua-100.21"))]
Cases = Annotated[list[Path] | None, typer.Option(
    "--cases", metavar="DIR", help=N_("Extra folder of cases (repeatable); also $APPEAL_CASES."))]
To = Annotated[list[str] | None, typer.Option(
    "--to", metavar="TARGET", help=N_("Write only to this target id (repeatable, or comma-separated); "
                             "default: all."))]
Lang = Annotated[str | None, typer.Option(
    "--lang", metavar="LANG", help=N_("Letter language; default: the case's preferred language."))]
NoRecord = Annotated[bool, typer.Option(
    "--no-record", help=N_("Do not count this in your local action tally."))]
Date = Annotated[dt.datetime | None, typer.Option(
    "--date", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
    help=N_("Date of the letter (YYYY-MM-DD); default: today."))]

# --- the supporter: the same on compose and email -----------------------------------------
Name = Annotated[str, typer.Option("--name", metavar="NAME", help=N_("Your name, as you sign."))]
City = Annotated[str | None, typer.Option(
    "--city", metavar="CITY", help=N_("Your city, for the dateline."))]
Country = Annotated[str | None, typer.Option(
    "--country", metavar="CODE",
    help=N_("Your country code (MX, US, ES...): paper size and address country line."))]
Address = Annotated[list[str] | None, typer.Option(
    "--address", metavar="LINE", help=N_("A line of your postal address (repeat for each line)."))]
Email = Annotated[str | None, typer.Option(
    "--email", metavar="EMAIL", help=N_("Your email address."))]
FromAlias = Annotated[str | None, typer.Option(
    "--from", metavar="EMAIL", hidden=True, help=N_("Old name of --email."))]
Note = Annotated[str | None, typer.Option(
    "--note", metavar="TEXT", help=N_("A paragraph of your own, added before the closing."))]
NoteFile = Annotated[Path | None, typer.Option(
    "--note-file", metavar="FILE",
    help=N_("Read your own paragraph from a UTF-8 file ('-': standard input)."))]
BodyFile = Annotated[Path | None, typer.Option(
    "--body-file", metavar="FILE",
    help=N_("Replace the sample letter's body with this UTF-8 file."))]
Edit = Annotated[bool, typer.Option(
    "--edit", help=N_("Open each letter's text in $EDITOR before writing it."))]
Signature = Annotated[Path | None, typer.Option(
    "--signature", metavar="FILE",
    help=N_("PNG or JPEG of your signature, printed above your name."))]

SUPPORTER = ("--name", "--city", "--country", "--address", "--email", "--date", "--lang", "--to",
             "--note", "--note-file", "--body-file", "--edit", "--signature")
