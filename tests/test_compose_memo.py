"""The sample letter is rendered once per target and language in a batch, not once per signer.

That holds only where it cannot change a letter: a template that reads the signer's fields
gives each signer their own text, one that draws random text is rendered every time, and an
edited template is read again."""

from __future__ import annotations

import datetime as dt

from appeal.api import Supporter, compose_letters
from appeal.cases import read_case
from appeal.compose import Options

OPTIONS = Options(date=dt.date(2026, 12, 1), targets=("president",))


def _body(loaded, name: str, city: str | None = None) -> tuple[str, ...]:
    (letter,) = compose_letters(loaded, Supporter(name, city=city), options=OPTIONS)
    return letter.paragraphs


def test_a_template_that_reads_the_signer_gives_each_their_own_text(case_copy):
    (case_copy / "letter.es.j2").write_text(
        "Le escribe {{ supporter.name }}, de {{ supporter.city or 'ninguna parte' }}.\n",
        encoding="utf-8")
    loaded = read_case(case_copy)
    assert _body(loaded, "Ana") == ("Le escribe Ana, de ninguna parte.",)
    assert _body(loaded, "Luis", "Oaxaca") == ("Le escribe Luis, de Oaxaca.",)
    assert _body(loaded, "Ana") == ("Le escribe Ana, de ninguna parte.",)


def test_a_template_with_random_text_is_rendered_for_every_letter(case_copy):
    (case_copy / "letter.es.j2").write_text(
        "{{ range(100) | random }} {{ range(100) | random }}\n", encoding="utf-8")
    loaded = read_case(case_copy)
    bodies = {_body(loaded, f"Persona {i}") for i in range(6)}
    assert len(bodies) > 1  # six draws of two numbers below 100: all equal once in 10^20


def test_an_edited_template_is_read_again(case_copy):
    template = case_copy / "letter.es.j2"
    template.write_text("Primera versión.\n", encoding="utf-8")
    loaded = read_case(case_copy)
    assert _body(loaded, "Ana") == ("Primera versión.",)
    template.write_text("Segunda versión, más larga.\n", encoding="utf-8")
    assert _body(loaded, "Luis") == ("Segunda versión, más larga.",)


def test_two_cases_with_the_same_target_keep_their_own_letters(case_copy, tmp_path):
    other = tmp_path / "other"
    import shutil

    shutil.copytree(case_copy, other)
    (case_copy / "letter.es.j2").write_text("Texto del primer caso.\n", encoding="utf-8")
    (other / "letter.es.j2").write_text("Texto del segundo caso.\n", encoding="utf-8")
    first, second = read_case(case_copy), read_case(other)
    assert _body(first, "Ana") == ("Texto del primer caso.",)
    assert _body(second, "Ana") == ("Texto del segundo caso.",)
    assert _body(first, "Luis") == ("Texto del primer caso.",)
