"""Sending through a real SMTP server (aiosmtpd on 127.0.0.1): one delivery per target, even
when the command runs twice; failures reported per message; nothing sent without consent."""

import shutil
import socket
import ssl
import subprocess
from email import policy
from email.parser import BytesParser

import pytest

from ._channels_util import run
from appeal.ledger import Ledger

aiosmtpd = pytest.importorskip("aiosmtpd.controller")


class Collector:
    def __init__(self):
        self.messages = []  # (mail_from, rcpt_tos, parsed message)
        self.reject = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "ledger.sqlite3"))
    handler = Collector()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def send(smtp, *extra, input=None):
    return run("email", "ua-100.21", "--name", "Ana García", "--from", "ana@example.org",
               "--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(smtp.port),
               "--smtp-security", "none", "--pause", "0", *extra, input=input)


def test_send_twice_delivers_exactly_one_message_per_target(smtp, tmp_path):
    first = send(smtp, "--yes")
    assert first.exit_code == 0, first.output
    assert "About to send 2 messages from ana@example.org" in first.output
    assert "2 messages sent." in first.output
    second = send(smtp, "--yes")
    assert second.exit_code == 0, second.output
    assert "not sending again" in second.output and "Nothing left to send." in second.output
    assert len(smtp.messages) == 2
    by_rcpt = {tuple(r): (f, m) for f, r, m in smtp.messages}
    mail_from, msg = by_rcpt[("secretario.particular@presidencia.gob.mx",)]
    assert mail_from == "ana@example.org"
    assert msg["Subject"] == "Deben cesar las deportaciones masivas (Acción Urgente 100.21)"
    assert msg["To"].addresses[0].display_name == "Andrés Manuel López Obrador"
    assert "X-Unsent" not in msg
    assert "Le escribo para expresarle" in msg.get_body(("plain",)).get_content()
    (pdf,) = msg.iter_attachments()
    assert pdf.get_filename().endswith("Ana-García.pdf")
    assert pdf.get_content().startswith(b"%PDF")
    with Ledger() as ledger:
        assert {(t.target_id, t.channel, t.count) for t in ledger.totals("ua-100.21")} == {
            ("president", "email", 1), ("ambassador", "email", 1)}
    assert not list(tmp_path.glob("*.eml"))  # sending writes no draft files


def test_drafting_then_sending_counts_each_email_once(smtp, tmp_path):
    assert run("email", "ua-100.21", "--name", "Ana García", "--from", "ana@example.org",
               "--out", str(tmp_path / "drafts")).exit_code == 0
    assert send(smtp, "--yes").exit_code == 0
    with Ledger() as ledger:
        assert sum(t.count for t in ledger.totals("ua-100.21")) == 2


def test_failure_is_per_message_and_a_rerun_sends_only_the_rest(smtp):
    smtp.reject.add("mexembusa@sre.gob.mx")
    failed = send(smtp, "--yes")
    assert failed.exit_code == 1
    assert "Failed to send to Esteban Moctezuma <mexembusa@sre.gob.mx>: " in failed.output
    assert "550" in failed.output and "1 message sent." in failed.output
    assert "1 message was not sent." in failed.output
    smtp.reject.clear()
    retry = send(smtp, "--yes")
    assert retry.exit_code == 0 and "1 message sent." in retry.output
    rcpts = sorted(r[0] for _f, r, _m in smtp.messages)
    assert rcpts == ["mexembusa@sre.gob.mx", "secretario.particular@presidencia.gob.mx"]


def test_asks_before_sending_and_declining_sends_nothing(smtp):
    declined = send(smtp, input="n\n")
    assert "To: Andrés Manuel López Obrador <secretario.particular@presidencia.gob.mx>" in (
        declined.output)
    assert "Send now?" in declined.output and "Nothing was sent." in declined.output
    assert declined.exit_code == 1 and smtp.messages == []
    accepted = send(smtp, "--to", "president", input="y\n")
    assert accepted.exit_code == 0 and len(smtp.messages) == 1


def test_sending_needs_sender_and_host_and_refuses_plaintext_password(smtp, monkeypatch):
    no_from = run("email", "ua-100.21", "--name", "Ana", "--send", "--smtp-host", "x")
    assert no_from.exit_code == 2 and "--email" in no_from.output
    no_host = run("email", "ua-100.21", "--name", "Ana", "--from", "a@b.org", "--send")
    assert no_host.exit_code == 2 and "--smtp-host" in no_host.output
    monkeypatch.setenv("APPEAL_SMTP_PASSWORD", "pw-Zq9x")
    plain = send(smtp, "--smtp-user", "ana")  # refused before asking anything
    assert plain.exit_code == 1 and "without encryption" in plain.output
    assert "Send now?" not in plain.output
    assert "pw-Zq9x" not in plain.output and smtp.messages == []


def test_no_password_option_exists():
    result = run("email", "--help")
    assert "password" not in result.output.replace("APPEAL_SMTP_PASSWORD", "").replace(
        "the password comes", "")
    bad = run("email", "ua-100.21", "--name", "A", "--smtp-password", "x")
    assert bad.exit_code == 2


def test_unreachable_server_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "l.sqlite3"))
    result = run("email", "ua-100.21", "--name", "Ana", "--from", "a@b.org", "--send", "--yes",
                 "--smtp-host", "127.0.0.1", "--smtp-port", str(free_port()),
                 "--smtp-security", "none")
    assert result.exit_code == 1
    assert "Cannot connect to the SMTP server 127.0.0.1:" in result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a handled error


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl to make a test cert")
def test_starttls_with_login(tmp_path, monkeypatch):
    """STARTTLS then AUTH, against aiosmtpd with a self-signed certificate."""
    from aiosmtpd.smtp import AuthResult

    from appeal.api import Supporter, compose_letters, load_case
    from appeal.channels.email import Draft, build_message, email_key
    from appeal.channels.smtp import SmtpSettings, send_drafts

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"pw")

    handler = Collector()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=free_port(),
                                     tls_context=server_ctx, require_starttls=True,
                                     authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        loaded = load_case("ua-100.21")
        letter = compose_letters(loaded, Supporter("Ana"), )[0]
        target = loaded.case.targets[0]
        with Ledger(tmp_path / "l.sqlite3") as ledger:
            draft = Draft(letter, target, build_message(
                letter, target, sender="ana@example.org", pdf=b"%PDF-1.4 test",
                attachment_name="a.pdf", draft=False), email_key(ledger, letter, target, "a"))
            client_ctx = ssl.create_default_context(cafile=str(cert))
            settings = SmtpSettings("127.0.0.1", controller.port, "starttls", user="ana",
                                    password="pw", ssl_context=client_ctx)
            outcomes = send_drafts([draft], settings, ledger, pause=0)
            assert [o.status for o in outcomes] == ["sent"]
            assert [o.status for o in send_drafts([draft], settings, ledger, pause=0)] == [
                "already-sent"]
    finally:
        controller.stop()
    assert logins == [(b"ana", b"pw")] and len(handler.messages) == 1
