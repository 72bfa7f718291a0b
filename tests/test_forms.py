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
         "Je vous prie d’agréer, Madame l’Ambassadrice, l’expression de ma très haute considération."),
        ("de", "head_of_state", "male", None, "Sehr geehrter Herr Präsident,", "Mit freundlichen Grüßen"),
        ("de", "other", "female", "Weber", "Sehr geehrte Frau Weber,", "Mit freundlichen Grüßen"),
        ("pt", "head_of_state", "male", None, "Senhor Presidente,", "Respeitosamente,"),
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
