"""Letters as email: one standards-compliant message per target, same words as the letter.

The stdlib ``email`` package with ``policy.SMTP`` writes CRLF line ends and encodes non-ASCII
headers (RFC 2047) and attachment names (RFC 2231), so "Andrés" and "Acción" survive any
client. ``X-Unsent: 1`` makes Outlook open the saved ``.eml`` as a draft to send.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from ..errors import AppealError
from ..i18n import _
from ..letter import Letter
from ..models import Target
from .mailto import MAILTO_LIMIT, mailto_link  # noqa: F401 - re-exported


@dataclass(frozen=True)
class Draft:
    """One message for one target; ``key`` identifies it in the ledger across reruns."""

    letter: Letter
    target: Target
    message: EmailMessage
    key: str
    to: tuple[str, ...] | None = None  # only these addresses (the rest took it before)

    @property
    def recipients(self) -> list[str]:
        return list(self.to) if self.to is not None else list(self.target.emails)


def _address(display: str, addr: str) -> Address:
    try:
        return Address(display_name=display, addr_spec=addr)
    except (ValueError, IndexError, MessageError) as exc:  # email's parser raises these
        raise AppealError(
            _("'{address}' is not a usable email address: {error}").format(address=addr, error=exc)
        )


def build_message(
    letter: Letter,
    target: Target,
    *,
    sender: str | None,
    pdf: bytes | None,
    attachment_name: str,
    draft: bool = True,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The letter as a MIME message: plain-text body from the text renderer, PDF attached."""
    from ..render.text import render_text

    if not target.emails:
        raise AppealError(_("{name} has no email address.").format(name=target.name))
    msg = EmailMessage(policy=SMTP)
    domain = sender.rsplit("@", 1)[1] if sender else "appeal.invalid"
    if sender:
        msg["From"] = _address(letter.signature_name, sender)
    msg["To"] = [_address(target.name or "", addr) for addr in target.emails]
    msg["Subject"] = letter.title or letter.subject
    msg["Date"] = format_datetime((now or dt.datetime.now()).astimezone())
    msg["Message-ID"] = make_msgid(domain=domain)
    if draft:
        msg["X-Unsent"] = "1"
    msg.set_content(render_text(letter, postal=False), charset="utf-8", cte="quoted-printable")
    msg["Content-Language"] = letter.lang  # spell-checking and screen readers in the client
    if pdf is not None:
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=attachment_name)
        # also name= on Content-Type: older Outlook reads the name from there
        list(msg.iter_attachments())[-1].set_param("name", attachment_name)
    return msg


def email_key(ledger, letter: Letter, target: Target, sender: str | None) -> str:
    """Per case, target, addresses and sender (hashed: the ledger keeps no addresses)."""
    return "email:" + ledger.digest(
        letter.case_id, target.id, ",".join(sorted(target.emails)), (sender or "").lower()
    )


def mailto(letter: Letter, target: Target) -> str:
    """The letter to ``target`` as a ``mailto:`` link."""
    from ..render.text import render_text

    return mailto_link(list(target.emails), letter.title or letter.subject,
                       render_text(letter, postal=False))
