"""Open text in the user's editor ($VISUAL, then $EDITOR), as ``git commit`` does."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from .errors import AppealError
from .i18n import _


def edit_text(text: str, suffix: str = ".txt") -> str:
    """Return the text as the user saved it; raise if the editor cannot run or fails."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix="appeal-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            result = subprocess.run([*shlex.split(command), str(path)])
        except OSError as exc:
            raise AppealError(
                _("Could not start the editor '{editor}': {error}").format(
                    editor=command, error=exc.strerror or exc
                ),
                _("Set the EDITOR environment variable, e.g. EDITOR=nano."),
            )
        if result.returncode != 0:
            raise AppealError(
                _("The editor '{editor}' exited with code {code}; nothing was written.").format(
                    editor=command, code=result.returncode
                )
            )
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
