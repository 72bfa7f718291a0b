"""The command line: a thin layer over the library (:mod:`appeal.api` and friends).

One module per command or group of commands (``cases``, ``compose``, ``batch``,
``import_case``, ``email``, ``post``, ``tally``), each with a ``register(app)``; shared options
in :mod:`.options`, shared behaviour (errors, supporter options, counting) in :mod:`.common`,
help and usage errors in the user's language in :mod:`.help`, the group in :mod:`.app`. Each
command parses its options, calls the library, and prints the result. Only this package
imports Typer.
"""

from .app import create_app, main

__all__ = ["create_app", "main"]
