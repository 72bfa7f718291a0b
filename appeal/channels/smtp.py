"""Sending drafts through the supporter's own SMTP server, exactly once per target.

Each message's key is checked in the ledger before sending and marked right after the server
accepts it, so a rerun (after a failure, or by mistake) sends only what is still unsent.
Messages are paced so a provider does not take a burst of appeals for spam. The password is
never an option or a file: it comes from ``APPEAL_SMTP_PASSWORD`` or a hidden prompt.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass, field
from collections.abc import Callable

from ..errors import AppealError, UsageError
from ..i18n import _
from ..ledger import Ledger
from .email import Draft
import contextlib

PASSWORD_ENV = "APPEAL_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


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
    status: str  # "sent", "already-sent", "failed"
    detail: str = ""


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection, or an AppealError saying what to check."""
    context = settings.ssl_context or ssl.create_default_context()
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
            server.login(settings.user, settings.password or "")
        return server
    except smtplib.SMTPAuthenticationError as exc:
        raise AppealError(
            _("The SMTP server {server} refused the user name or password: {error}").format(
                server=settings.describe(), error=_smtp_text(exc)),
            _("Check --smtp-user and {env}; some providers need an app password.").format(
                env=PASSWORD_ENV),
        )
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
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


def pending(drafts: list[Draft], ledger: Ledger) -> tuple[list[Draft], list[Draft]]:
    """(to send, already sent)."""
    todo: list[Draft] = []
    done: list[Draft] = []
    for draft in drafts:
        (done if ledger.was_sent(draft.key) else todo).append(draft)
    return todo, done


def send_drafts(
    drafts: list[Draft],
    settings: SmtpSettings,
    ledger: Ledger,
    *,
    pause: float = 2.0,
    report: Callable[[Outcome], None] = lambda outcome: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Outcome]:
    """Send what is not sent yet, one message at a time; a failure stops only its message."""
    outcomes: list[Outcome] = []
    todo, done = pending(drafts, ledger)
    for draft in done:
        outcomes.append(Outcome(draft, "already-sent", ledger.was_sent(draft.key) or ""))
        report(outcomes[-1])
    if not todo:
        return outcomes
    server = connect(settings)
    try:
        for index, draft in enumerate(todo):
            if index and pause > 0:
                sleep(pause)
            msg = draft.message
            if "X-Unsent" in msg:
                del msg["X-Unsent"]
            if "From" not in msg:
                raise UsageError(_("A message to send needs a sender."),
                                 _("Give your address with --from."))
            try:
                refused = server.send_message(msg)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError, smtplib.SMTPNotSupportedError) as exc:
                outcome = Outcome(draft, "failed", _smtp_text(exc))
            except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
                outcome = Outcome(draft, "failed", str(exc) or exc.__class__.__name__)
                outcomes.append(outcome)
                report(outcome)
                server = _reconnect(server, settings)
                continue
            else:
                ledger.mark_sent(draft.key, draft.letter.case_id, msg["Message-ID"])
                ledger.record(draft.letter.case_id, draft.target.id, "email",
                              draft.letter.lang.split("-")[0], key=draft.key)
                detail = "; ".join(f"{a}: {c}" for a, (c, _m) in refused.items())
                outcome = Outcome(draft, "sent", detail)
            outcomes.append(outcome)
            report(outcome)
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return outcomes


def _reconnect(server: smtplib.SMTP, settings: SmtpSettings) -> smtplib.SMTP:
    with contextlib.suppress(OSError):
        server.close()
    return connect(settings)
