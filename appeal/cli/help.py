"""Help pages and usage errors in the user's language.

Commands declare their help as message ids (``N_``) at import time; :class:`AppealCommand` and
:class:`AppealGroup` translate them when a page is shown, in the language chosen by then.
Typer 0.29 vendors Click with gettext removed: "Usage: ", "Show this message and exit.",
"No such option", "Missing option" and its value errors are plain English there, so these
classes write the usage line and the help option themselves, and the group turns Click's usage
errors into appeal's own messages. Typer's own words ("Options", "[required]", "default: …")
go through a module-level ``_`` that we point at appeal's.
"""

from __future__ import annotations

import re
import sys

import typer
import typer.core
from typer._click import exceptions as click_errors
from typer.exceptions import Abort

from ..i18n import N_, _
from .coercion import install as install_plain_coercion

# Typer's own strings, looked up through appeal's catalogs (marked here for extraction).
TYPER_WORDS = (N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"),
               N_("required"), N_("env var: {var}"), N_("Missing command."),
               N_("No such command {name!r}."), N_("Aborted!"), N_("(dynamic)"))
typer.core._ = _  # typer.core calls `_` at help time

# Value errors that Typer's coercion reports in English → appeal's own words.
_DETAILS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"'(?P<value>.*)' does not match the formats? "),
     N_("'{value}' is not a date in the form YYYY-MM-DD.")),
    (re.compile(r"Input should be a valid integer"), N_("a whole number is needed.")),
    (re.compile(r"Input should be a valid number"), N_("a number is needed.")),
    (re.compile(r"Input should be greater than or equal to (?P<min>\S+)"),
     N_("it must be at least {min}.")),
    (re.compile(r"Input should be less than or equal to (?P<max>\S+)"),
     N_("it must be at most {max}.")),
)


class _Translated:
    """Usage prefix and help option text through gettext (mixed into command and group); plain
    option values coerced without pydantic (:mod:`.coercion`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        install_plain_coercion(self.params)  # type: ignore[attr-defined]

    def format_usage(self, ctx, formatter) -> None:
        placeholders = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]...")}
        pieces = [placeholders.get(p, p)
                  for p in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def format_help(self, ctx, formatter) -> None:
        """Translate the help texts (declared as message ids) just before showing them."""
        own: typer.core.TyperCommand = self  # type: ignore[assignment]
        own.help = _(own.help) if own.help else own.help
        for param in self.params:  # type: ignore[attr-defined]
            if getattr(param, "help", None):
                param.help = _(param.help)
        for command in getattr(self, "commands", {}).values():
            if command.help:
                command.help = _(command.help)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
            install_plain_coercion([option])  # made on demand, after __init__
        return option


class AppealCommand(_Translated, typer.core.TyperCommand):
    pass


class AppealGroup(_Translated, typer.core.TyperGroup):
    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        run = super().main
        if not standalone_mode:
            return run(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = run(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click_errors.UsageError as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except click_errors.ClickException as exc:
            typer.echo(_("Error: {message}").format(message=exc.format_message()), err=True)
            sys.exit(exc.exit_code)
        except Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def show_usage_error(exc: click_errors.UsageError) -> None:
    ctx = exc.ctx
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            typer.echo(_("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]) + "\n", err=True)
    typer.echo(_("Error: {message}").format(message=usage_message(exc)), err=True)


def _names(param) -> str:
    if param.param_type_name == "option":
        return " / ".join(param.opts)
    return param.metavar or (param.name or "").upper()


def usage_message(exc: click_errors.UsageError) -> str:
    """Click's usage error, in appeal's words."""
    if isinstance(exc, click_errors.NoSuchOption):
        message = _("No such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            message += " " + _("(Possible options: {options})").format(
                options=", ".join(sorted(exc.possibilities)))
        return message
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        name = _names(exc.param)
        if exc.param.param_type_name == "option":
            return _("Missing option '{name}'.").format(name=name)
        return _("Missing argument '{name}'.").format(name=name)
    if isinstance(exc, click_errors.BadOptionUsage):
        if "does not take a value" in exc.message:
            return _("Option '{option}' does not take a value.").format(option=exc.option_name)
        return _("Option '{option}' needs a value.").format(option=exc.option_name)
    if isinstance(exc, click_errors.BadParameter):
        name = _names(exc.param) if exc.param is not None else str(exc.param_hint or "")
        return _("Invalid value for '{option}': {detail}").format(
            option=name, detail=_detail(exc.message))
    extra = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", exc.message)
    if extra:
        return _("Unexpected extra arguments: '{args}'").format(args=extra["args"])
    return exc.message  # already through gettext (typer.core) or appeal's own


def _detail(message: str) -> str:
    for pattern, text in _DETAILS:
        found = pattern.search(message)
        if found:
            return _(text).format(**found.groupdict())
    return message
