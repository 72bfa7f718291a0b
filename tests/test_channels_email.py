"""Email drafts: a real .eml read back with the email package, as a mail client would."""

from email import policy
from email.parser import BytesParser
from urllib.parse import unquote

import pytest

from ._channels_util import custom_case, run
from appeal.api import Supporter, compose_letters, load_case
from appeal.channels.email import build_message, mailto
from appeal.ledger import Ledger
from appeal.render.text import render_text


@pytest.fixture(autouse=True)
def ledger_path(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite3"
    monkeypatch.setenv("APPEAL_LEDGER", str(path))
    return path


def read_eml(path):
    raw = path.read_bytes()
    return raw, BytesParser(policy=policy.default).parsebytes(raw)


def test_email_writes_one_draft_per_target_that_opens_right(tmp_path):
    out = tmp_path / "out"
    result = run("email", "ua-100.21", "--name", "Ana García", "--from", "ana@example.org",
                 "--city", "Oaxaca", "--out", str(out))
    assert result.exit_code == 0, result.output
    drafts = sorted(out.glob("*.eml"))
    assert [p.name for p in drafts] == ["ua-100.21_ambassador_es-MX_Ana-García.eml",
                                        "ua-100.21_president_es-MX_Ana-García.eml"]
    raw, msg = read_eml(drafts[1])
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    raw.decode("ascii")  # every header and part is 7-bit encoded
    assert msg["To"].addresses[0].addr_spec == "secretario.particular@presidencia.gob.mx"
    assert msg["To"].addresses[0].display_name == "Andrés Manuel López Obrador"
    assert msg["From"].addresses[0].display_name == "Ana García"
    assert msg["Subject"] == "Deben cesar las deportaciones masivas (Acción Urgente 100.21)"
    assert msg["X-Unsent"] == "1" and msg["Message-ID"].endswith("@example.org>")
    assert msg["Date"].datetime is not None
    body = msg.get_body(("plain",))
    assert body["Content-Language"] == "es-MX"
    letter = compose_letters(load_case("ua-100.21"),
                             Supporter("Ana García", city="Oaxaca", email="ana@example.org"))[0]
    assert body.get_content().replace("\r\n", "\n") == render_text(letter, postal=False)
    (pdf,) = list(msg.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "ua-100.21_president_es-MX_Ana-García.pdf"
    assert pdf.get_content().startswith(b"%PDF")
    assert "mailto:secretario.particular@presidencia.gob.mx?subject=" in result.output
    assert "2 new actions counted" in result.output


def test_rerun_refuses_to_overwrite_and_counts_once(tmp_path, ledger_path):
    out = tmp_path / "out"
    args = ("email", "ua-100.21", "--name", "Ana", "--out", str(out))
    assert run(*args).exit_code == 0
    again = run(*args)
    assert again.exit_code == 1 and "already exists" in again.output
    forced = run(*args, "--force")
    assert forced.exit_code == 0 and "Already counted in your tally" in forced.output
    with Ledger(ledger_path) as ledger:
        assert sum(t.count for t in ledger.totals("ua-100.21")) == 2


def test_english_draft_subject_names_the_ua(tmp_path):
    out = tmp_path / "out"
    assert run("email", "ua-100.21", "--name", "Ann", "--lang", "en", "--to", "ambassador",
               "--out", str(out), "--no-record").exit_code == 0
    (path,) = out.glob("*.eml")
    _raw, msg = read_eml(path)
    assert msg["Subject"] == "Mass deportations must stop (Urgent Action 100.21)"
    assert "From" not in msg  # no --from: the mail client fills in the account


def test_targets_without_email_are_skipped_or_refused(tmp_path):
    def drop_email(data):
        data["targets"][1]["emails"] = []

    cases = custom_case(tmp_path, drop_email)
    out = tmp_path / "out"
    ok = run("email", "ua-test", "--name", "Ana", "--cases", str(cases), "--out", str(out))
    assert ok.exit_code == 0 and "Skipped Esteban Moctezuma: no email address." in ok.output
    assert len(list(out.glob("*.eml"))) == 1
    refused = run("email", "ua-test", "--name", "Ana", "--cases", str(cases), "--to",
                  "ambassador", "--out", str(tmp_path / "o2"))
    assert refused.exit_code == 2 and "has no email address" in refused.output


def test_mailto_link_encodes_subject_and_short_body():
    loaded = load_case("ua-100.21")
    letter = compose_letters(loaded, Supporter("Ana"))[0]
    link = mailto(letter, loaded.case.targets[0])
    assert link.startswith("mailto:secretario.particular@presidencia.gob.mx?subject=")
    assert unquote(link.split("subject=")[1].split("&")[0]) == letter.title
    assert len(link) <= 2000 and " " not in link


def test_message_is_deterministic_enough_to_parse_back():
    loaded = load_case("ua-100.21")
    letter = compose_letters(loaded, Supporter("Ana"), )[0]
    msg = build_message(letter, loaded.case.targets[0], sender="a@b.org", pdf=b"%PDF-1.4",
                        attachment_name="carta ñ.pdf", draft=False)
    parsed = BytesParser(policy=policy.default).parsebytes(msg.as_bytes())
    assert "X-Unsent" not in parsed
    assert next(parsed.iter_attachments()).get_filename() == "carta ñ.pdf"
