"""The command line: a thin layer over the library (:mod:`appeal.api` and friends).

One module per command or group of commands (``cases``, ``compose``, ``batch``,
``import_case``, ``email``, ``post``, ``tally``), each with a ``register(app)``; shared options
in :mod:`.options`, shared behaviour (errors, supporter options, counting) in :mod:`.common`,
help and usage errors in the user's language in :mod:`.help`, the group in :mod:`.app`. Each
command parses its options, calls the library, and prints the result. Only this package
imports Typer.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["create_app", "main"]


def main() -> None:
    """The ``appeal`` console script. The record of compiled regular expressions
    (:mod:`appeal.regexcache`) is set up before Typer and the libraries are imported, so the
    patterns they compile at import are reused too; so is Babel's merged locale data
    (:mod:`appeal.babelcache`)."""
    from contextlib import AbstractContextManager, nullcontext

    from ..regexcache import installed as patterns_kept
    from .argv import command_from_argv

    command = command_from_argv(sys.argv[1:])
    babel: AbstractContextManager = nullcontext()
    if command and command != "import":  # every other command formats dates or names countries
        from ..babelcache import installed as babel_data_kept

        babel = babel_data_kept()
    with patterns_kept(command or "(group)"), babel:
        from .app import main as run

        run()


def __getattr__(name: str) -> Any:
    """``create_app`` without importing Typer when only :func:`main` is wanted."""
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
