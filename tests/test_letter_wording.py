"""Wording decided once in the Letter: regional templates, closings by region, French
typography, the sender's country line, addresses without dangling punctuation."""

from __future__ import annotations

import io

import pytest

from appeal.api import Options, Supporter, compose_letters, render
from appeal.models import PostalAddress
from appeal.render.text import render_text

from .conftest import FIXED_DATE

NNBSP = "\u202f"


def one(case, supporter, lang, target="president", **options):
    [letter] = compose_letters(case, supporter, options=Options(
        lang=lang, date=FIXED_DATE, targets=(target,), **options))
    return letter


def test_en_gb_letter_uses_the_british_template_and_closing(case):
    gb = one(case, Supporter("Jo Bloggs", country="GB"), "en")
    us = one(case, Supporter("Jo Bloggs", country="US"), "en")
    assert gb.lang == "en-GB" and us.lang == "en-US"
    assert "individualised" in gb.paragraphs[0] and "centres" in gb.paragraphs[1]
    assert "individualized" in us.paragraphs[0] and "centers" in us.paragraphs[1]
    assert gb.closing == "Yours sincerely," and us.closing == "Sincerely,"


def test_regional_language_asked_for_explicitly(case):
    letter = one(case, Supporter("Jo Bloggs"), "en-GB")
    assert letter.lang == "en-GB" and "individualised" in letter.paragraphs[0]


def test_english_subject_has_one_colon(case):
    letter = one(case, Supporter("Jo", country="US"), "en")
    assert letter.subject == "Re: Mass deportations must stop (Urgent Action 100.21)"
    assert letter.title == "Mass deportations must stop (Urgent Action 100.21)"


def test_french_narrow_no_break_spaces_in_text_docx_and_pdf(case):
    from docx import Document
    from pypdf import PdfReader

    letter = one(case, Supporter("Camille Martin", country="FR"), "fr")
    assert letter.subject.startswith("Objet" + NNBSP + ":")
    assert " :" not in render_text(letter) and " ;" not in render_text(letter)
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(render(letter, "docx"))).paragraphs)
    assert "Objet" + NNBSP + ":" in docx_text
    # FiraGO has no U+202F glyph: the PDF draws a no-break space at 70 % size (7.7 pt in
    # 11 pt text), narrower than a word space, never a line break.
    page = PdfReader(io.BytesIO(render(letter, "pdf"))).pages[0]
    assert "Objet :" in page.extract_text()
    assert b" 7.7 Tf" in page.get_contents().get_data()


def test_french_spacing_rules():
    from appeal.typography import french_spacing

    assert french_spacing("Objet : « Non » ; vraiment ? Oui! 10:30 https://x.org") == (
        f"Objet{NNBSP}: «{NNBSP}Non{NNBSP}» ;".replace(" ;", NNBSP + ";")
        + f" vraiment{NNBSP}? Oui{NNBSP}! 10:30 https://x.org")
    assert french_spacing("«Non»") == f"«{NNBSP}Non{NNBSP}»"


@pytest.mark.parametrize("lang", ["es", "fr", "de", "pt", "en"])
def test_sender_country_line_only_on_cross_border_letters(case, lang):
    abroad = one(case, Supporter("Ana", country="ES", address="Calle Mayor 1\n28013 Madrid"), lang)
    home = one(case, Supporter("Ana", country="MX", address="Calle 5\n68000 Oaxaca"), lang)
    assert abroad.sender[-1] == "ESPAÑA"  # the sender's post office reads it
    assert home.sender[-1] == "68000 Oaxaca"


def test_spanish_wording_fixes(case):
    text = " ".join(one(case, Supporter("Ana", country="MX"), "es", "ambassador").paragraphs)
    assert "mi llamado" in text and "llamamiento" not in text
    assert "ninguna niña, ningún niño ni ningún adolescente sea privado de la libertad" in text
    assert "sin permitir que quienes necesitan protección puedan acceder a ella" in text


def test_portuguese_wording_fix(case):
    letter = one(case, Supporter("João", country="BR"), "pt")
    assert "as pessoas que precisam de proteção tenham acesso a ela" in letter.paragraphs[0]
    assert letter.salutation == "Excelentíssimo Senhor Presidente,"


@pytest.mark.parametrize("country, city, postal, region, expected", [
    ("MX", "Ciudad de México", "06066", None, "06066 CIUDAD DE MÉXICO"),
    ("US", "Boston", "02108", None, "BOSTON 02108"),
    ("BR", "Brasília", "70000-000", None, "BRASÍLIA"),
    ("US", "Boston", "02108", "MA", "BOSTON, MA 02108"),
])
def test_empty_address_parts_leave_no_punctuation(country, city, postal, region, expected):
    from appeal.addresses import format_address

    lines = format_address(PostalAddress(lines=["1 Main St"], city=city, postal_code=postal,
                                         region=region, country=country), country, "en")
    assert expected in lines
    for line in lines:
        assert not line.endswith((",", "-", ";", "/")) and not line.startswith((",", "-"))
