"""What goes into a letter: language, forms of address, dateline, addresses, paper, edits."""

from __future__ import annotations

import pytest

from appeal.api import AppealError, Edits, Options, Supporter, UsageError, compose_letters
from appeal.render.text import render_text

from .conftest import FIXED_DATE

ANA = Supporter("Ana García", city="Oaxaca", country="MX")


def letters(case, supporter=ANA, edits=Edits(), **options):
    options.setdefault("date", FIXED_DATE)
    return {l.target_id: l for l in compose_letters(case, supporter, edits, Options(**options))}


def test_spanish_by_default_with_formal_framing(case):
    president = letters(case)["president"]
    assert president.lang == "es-MX"
    assert president.date_line == "Oaxaca, 28 de noviembre de 2026"
    assert president.salutation == "Señor Presidente:"
    assert president.closing == "Atentamente,"
    assert president.subject.startswith("Asunto: Deben cesar las deportaciones masivas")
    assert "100.21" in president.subject
    assert president.recipient[0] == "Sr. Andrés Manuel López Obrador"
    assert "Presidente de los Estados Unidos Mexicanos" in president.recipient
    assert president.signature_name == "Ana García"
    assert president.paragraphs[0].startswith("Le escribo para expresarle")


def test_ambassador_is_asked_to_convey_not_to_act(case):
    both = letters(case)
    assert both["ambassador"].salutation == "Señor Embajador:"
    assert "transmita a las autoridades de su país" in both["ambassador"].paragraphs[-1]
    assert "le pido respetuosamente que garantice" in both["president"].paragraphs[-1]
    en = letters(case, lang="en")
    assert en["ambassador"].salutation == "Dear Ambassador Moctezuma,"
    assert "convey to your government" in en["ambassador"].paragraphs[-1]
    assert en["president"].paragraphs[-1].startswith("I call upon you")


def test_english_uses_the_uas_own_salutation(case):
    en = letters(case, Supporter("John Smith", city="Boston", country="US"), lang="en")
    assert en["president"].salutation == "Dear President López Obrador,"
    assert en["president"].closing == "Sincerely,"  # an American writes
    assert en["president"].date_line == "Boston, November 28, 2026"
    assert en["president"].lang == "en-US"


def test_country_line_only_when_mail_crosses_a_border(case):
    mx = letters(case)  # supporter in Mexico
    assert "ESTADOS UNIDOS" == mx["ambassador"].recipient[-1]
    assert mx["president"].recipient[-1] == "06066 CIUDAD DE MÉXICO, CDMX"
    us = letters(case, Supporter("John Smith", country="US"), lang="en")
    assert us["ambassador"].recipient[-1] == "WASHINGTON, DC 20006"  # domestic: no country
    assert us["president"].recipient[-1] == "MEXICO"
    de = letters(case, Supporter("Jana Nowak", country="DE"))
    assert de["president"].recipient[-1] == "MEXIKO"  # read by the German post office


def test_paper_follows_the_supporters_country(case):
    assert letters(case)["president"].paper == "letter"  # Mexico uses US Letter
    assert letters(case, Supporter("X", country="CA"))["president"].paper == "letter"
    assert letters(case, Supporter("X", country="ES"))["president"].paper == "a4"
    assert letters(case, Supporter("X"))["president"].paper == "a4"
    assert letters(case, Supporter("X", country="ES"), paper="letter")["president"].paper == "letter"
    with pytest.raises(UsageError, match="paper"):
        letters(case, paper="folio")


def test_without_city_the_dateline_is_the_date(case):
    assert letters(case, Supporter("Ana"))["president"].date_line == "28 de noviembre de 2026"


def test_note_is_added_as_the_supporters_own_paragraphs(case):
    note = "Soy maestra en Oaxaca.\r\nMis alumnos migrantes merecen protección.\r\n\r\nGracias."
    president = letters(case, edits=Edits(note=note))["president"]
    assert president.paragraphs[-2:] == (
        "Soy maestra en Oaxaca. Mis alumnos migrantes merecen protección.",
        "Gracias.",
    )


def test_body_replaces_the_sample_letter(case):
    president = letters(case, edits=Edits(body="Primer párrafo.\n\nSegundo párrafo."))["president"]
    assert president.paragraphs == ("Primer párrafo.", "Segundo párrafo.")
    assert president.salutation == "Señor Presidente:"


def test_user_text_is_never_template_code(case):
    president = letters(case, Supporter("{{ 7*7 }}"), edits=Edits(note="{{ 7*7 }} {% if %}"))["president"]
    assert president.signature_name == "{{ 7*7 }}"
    assert president.paragraphs[-1] == "{{ 7*7 }} {% if %}"
    assert "49" not in render_text(president)


def test_target_selection_and_unknown_target(case):
    assert list(letters(case, targets=("ambassador",))) == ["ambassador"]
    with pytest.raises(UsageError) as err:
        letters(case, targets=("governor",))
    assert "president, ambassador" in err.value.hint


def test_unknown_language_lists_the_available_ones(case):
    with pytest.raises(UsageError) as err:
        letters(case, lang="ja")
    assert "de, en, es, fr, pt" in err.value.hint
    assert letters(case, lang="es-MX")["president"].salutation == "Señor Presidente:"


@pytest.mark.parametrize(
    "country, message",
    [("Mexico", "two-letter"), ("XX", "unknown country"), ("1A", "two-letter")],
)
def test_bad_country_codes(case, country, message):
    with pytest.raises(AppealError, match=message):
        letters(case, Supporter("Ana", country=country))


def test_lowercase_country_code_is_accepted(case):
    assert letters(case, Supporter("Ana", country="mx"))["president"].paper == "letter"


def test_sender_block_has_address_and_email(case):
    s = Supporter("Ana García", address="Calle Reforma 12\n68000 Oaxaca", email="ana@example.org")
    assert letters(case, s)["president"].sender == (
        "Ana García", "Calle Reforma 12", "68000 Oaxaca", "ana@example.org"
    )
    with pytest.raises(AppealError, match="email"):
        letters(case, Supporter("Ana", email="not-an-address"))
