"""Sending when things go half right (issue 9): a recipient refused among several, a ledger
that cannot mark a message the server took, a wrong password."""

from __future__ import annotations

import shutil
import sqlite3
import ssl
import subprocess

import pytest

from ._channels_util import custom_case, run
from .test_channels_smtp import Collector, free_port, smtp  # noqa: F401 (fixture)
from appeal.ledger import Ledger

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

SECOND = "agenda@presidencia.gob.mx"


def send_to_two(smtp, root, *extra):
    return run("email", "ua-test", "--name", "Ana García", "--from", "ana@example.org",
               "--send", "--yes", "--smtp-host", "127.0.0.1", "--smtp-port", str(smtp.port),
               "--smtp-security", "none", "--pause", "0", "--to", "president",
               "--cases", str(root), *extra)


def two_addresses(tmp_path):
    def edit(data):
        president = next(t for t in data["targets"] if t["id"] == "president")
        president["emails"] = president["emails"] + [SECOND]

    return custom_case(tmp_path, edit)


def test_a_refused_recipient_is_kept_unsent_and_gets_it_on_the_next_run(smtp, tmp_path):
    root = two_addresses(tmp_path)
    smtp.reject.add(SECOND)
    first = send_to_two(smtp, root)
    assert first.exit_code == 1, first.output
    assert "The server refused agenda@presidencia.gob.mx: 550" in first.output
    assert "kept unsent for the next run" in first.output
    assert "1 message did not reach every address." in first.output
    assert [r for _f, r, _m in smtp.messages] == [["secretario.particular@presidencia.gob.mx"]]
    smtp.reject.clear()
    second = send_to_two(smtp, root)
    assert second.exit_code == 0, second.output
    assert "To: Andrés Manuel López Obrador <agenda@presidencia.gob.mx>" in second.output
    assert [r for _f, r, _m in smtp.messages][1:] == [[SECOND]]  # only the one refused
    third = send_to_two(smtp, root)
    assert third.exit_code == 0 and "Nothing left to send." in third.output
    assert len(smtp.messages) == 2
    with Ledger() as ledger:  # one email to the president, counted once
        assert [(t.target_id, t.channel, t.count) for t in ledger.totals("ua-test")] == [
            ("president", "email", 1)]


def _drafts(ledger):
    from appeal.api import Supporter, compose_letters, load_case
    from appeal.channels.email import Draft, build_message, email_key

    loaded = load_case("ua-100.21")
    drafts = []
    for letter, target in zip(compose_letters(loaded, Supporter("Ana")), loaded.case.targets):
        msg = build_message(letter, target, sender="ana@example.org", pdf=b"%PDF-1.4",
                            attachment_name="a.pdf", draft=False)
        drafts.append(Draft(letter, target, msg, email_key(ledger, letter, target, "a")))
    return drafts


def test_a_sent_message_the_ledger_cannot_mark_is_said_sent_and_marked_before_the_next(
        smtp, tmp_path, monkeypatch):
    import appeal.ledger
    from appeal.channels.smtp import SmtpSettings, send_drafts

    monkeypatch.setattr(appeal.ledger, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "ledger.sqlite3"
    events = []
    with Ledger(path) as ledger:
        first, second = _drafts(ledger)
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another program holds the ledger

        def sleep(seconds):
            events.append(("pause", len(smtp.messages)))
            if [e[0] for e in events].count("pause") == 2:
                blocker.execute("ROLLBACK")  # ... and lets go after a while

        outcomes = send_drafts([first, second], SmtpSettings("127.0.0.1", smtp.port, "none"),
                               ledger, pause=0, sleep=sleep,
                               report=lambda o: events.append((o.status, len(smtp.messages))))
        blocker.close()
        assert [(o.draft.target.id, o.status) for o in outcomes] == [
            ("president", "unrecorded"), ("president", "recorded"), ("ambassador", "sent")]
        assert "stayed locked" in outcomes[0].detail
        # said at once, retried (twice) and recorded before the second message went out
        assert events == [("unrecorded", 1), ("pause", 1), ("pause", 1), ("recorded", 1),
                          ("sent", 2)]
        assert ledger.was_sent(first.key) and ledger.was_sent(second.key)
        assert sum(t.count for t in ledger.totals("ua-100.21")) == 2


def test_sending_stops_if_a_sent_message_can_never_be_marked(smtp, tmp_path, monkeypatch):
    import appeal.ledger
    from appeal.channels.smtp import SmtpSettings, send_drafts
    from appeal.errors import AppealError

    monkeypatch.setattr(appeal.ledger, "BUSY_TIMEOUT_MS", 20)
    path = tmp_path / "ledger.sqlite3"
    seen = []
    with Ledger(path) as ledger:
        drafts = _drafts(ledger)
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(AppealError) as err:
            send_drafts(drafts, SmtpSettings("127.0.0.1", smtp.port, "none"), ledger, pause=0,
                        sleep=lambda s: None, report=lambda o: seen.append(o.status))
        blocker.close()
    assert len(smtp.messages) == 1 and seen == ["unrecorded"]  # the second was not sent
    assert "the message to Andrés Manuel López Obrador" in err.value.message
    assert "was sent, but appeal could not record it as sent" in err.value.message
    assert "Do not send them again by hand" in err.value.hint


def test_the_cli_says_a_message_was_sent_when_marking_it_fails(smtp, tmp_path, monkeypatch):
    import appeal.ledger

    monkeypatch.setattr(appeal.ledger, "BUSY_TIMEOUT_MS", 20)
    monkeypatch.setattr("appeal.channels.smtp.RETRY_DELAYS", (0.01,))
    path = tmp_path / "ledger.sqlite3"
    monkeypatch.setenv("APPEAL_LEDGER", str(path))
    Ledger().close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        result = run("email", "ua-100.21", "--name", "Ana", "--from", "ana@example.org",
                     "--send", "--yes", "--smtp-host", "127.0.0.1", "--smtp-port",
                     str(smtp.port), "--smtp-security", "none", "--pause", "0")
    finally:
        blocker.close()
    assert result.exit_code == 1 and len(smtp.messages) == 1
    assert ("Sent to Andrés Manuel López Obrador <secretario.particular@presidencia.gob.mx>, "
            "but appeal could not record it as sent yet" in result.output)
    assert "It was sent: do not send it again by hand." in result.output
    assert "Sending stopped" in result.output and "Traceback" not in result.output


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("needs openssl to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def tls_server(certificate):
    """aiosmtpd with STARTTLS and AUTH; ``answer_refusals``: whether it answers a wrong
    password (535) or, like some servers, says nothing at all."""
    from aiosmtpd.smtp import AuthResult

    cert, key = certificate
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    attempts = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        attempts.append(mechanism)
        if auth_data.password == b"pw":
            return AuthResult(success=True)
        return AuthResult(success=False, handled=not tls.answer_refusals)

    class Tls:
        answer_refusals = True

    tls = Tls()
    controller = aiosmtpd.Controller(Collector(), hostname="127.0.0.1", port=free_port(),
                                     tls_context=server_ctx, require_starttls=True,
                                     authenticator=authenticator, auth_require_tls=True)
    controller.start()
    tls.port, tls.attempts = controller.port, attempts
    tls.client_ctx = ssl.create_default_context(cafile=str(cert))
    yield tls
    controller.stop()


@pytest.mark.parametrize("answers", [True, False])
def test_a_wrong_password_is_an_authentication_failure(tls_server, answers, monkeypatch):
    """Told as a refused password, after one try (no second mechanism: no lock-out risk),
    also by a server that never answers a wrong password: after LOGIN_TIMEOUT, not after the
    whole connection timeout (30 s) as "cannot connect"."""
    import appeal.channels.smtp as smtp_mod
    from appeal.errors import AppealError

    monkeypatch.setattr(smtp_mod, "LOGIN_TIMEOUT", 0.3)
    tls_server.answer_refusals = answers
    settings = smtp_mod.SmtpSettings("127.0.0.1", tls_server.port, "starttls", user="ana",
                                     password="wrong", ssl_context=tls_server.client_ctx)
    with pytest.raises(AppealError) as err:
        smtp_mod.connect(settings)
    assert "refused the user name or password" in err.value.message
    assert "Cannot connect" not in err.value.message and "wrong" not in str(err.value)
    assert len(tls_server.attempts) == 1
    good = smtp_mod.SmtpSettings("127.0.0.1", tls_server.port, "starttls", user="ana",
                                 password="pw", ssl_context=tls_server.client_ctx)
    smtp_mod.connect(good).quit()
