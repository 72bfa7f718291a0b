"""Forms of address come from the per-language table, by role and gender."""

from __future__ import annotations

import pytest

from appeal import forms
from appeal.models import Target


def target(role, gender, surname=None, **kw):
    return Target(id="t", name="X " + (surname or "Y"), surname=surname, role=role,
                  gender=gender, **kw)


@pytest.mark.parametrize(
    "lang, role, gender, surname, salutation, closing",
    [
        ("es", "head_of_state", "male", None, "Señor Presidente:", "Atentamente,"),
        ("es", "head_of_state", "female", None, "Señora Presidenta:", "Atentamente,"),
        ("es", "ambassador", "male", None, "Señor Embajador:", "Atentamente,"),
        ("es", "minister", "female", None, "Señora Ministra:", "Atentamente,"),
        ("en", "head_of_state", "male", "López", "Dear President López,", "Yours sincerely,"),
        ("en", "head_of_state", "female", None, "Dear Madam President,", "Yours sincerely,"),
        ("en", "other", "unknown", None, "Dear Sir or Madam,", "Yours sincerely,"),
        ("fr", "head_of_state", "male", None, "Monsieur le Président,",
         "Je vous prie d’agréer, Monsieur le Président, l’expression de ma très haute considération."),
        ("fr", "ambassador", "female", None, "Madame l’Ambassadrice,",
         "Je vous prie d’agréer, Madame l’Ambassadrice, l’expression de ma haute considération."),
        ("fr", "minister", "male", None, "Monsieur le Ministre,",
         "Je vous prie d’agréer, Monsieur le Ministre, l’expression de ma haute considération."),
        ("fr", "head_of_state", "female", None, "Madame la Présidente,",
         "Je vous prie d’agréer, Madame la Présidente, l’expression de ma très haute considération."),
        ("fr", "king", "male", None, "Sire,",
         "Je prie Votre Majesté d’agréer l’expression de ma très haute considération."),
        ("de", "head_of_state", "male", None, "Sehr geehrter Herr Präsident,", "Mit vorzüglicher Hochachtung"),
        ("de", "head_of_state", "female", None, "Sehr geehrte Frau Präsidentin,", "Mit vorzüglicher Hochachtung"),
        ("de", "ambassador", "male", None, "Sehr geehrter Herr Botschafter,", "Mit freundlichen Grüßen"),
        ("de", "judge", "female", None, "Sehr geehrte Frau Richterin,", "Mit freundlichen Grüßen"),
        ("de", "other", "female", "Weber", "Sehr geehrte Frau Weber,", "Mit freundlichen Grüßen"),
        ("pt", "head_of_state", "male", None, "Excelentíssimo Senhor Presidente,", "Respeitosamente,"),
        ("pt", "head_of_state", "female", None, "Excelentíssima Senhora Presidenta,", "Respeitosamente,"),
        ("pt", "ambassador", "male", None, "Senhor Embaixador,", "Respeitosamente,"),
        ("es", "judge", "female", None, "Señora Jueza:", "Atentamente,"),
        ("es", "king", "male", None, "Majestad:", "Atentamente,"),
        ("en", "judge", "male", "Ruiz", "Dear Judge Ruiz,", "Yours sincerely,"),
        ("it", "head_of_state", "male", None, "Signor Presidente,", "Con osservanza,"),
    ],
)
def test_salutation_and_closing(lang, role, gender, surname, salutation, closing):
    t = target(role, gender, surname)
    assert forms.salutation(t, lang) == salutation
    assert forms.closing(t, lang) == closing


def test_salutation_given_by_the_ua_wins():
    t = target("head_of_state", "male", "López", salutation={"en": "Dear Mr President"})
    assert forms.salutation(t, "en") == "Dear Mr President,"
    assert forms.salutation(t, "es") == "Señor Presidente:"


def test_every_language_covers_every_role_and_gender():
    from appeal.models import Gender, Role

    for lang in forms.framing_languages():
        frame = forms.framing(lang)
        for key in ("salutation_end", "place_date", "reference", "reference_label", "closing"):
            assert key in frame, (lang, key)
        for role in Role:
            for gender in Gender:
                assert frame["salutation"][role.value][gender.value], (lang, role, gender)


@pytest.mark.parametrize("locale, closing", [
    ("en-US", "Sincerely,"), ("en-GB", "Yours sincerely,"), ("en-MX", "Yours sincerely,"),
    ("en", "Yours sincerely,"),
])
def test_english_closing_follows_the_region(locale, closing):
    assert forms.closing(target("head_of_state", "male", "López"), "en", locale=locale) == closing


def test_every_language_role_and_gender_has_a_salutation_and_a_closing():
    """The whole table: language x role x gender, each a finished salutation and closing."""
    from appeal.models import Gender, Role

    for lang in forms.framing_languages():
        for role in Role:
            for gender in Gender:
                for surname in (None, "Ruiz"):
                    t = target(role.value, gender.value, surname)
                    salutation = forms.salutation(t, lang)
                    closing = forms.closing(t, lang, locale=lang + "-US")
                    assert salutation.strip(" ,:") and "{" not in salutation, (lang, role, gender)
                    assert closing.strip() and "{" not in closing, (lang, role, gender)
                    assert "  " not in salutation + closing, (lang, role, gender)


def test_the_table_says_where_protocol_differs_by_role():
    frame = forms.framing("fr")["closing"]
    assert set(frame["role"]) >= {"head_of_state", "king"}
    assert "très" not in frame["default"]
    assert set(forms.framing("de")["closing"]["role"]) == {"head_of_state", "king"}
