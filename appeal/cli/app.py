"""The ``appeal`` group: its own options (--version, --ui-lang) and every command module."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import USAGE
from ..i18n import N_, _, available_ui_languages, set_language, ui_language_offered
from .argv import UI_LANG_FLAG, command_from_argv, ui_lang_from_argv
from . import batch, cases, check, compose, email, import_case, post, serve, tally
from .help import AppealGroup

COMMANDS = (cases, compose, batch, import_case, check, email, post, tally)  # help lists them in order
# Commands that make a handful of letters or files and exit (not batch, email, serve).
SHORT_COMMANDS = frozenset({"cases", "show", "compose", "import", "check", "post", "call",
                            "record", "report"})


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"appeal {__version__}")
        raise typer.Exit()


def main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help=N_("Show the version and exit."))] = False,
    ui_lang: Annotated[str | None, typer.Option(
        UI_LANG_FLAG, metavar="LANG",
        help=N_("Language of appeal's messages (en, es); default: from LANGUAGE, LC_ALL, "
                "LANG."))] = None,
) -> None:
    if not ui_lang:
        return
    if not ui_language_offered(ui_lang):
        typer.echo(_("Error: {message}").format(message=_(
            "appeal's messages are not available in '{lang}'.").format(lang=ui_lang)), err=True)
        typer.echo(_("Available: {langs}").format(langs=", ".join(available_ui_languages())),
                   err=True)
        raise typer.Exit(USAGE)
    set_language(ui_lang)


def create_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command (help is translated when shown), or with just the
    command ``only`` when that names one: Typer turns each registered command into a Click
    command before running any, so a run of one command skips building the others."""
    app = typer.Typer(
        cls=AppealGroup,
        help=N_("Turn an Urgent Action into addressed letters, ready to sign and send."),
        no_args_is_help=True, add_completion=False, rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )
    app.callback()(main_options)
    for module in COMMANDS:
        module.register(app)
    serve.register(app)  # after the others: last in --help
    if only is not None and any(c.name == only for c in app.registered_commands):
        app.registered_commands = [c for c in app.registered_commands if c.name == only]
    _name_metavars(app)
    return app


_METAVARS = {"to": "TARGET", "country": "CODE", "formats": "FORMAT", "out": "DIR",
             "cases": "DIR", "lang": "LANG"}


def _name_metavars(app: typer.Typer) -> None:
    """A readable placeholder in --help (``--out DIR``) for every option that has none."""
    import inspect
    import typing

    from typer.models import ArgumentInfo, OptionInfo

    for command in app.registered_commands:
        if command.callback is None:
            continue
        hints = typing.get_type_hints(command.callback, include_extras=True)
        for name in inspect.signature(command.callback).parameters:
            hint = hints.get(name)
            if typing.get_origin(hint) is not Annotated:
                continue
            base, *extras = typing.get_args(hint)
            info = next((e for e in extras if isinstance(e, (OptionInfo, ArgumentInfo))), None)
            kind = _base_type(base)
            if info is None or info.metavar or kind is bool:
                continue
            info.metavar = _metavar(name, kind, info)


def _base_type(hint):
    import typing

    inner = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
    kind = inner[0]
    return (typing.get_args(kind) or [kind])[0]  # list[str] -> str


def _metavar(name: str, kind, info) -> str:
    from typer.models import ArgumentInfo

    if isinstance(info, ArgumentInfo):
        return name.upper()
    if kind is int:
        return "N"
    if kind is dt.datetime:
        return "YYYY-MM-DD"
    if name in _METAVARS:
        return _METAVARS[name]
    return "FILE" if kind is Path else name.upper().rstrip("_")


def main() -> None:
    """Run the command line (``appeal.cli.main`` sets up the regular-expression record first)."""
    # appeal checks its own files with pydantic; discovering pydantic plugins scans the
    # metadata of every installed package (~40 ms a run). A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    requested = ui_lang_from_argv(sys.argv[1:])
    # an unavailable --ui-lang is refused (in the environment's language) by main_options
    set_language(requested if requested and ui_language_offered(requested) else None)
    command = command_from_argv(sys.argv[1:])
    if command not in SHORT_COMMANDS:
        create_app(only=command)()
        return
    # Nothing a short command makes needs collecting before it exits, while the collector
    # walking the half a million objects of the libraries it imports costs ~80 ms.
    gc.disable()
    try:
        create_app(only=command)()
    finally:
        # The interpreter still collects at exit, walking every object again (~0.1 s of a
        # compose): frozen objects are left to the process's end. Files, the tally and atexit
        # handlers are closed and run as before.
        gc.freeze()
