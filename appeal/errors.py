"""One error type for everything a user can fix, so the CLI can print it without a traceback."""

from __future__ import annotations

USAGE = 2  # wrong command-line use: unknown case, target, language, option value
USER = 1  # anything else the user can fix: bad input file, existing output, bad text


class AppealError(Exception):
    """A problem the user can fix. ``message`` is already translated; ``hint`` says what to do."""

    def __init__(self, message: str, hint: str | None = None, exit_code: int = USER):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class UsageError(AppealError):
    """The command line names something that does not exist (case, target, language...)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint, exit_code=USAGE)
