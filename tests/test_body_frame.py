"""A --body-file written whole (salutation … closing, name) is not framed twice."""

from __future__ import annotations

from appeal.api import Edits, Options, Supporter, compose_letters

from .conftest import FIXED_DATE


def _letter(case, body, lang="es", name="Ana García"):
    return compose_letters(case, Supporter(name), Edits(body=body),
                           Options(lang=lang, date=FIXED_DATE, targets=("president",)))[0]


def test_salutation_closing_and_name_are_left_out(case):
    letter = _letter(case, "Señor Presidente:\n\nLe escribo por las deportaciones.\n\n"
                           "Atentamente,\nAna García")
    assert letter.paragraphs == ("Le escribo por las deportaciones.",)
    assert letter.trimmed == ("Señor Presidente:", "Atentamente, Ana García")
    assert letter.salutation == "Señor Presidente:" and letter.closing == "Atentamente,"


def test_a_salutation_on_the_first_line_of_a_paragraph(case):
    letter = _letter(case, "Excelencia: le escribo hoy.\n\nAtentamente,\n\nAna García")
    assert letter.paragraphs == ("Le escribo hoy.",)
    assert letter.trimmed == ("Excelencia:", "Atentamente,", "Ana García")


def test_english_forms(case):
    letter = _letter(case, "Dear President López Obrador,\n\nI write.\n\nYours sincerely,\nAna",
                     lang="en", name="Ana")
    assert letter.paragraphs == ("I write.",)
    assert letter.trimmed == ("Dear President López Obrador,", "Yours sincerely, Ana")


def test_a_body_without_a_frame_is_kept_whole(case):
    body = "Señor, su gobierno debe actuar.\n\nLe escribo desde Oaxaca.\n\nAna García"
    letter = _letter(case, body)
    assert letter.paragraphs == ("Señor, su gobierno debe actuar.", "Le escribo desde Oaxaca.",
                                 "Ana García")
    assert letter.trimmed == ()


def test_the_command_says_what_it_left_out(runner, app, tmp_path):
    body = tmp_path / "body.txt"
    body.write_text("Señor Presidente:\n\nLe escribo.\n\nAtentamente,\nAna", encoding="utf-8")
    result = runner.invoke(app, ["compose", "ua-100.21", "--name", "Ana", "--to", "president",
                                 "--body-file", str(body), "--format", "txt", "--no-record",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert ("left out of your --body-file: Señor Presidente: / Atentamente, Ana"
            in result.output)
    text = next((tmp_path / "out").glob("*.txt")).read_text(encoding="utf-8")
    assert text.count("Señor Presidente:") == 1 and text.count("Atentamente,") == 1
