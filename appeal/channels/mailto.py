"""``mailto:`` links, in a module of their own: ``compose`` prints one per target, and importing
:mod:`.email` (the stdlib's whole ``email`` package) for it cost a single compose ~15 ms."""

from __future__ import annotations

from urllib.parse import quote

MAILTO_LIMIT = 2000  # longer mailto: links are cut or refused by some systems (Windows, IE)


def mailto_link(addresses: list[str], subject: str, body: str | None = None) -> str:
    """A ``mailto:`` link (RFC 6068) with subject, and the body when the link stays short."""
    to = ",".join(quote(a, safe="@") for a in addresses)
    base = f"mailto:{to}?subject={quote(subject, safe='')}"
    if body is None:
        return base
    full = base + "&body=" + quote(body.replace("\n", "\r\n"), safe="")
    return full if len(full) <= MAILTO_LIMIT else base
