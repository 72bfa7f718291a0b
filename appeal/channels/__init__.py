"""Other ways to act on a UA than a paper letter: email, public posts, phone calls.

The words that go into a post or a call are letter content in the letter's language, so they
come from ``data/channels.yaml``; messages to the supporter go through gettext.
"""

from __future__ import annotations

from ..errors import UsageError
from ..i18n import _
from ..resources import language_table


def _table() -> dict:
    return language_table("channels.yaml")


def channel_languages() -> list[str]:
    return sorted(_table())


def phrases(lang: str, channel: str) -> dict[str, str]:
    """The ``post`` or ``call`` phrasing for a letter language (``es-MX`` finds ``es``)."""
    base = lang.split("-")[0].lower()
    table = _table()
    if base not in table:
        raise UsageError(
            _("appeal has no {channel} wording for language '{lang}'.").format(
                channel=channel, lang=lang),
            _("Languages with wording: {langs}").format(langs=", ".join(channel_languages())),
        )
    return table[base][channel]
