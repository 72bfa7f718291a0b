"""The ``serve`` command (registered on the main Typer app by :func:`register`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..i18n import _, ngettext


def register(app: typer.Typer) -> None:
    @app.command("serve", help=_("Run a letter-writing night: a local web page where attendees "
                                 "write, preview and queue their letters, and an organizer page "
                                 "to print the queue."))
    def serve_command(
        case: Annotated[Optional[list[str]], typer.Argument(
            metavar="CASE", help=_("Cases for tonight; default: every case appeal knows."))]
        = None,
        out: Annotated[Path, typer.Option(
            metavar="DIR", help=_("Folder for the night's queue and print files."))]
        = Path("appeal-night"),
        country: Annotated[Optional[str], typer.Option(
            metavar="CODE", help=_("Your country code: attendees' default and the paper size."))]
        = None,
        lan: Annotated[bool, typer.Option(
            "--lan", help=_("Let phones on the same network join (with a join code); default: "
                            "this computer only."))] = False,
        port: Annotated[int, typer.Option(
            metavar="N", help=_("Port to listen on (0: any free port)."))] = 8000,
        no_record: Annotated[bool, typer.Option(
            "--no-record", help=_("Do not count tonight's letters in your local action "
                                  "tally."))] = False,
        cases: Annotated[Optional[list[Path]], typer.Option(
            "--cases", metavar="DIR", help=_("Extra folder of cases (repeatable); also "
                                             "$APPEAL_CASES."))] = None,
    ) -> None:
        from ..api import Supporter, list_cases, load_case
        from ..cli import user_errors
        from ..errors import AppealError
        from .app import ServeConfig
        from .server import serve

        with user_errors():
            if case:
                loaded = [load_case(c, cases) for c in dict.fromkeys(case)]
            else:
                loaded, _problems = list_cases(cases)
                if not loaded:
                    raise AppealError(_("No cases found."),
                                      _("Add a case folder with --cases DIR."))
            if country:  # checked by the same rule as a supporter's country
                country = Supporter(name="-", country=country).cleaned().country
            config = ServeConfig(cases=loaded, out=out, country=country, lan=lan,
                                 record=not no_record)
            left = serve(config, port, typer.echo)
        typer.echo(ngettext("Stopped. {n} letter is still in the queue, kept in {path}.",
                            "Stopped. {n} letters are still in the queue, kept in {path}.",
                            left).format(n=left, path=out / "night.json"))
