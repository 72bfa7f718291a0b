"""One error type for everything a user can fix, so the CLI can print it without a traceback.

An error carries its message as a :class:`Message` (a gettext id and its parameters) where the
raising code gives one, and is put into words by the front end that shows it
(:meth:`AppealError.render`), in that front end's language. Plain strings are still accepted
(already translated where they were raised).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

USAGE = 2  # wrong command-line use: unknown case, target, language, option value
USER = 1  # anything else the user can fix: bad input file, existing output, bad text


@dataclass(frozen=True)
class Message:
    """A message id (marked for extraction with ``N_``) and the values for its fields."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.msgid).format(**{
            k: v.render(gettext) if isinstance(v, Message) else v
            for k, v in self.params.items()})

    def __str__(self) -> str:
        from .i18n import _

        return self.render(_)


def message(msgid: str, **params: Any) -> Message:
    """``message(N_("{field}: must be a single line."), field=...)``."""
    return Message(msgid, params)


Text = str | Message


class AppealError(Exception):
    """A problem the user can fix: a message, a ``hint`` saying what to do, an exit code."""

    def __init__(self, message: Text, hint: Text | None = None, exit_code: int = USER):
        super().__init__(message)
        self.text = message
        self.hint_text = hint
        self.exit_code = exit_code

    def render(self, gettext: Callable[[str], str]) -> tuple[str, str | None]:
        """(message, hint) in the language of ``gettext``."""
        def words(text: Text | None) -> str | None:
            return text.render(gettext) if isinstance(text, Message) else text

        return words(self.text) or "", words(self.hint_text)

    @property
    def message(self) -> str:
        return str(self.text)

    @property
    def hint(self) -> str | None:
        return None if self.hint_text is None else str(self.hint_text)

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class UsageError(AppealError):
    """The command line names something that does not exist (case, target, language...)."""

    def __init__(self, message: Text, hint: Text | None = None):
        super().__init__(message, hint, exit_code=USAGE)
