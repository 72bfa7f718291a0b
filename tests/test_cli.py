"""The command line, run through Typer's CliRunner with real files read back."""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from .conftest import docx_paragraphs, files_in, pdf_text

COMPOSE = ["compose", "ua-100.21", "--name", "Ana García", "--city", "Oaxaca",
           "--country", "MX", "--date", "2026-11-28"]


def run(runner, app, args, **kw):
    return runner.invoke(app, args, catch_exceptions=False, **kw)


def test_compose_writes_pdf_and_docx_per_target(runner, app, tmp_path):
    result = run(runner, app, [*COMPOSE, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path) == [
        "ua-100.21_ambassador_es-MX_Ana-García.docx",
        "ua-100.21_ambassador_es-MX_Ana-García.pdf",
        "ua-100.21_president_es-MX_Ana-García.docx",
        "ua-100.21_president_es-MX_Ana-García.pdf",
    ]
    assert "secretario.particular@presidencia.gob.mx" in result.output
    assert "mailto:secretario.particular@presidencia.gob.mx?subject=Deben%20cesar" in result.output
    assert "Letter to Andrés Manuel López Obrador:" in result.output
    assert "deadline of this Urgent Action (December 2021) has passed" in result.stderr
    assert "Amnesty office in your country" in result.stderr
    pdf = pdf_text(tmp_path / "ua-100.21_president_es-MX_Ana-García.pdf")
    assert "Oaxaca, 28 de noviembre de 2026" in pdf and "Señor Presidente:" in pdf
    texts = [p.text for p in docx_paragraphs(tmp_path / "ua-100.21_ambassador_es-MX_Ana-García.docx")]
    assert "1911 Pennsylvania Avenue NW" in texts and "ESTADOS UNIDOS" in texts


def test_compose_one_target_in_english_as_text(runner, app, tmp_path):
    result = run(runner, app, [*COMPOSE, "--to", "ambassador", "--lang", "en", "--format", "txt",
                               "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    [name] = files_in(tmp_path)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert "Dear Ambassador Moctezuma," in text
    assert "ESTADOS UNIDOS" in text  # country line for the Mexican post office


def test_existing_files_need_force(runner, app, tmp_path):
    args = [*COMPOSE, "--format", "txt", "--out", str(tmp_path)]
    assert run(runner, app, args).exit_code == 0
    result = run(runner, app, args)
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert run(runner, app, [*args, "--force"]).exit_code == 0


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["compose", "ua-999", "--name", "A"], 2, "Available cases: ua-100.21"),
        (["compose", "ua-100.21", "--name", "A", "--to", "pope"], 2, "Available targets: president, ambassador"),
        (["compose", "ua-100.21", "--name", "A", "--lang", "ja"], 2, "Available languages: de, en, es, fr, pt"),
        (["compose", "ua-100.21", "--name", "A", "--format", "odt"], 2, "pdf, docx, txt"),
        (["compose", "ua-100.21", "--name", "A", "--paper", "b5"], 2, "a4, letter"),
        (["compose", "ua-100.21", "--name", "A\x07"], 1, "name: contains a control character"),
        (["compose", "ua-100.21", "--name", "A", "--date", "28/11/2026"], 2, "--date"),
        (["compose", "ua-100.21"], 2, "--name"),
    ],
)
def test_mistakes_give_a_message_and_exit_code_not_a_traceback(runner, app, tmp_path, args, code, message):
    result = runner.invoke(app, [*args, "--out", str(tmp_path)])
    assert result.exit_code == code, result.output
    assert message in result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a handled error
    assert files_in(tmp_path) == []


def test_note_file_and_body_file(runner, app, tmp_path):
    note = tmp_path / "note.txt"
    note.write_bytes("\ufeffSoy maestra.\r\nGracias por su atención.\r\n".encode("utf-8"))
    out = tmp_path / "out"
    result = run(runner, app, [*COMPOSE, "--to", "president", "--note-file", str(note),
                               "--format", "txt", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / files_in(out)[0]).read_text(encoding="utf-8")
    assert "Soy maestra. Gracias por su atención.\n\nAtentamente," in text
    assert "Tip:" not in result.output

    body = tmp_path / "body.txt"
    body.write_text("Mi propia carta.\n\nSegundo párrafo.", encoding="utf-8")
    result = run(runner, app, [*COMPOSE, "--to", "president", "--body-file", str(body),
                               "--format", "txt", "--out", str(out), "--force"])
    text = (out / files_in(out)[0]).read_text(encoding="utf-8")
    assert "Señor Presidente:\n\nMi propia carta.\n\nSegundo párrafo.\n\nAtentamente," in text


def test_note_from_stdin_and_non_utf8_file(runner, app, tmp_path):
    result = run(runner, app, [*COMPOSE, "--to", "president", "--note-file", "-", "--format",
                               "txt", "--out", str(tmp_path)], input="Desde la entrada.\n")
    assert result.exit_code == 0
    assert "Desde la entrada." in (tmp_path / files_in(tmp_path)[0]).read_text(encoding="utf-8")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Soy de Cádiz".encode("cp1252"))
    result = runner.invoke(app, [*COMPOSE, "--note-file", str(bad), "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "not UTF-8 text (byte 9)" in result.stderr


def test_note_is_encouraged_and_user_text_stays_literal(runner, app, tmp_path):
    result = run(runner, app, [*COMPOSE, "--note", "{{ 7*7 }} AT&T <b>x</b>", "--out", str(tmp_path)])
    assert result.exit_code == 0
    pdf = pdf_text(tmp_path / "ua-100.21_president_es-MX_Ana-García.pdf")
    assert "{{ 7*7 }} AT&T <b>x</b>" in pdf


def test_edit_opens_the_editor_and_uses_what_is_saved(runner, app, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "p = sys.argv[1]\n"
        "t = open(p, encoding='utf-8').read()\n"
        "open(p, 'w', encoding='utf-8').write(t.replace('Le escribo', 'Hoy le escribo'))\n",
        encoding="utf-8",
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    out = tmp_path / "out"
    result = run(runner, app, [*COMPOSE, "--to", "president", "--edit", "--format", "txt",
                               "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / files_in(out)[0]).read_text(encoding="utf-8")
    assert "Hoy le escribo para expresarle" in text
    assert "# Edit the body" not in text


def test_edit_saved_empty_cancels(runner, app, tmp_path, monkeypatch):
    editor = tmp_path / "empty.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'w').write('# nothing\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    result = runner.invoke(app, [*COMPOSE, "--edit", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "empty" in result.stderr
    assert files_in(tmp_path / "out") == []


def test_cases_and_show(runner, app):
    result = run(runner, app, ["cases"])
    assert result.exit_code == 0
    assert "ua-100.21\tMass deportations must stop\tdeadline 2021-12-31\tlanguages: de, en, es, fr, pt" in result.output
    result = run(runner, app, ["show", "ua-100.21"])
    assert "[president] Andrés Manuel López Obrador — President of Mexico" in result.output
    for channel in ("Email: mexembusa@sre.gob.mx", "Phone: +1 202 728 1600", "Twitter: @EmbamexEUA",
                    "Twitter: @lopezobrador_", "06066 CIUDAD DE MÉXICO, CDMX"):
        assert channel in result.output
    data = json.loads(run(runner, app, ["show", "ua-100.21", "--json"]).output)
    assert data["targets"][1]["emails"] == ["mexembusa@sre.gob.mx"]
    assert data["deadline"] == "2021-12-31" and data["preferred_language"] == "es"


def test_messages_follow_the_environment_and_the_flag(runner, tmp_path, monkeypatch):
    from appeal.cli import create_app
    from appeal.i18n import language_from_environment, set_language

    assert language_from_environment({"LANG": "es_MX.UTF-8"}) == "es"
    assert language_from_environment({"LANGUAGE": "fr:es", "LANG": "en_US.UTF-8"}) == "es"
    assert language_from_environment({"LC_ALL": "C.UTF-8", "LANG": "es_ES"}) == "en"
    assert language_from_environment({}) == "en"
    set_language("es")
    result = runner.invoke(create_app(), ["compose", "ua-100.21", "--name", "A", "--to", "papa"])
    assert result.exit_code == 2
    assert "El caso ua-100.21 no tiene ningún destinatario «papa»." in result.stderr
    assert "Destinatarios disponibles" in result.stderr
    set_language("en")
    result = runner.invoke(create_app(), ["--ui-lang", "es", "compose", "ua-999", "--name", "A"])
    assert "Caso desconocido" in result.stderr


def test_help_is_translated(monkeypatch):
    import subprocess

    env = {**os.environ, "LANGUAGE": "es"}
    out = subprocess.run([sys.executable, "-m", "appeal", "compose", "--help"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert "Su nombre, tal como firma." in out
    out = subprocess.run([sys.executable, "-m", "appeal", "--ui-lang", "en", "compose", "--help"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert "Your name, as you sign." in out


def test_cases_flag_finds_a_users_case(runner, app, case_copy):
    result = run(runner, app, ["cases", "--cases", str(case_copy.parent)])
    assert "ua-100.21" in result.output


def test_compose_counts_each_letter_once_in_the_tally(runner, app, tmp_path):
    from appeal.ledger import Ledger

    args = [*COMPOSE, "--format", "txt", "--out", str(tmp_path)]
    assert "2 new actions counted" in run(runner, app, args).output
    assert "Already counted in your tally" in run(runner, app, [*args, "--force"]).output
    assert "counted" not in run(runner, app, [*args, "--force", "--note", "Hola.", "--no-record"]).output
    with Ledger() as ledger:
        totals = {(t.target_id, t.channel): t.count for t in ledger.totals("ua-100.21")}
    assert totals == {("president", "letter"): 1, ("ambassador", "letter"): 1}
