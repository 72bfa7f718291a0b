"""Sending drafts through the supporter's own SMTP server, exactly once per target.

Each message's key is checked in the ledger before sending and marked right after the server
accepts it, so a rerun (after a failure, or by mistake) sends only what is still unsent.
Messages are paced so a provider does not take a burst of appeals for spam. The password is
never an option or a file: it comes from ``APPEAL_SMTP_PASSWORD`` or a hidden prompt.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field, replace
from typing import Callable

from ..errors import AppealError, UsageError
from ..i18n import _, ngettext
from ..ledger import Entry, Ledger
from .email import Draft

PASSWORD_ENV = "APPEAL_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
LOGIN_TIMEOUT = 10.0  # seconds for the answer to the password (servers delay a refusal ~2 s)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise UsageError(
                _("Unknown SMTP security '{value}'.").format(value=self.security),
                _("Use one of: {choices}").format(choices=", ".join(SECURITY)),
            )
        if self.user and self.security == "none":
            raise AppealError(
                _("Refusing to send your SMTP password without encryption."),
                _("Use --smtp-security starttls or ssl."),
            )

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]

    def describe(self) -> str:
        return f"{self.host}:{self.effective_port} ({self.security.upper()})"


@dataclass(frozen=True)
class Outcome:
    draft: Draft
    # "sent", "already-sent", "failed"; "partial" (some recipients refused: kept unsent);
    # "unrecorded" (the server took it, the ledger could not mark it yet), then "recorded"
    status: str
    detail: str = ""
    refused: str = ""  # "address: 550 ..." of recipients the server refused


RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)  # marking a sent message, before the next


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with one mechanism the server offers (PLAIN, else LOGIN, else CRAM-MD5).

    ``smtplib``'s own ``login`` tries the next mechanism after a refused password: some
    servers then wait for an answer that never comes, and a wrong password showed up 30
    seconds later as "cannot connect". One mechanism, one answer: a wrong password is
    reported at once as what it is."""
    server.ehlo_or_helo_if_needed()
    if not server.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = server.esmtp_features["auth"].upper().split()
    mechanism = next((m for m in ("PLAIN", "LOGIN", "CRAM-MD5") if m in offered), None)
    if mechanism is None:
        raise smtplib.SMTPException("No suitable authentication method found.")
    server.user, server.password = user, password
    method = getattr(server, "auth_" + mechanism.lower().replace("-", "_"))
    previous = server.sock.gettimeout() if server.sock else None
    if server.sock and (previous is None or previous > LOGIN_TIMEOUT):
        server.sock.settimeout(LOGIN_TIMEOUT)  # a server silent on a bad password: refused
    try:
        server.auth(mechanism, method, initial_response_ok=True)
    finally:
        if server.sock:
            server.sock.settimeout(previous)


def _refused_login(settings: SmtpSettings, error: str) -> AppealError:
    return AppealError(
        _("The SMTP server {server} refused the user name or password: {error}").format(
            server=settings.describe(), error=error),
        _("Check --smtp-user and {env}; some providers need an app password.").format(
            env=PASSWORD_ENV),
    )


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection, or an AppealError saying what to check."""
    context = settings.ssl_context or ssl.create_default_context()
    logging_in = False
    try:
        if settings.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.effective_port, timeout=settings.timeout, context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.effective_port, timeout=settings.timeout)
        server.ehlo()
        if settings.security == "starttls":
            server.starttls(context=context)
            server.ehlo()
        if settings.user:
            logging_in = True
            _login(server, settings.user, settings.password or "")
        return server
    except smtplib.SMTPAuthenticationError as exc:
        raise _refused_login(settings, _smtp_text(exc))
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        if logging_in:  # it hung up on (or stopped answering) the password: refused
            raise _refused_login(settings, _("the server closed the connection when the "
                                             "password was sent ({error})").format(
                error=_smtp_text(exc) or exc.__class__.__name__))
        raise AppealError(
            _("Cannot connect to the SMTP server {server}: {error}").format(
                server=settings.describe(), error=_smtp_text(exc) or exc.__class__.__name__),
            _("Check --smtp-host, --smtp-port and --smtp-security (starttls, ssl or none)."),
        )
    except (smtplib.SMTPException, ssl.SSLError) as exc:
        raise AppealError(
            _("Cannot connect to the SMTP server {server}: {error}").format(
                server=settings.describe(), error=_smtp_text(exc) or exc.__class__.__name__),
            _("Check --smtp-host, --smtp-port and --smtp-security (starttls, ssl or none)."),
        )


def _smtp_text(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {_smtp_text(smtplib.SMTPResponseException(code, msg))}"
                         for addr, (code, msg) in exc.recipients.items())
    return str(exc)


def recipient_key(ledger: Ledger, draft: Draft, address: str) -> str:
    """The key of one recipient of a message (hashed: the ledger keeps no addresses)."""
    return draft.key + ">" + ledger.digest(address.strip().lower())


def pending(drafts: list[Draft], ledger: Ledger) -> tuple[list[Draft], list[Draft]]:
    """(to send, already sent). A message some recipients took before goes only to the
    others (``Draft.to``)."""
    todo, done = [], []
    for draft in drafts:
        if ledger.was_sent(draft.key):
            done.append(draft)
            continue
        left = [a for a in draft.recipients if not ledger.was_sent(recipient_key(ledger, draft, a))]
        if not left:
            done.append(draft)
        elif len(left) < len(draft.recipients):
            todo.append(replace(draft, to=tuple(left)))
        else:
            todo.append(draft)
    return todo, done


@dataclass
class _Unmarked:
    """A message the server took that the ledger could not mark as sent yet."""

    draft: Draft
    keys: list[str]
    message_id: str
    entry: Entry
    error: str


def send_drafts(
    drafts: list[Draft],
    settings: SmtpSettings,
    ledger: Ledger,
    *,
    pause: float = 2.0,
    report: Callable[[Outcome], None] = lambda outcome: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Outcome]:
    """Send what is not sent yet, one message at a time; a failure stops only its message.

    Only recipients the server accepted are marked sent; refused ones stay for the next run.
    If the ledger cannot mark a message the server took, that is reported at once (it was
    sent: the user must not send it again by hand) and marking is tried again, with pauses,
    before the next message goes; if it still fails, sending stops with an error."""
    outcomes: list[Outcome] = []

    def tell(outcome: Outcome) -> None:
        outcomes.append(outcome)
        report(outcome)

    todo, done = pending(drafts, ledger)
    for draft in done:
        tell(Outcome(draft, "already-sent", ledger.was_sent(draft.key) or ""))
    if not todo:
        return outcomes
    unmarked: list[_Unmarked] = []
    server = connect(settings)
    try:
        for index, draft in enumerate(todo):
            _mark_pending(unmarked, ledger, tell, sleep)
            if index and pause > 0:
                sleep(pause)
            msg = draft.message
            if "X-Unsent" in msg:
                del msg["X-Unsent"]
            if "From" not in msg:
                raise UsageError(_("A message to send needs a sender."),
                                 _("Give your address with --from."))
            try:
                refused = server.send_message(msg, to_addrs=draft.recipients)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError, smtplib.SMTPNotSupportedError) as exc:
                tell(Outcome(draft, "failed", _smtp_text(exc)))
                continue
            except (smtplib.SMTPServerDisconnected, OSError, socket.timeout) as exc:
                tell(Outcome(draft, "failed", str(exc) or exc.__class__.__name__))
                server = _reconnect(server, settings)
                continue
            tell(_mark(draft, refused, msg["Message-ID"], ledger, unmarked))
        _mark_pending(unmarked, ledger, tell, sleep)
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return outcomes


def _mark(draft: Draft, refused: dict, message_id: str, ledger: Ledger,
          unmarked: list[_Unmarked]) -> Outcome:
    """Mark (and count) what the server took; an Outcome saying what happened."""
    refused_text = _smtp_text(smtplib.SMTPRecipientsRefused(refused)) if refused else ""
    accepted = [a for a in draft.recipients if a not in refused]
    keys = [recipient_key(ledger, draft, a) for a in accepted]
    if not refused:
        keys.append(draft.key)
    entry = Entry(draft.letter.case_id, draft.target.id, "email",
                  draft.letter.lang.split("-")[0], key=draft.key)
    try:
        ledger.mark_sent(keys, draft.letter.case_id, message_id, entry=entry)
    except AppealError as exc:
        unmarked.append(_Unmarked(draft, keys, message_id, entry, exc.message))
        return Outcome(draft, "unrecorded", exc.message, refused_text)
    return Outcome(draft, "partial" if refused else "sent", "", refused_text)


def _mark_pending(unmarked: list[_Unmarked], ledger: Ledger, tell, sleep) -> None:
    """Before the next message: mark what was sent but not marked, pausing between tries;
    if the ledger still refuses, stop sending (each further message would be unmarked too)."""
    delays = iter(RETRY_DELAYS)
    while unmarked:
        item = unmarked[0]
        try:
            ledger.mark_sent(item.keys, item.draft.letter.case_id, item.message_id,
                             entry=item.entry)
        except AppealError as exc:
            item.error = exc.message
            delay = next(delays, None)
            if delay is None:
                raise _unmarked_error(unmarked) from exc
            sleep(delay)
            continue
        unmarked.pop(0)
        tell(Outcome(item.draft, "recorded"))


def _unmarked_error(unmarked: list[_Unmarked]) -> AppealError:
    who = ", ".join(f"{u.draft.target.name} <{', '.join(u.draft.recipients)}>" for u in unmarked)
    return AppealError(
        ngettext("Sending stopped: the message to {who} was sent, but appeal could not record "
                 "it as sent: {error}",
                 "Sending stopped: the messages to {who} were sent, but appeal could not record "
                 "them as sent: {error}", len(unmarked)).format(who=who,
                                                                error=unmarked[-1].error),
        _("Do not send them again by hand. Fix the ledger first: until it records them, "
          "running the same command again would send them a second time (leave those targets "
          "out with --to)."),
    )


def _reconnect(server: smtplib.SMTP, settings: SmtpSettings) -> smtplib.SMTP:
    try:
        server.close()
    except OSError:
        pass
    return connect(settings)
