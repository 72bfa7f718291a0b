"""Phone scripts: number, polite localized frame, and the case's own request."""

import pytest

from ._channels_util import custom_case, run
from appeal.api import load_case
from appeal.channels.call import call_script


def test_call_script_in_spanish_for_the_target_with_a_phone():
    result = run("call", "ua-100.21", "--name", "Ana García", "--city", "Oaxaca")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Call Esteban Moctezuma: +1 202 728 1600" in out
    assert "Buenos días. Me llamo Ana García y llamo desde Oaxaca." in out
    assert "Quisiera dejar un mensaje para Esteban Moctezuma, Embajador de México" in out
    assert "Acción Urgente 100.21" in out and "Le pido respetuosamente" in out
    assert "appeal record ua-100.21 --channel call --to ambassador" in out
    assert "López Obrador" not in out  # no phone number: no script


def test_call_script_in_english_without_a_name():
    loaded = load_case("ua-100.21")
    script = call_script(loaded, loaded.case.targets[1], lang="en")
    assert script.phones == ("+1 202 728 1600",)
    assert script.lines[0] == "Good morning. My name is [your name]."
    assert "Urgent Action 100.21: Mass deportations must stop" in script.lines[2]
    assert script.lines[-1].startswith("Could you please")


def test_call_refuses_a_target_without_phone(tmp_path):
    result = run("call", "ua-100.21", "--to", "president")
    assert result.exit_code == 2
    assert "has no phone number" in result.output and "ambassador" in result.output

    def no_phones(data):
        for t in data["targets"]:
            t["phones"] = []

    cases = custom_case(tmp_path, no_phones)
    none = run("call", "ua-test", "--cases", str(cases))
    assert none.exit_code == 2 and "No target of case ua-test has a phone number" in none.output


def test_spoken_request_drops_the_letters_connector():
    from appeal.api import load_case
    from appeal.channels.call import call_script, spoken_request

    loaded = load_case("ua-100.21")
    target = next(t for t in loaded.case.targets if t.id == "ambassador")
    lines = call_script(loaded, target, lang="es", name="Ana García").lines
    assert lines[4].startswith("Le pido respetuosamente que transmita")
    assert spoken_request("Therefore, I ask you", ["Therefore, "]) == "I ask you"
    assert spoken_request("Le pido", ["Por ello, "]) == "Le pido"


@pytest.mark.parametrize("command", [["call", "ua-100.21"], ["post", "ua-100.21"],
                                     ["email", "ua-100.21", "--name", "Ana", "--out", "{tmp}"]])
def test_deadline_warning_printed_once_on_stderr(command, tmp_path, monkeypatch):
    """ua-100.21's deadline (December 2021) has passed: every channel says so, once."""
    monkeypatch.setenv("APPEAL_LEDGER", str(tmp_path / "ledger.sqlite3"))
    result = run(*[arg.replace("{tmp}", str(tmp_path)) for arg in command])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("deadline of this Urgent Action") == 1
    assert "deadline of this" not in result.stdout
