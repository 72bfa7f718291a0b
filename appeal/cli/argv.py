"""What a run asks for, read from the raw arguments before Typer is imported: the command
(so only it is built, and the regular expressions of its last run are reused) and --ui-lang."""

from __future__ import annotations

UI_LANG_FLAG = "--ui-lang"


def ui_lang_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == UI_LANG_FLAG and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(UI_LANG_FLAG + "="):
            return arg.split("=", 1)[1]
    return None


def command_from_argv(argv: list[str]) -> str | None:
    """The command a run asks for, when nothing before it needs the whole group (``--help``,
    ``--version`` or an unknown option list or name every command)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == UI_LANG_FLAG:
            skip = True
        elif arg.startswith(UI_LANG_FLAG + "="):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


