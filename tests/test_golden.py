"""Golden text renderings of the bundled case: any change to a letter's wording shows up in
review as a diff of tests/golden/*.txt. Regenerate with APPEAL_UPDATE_GOLDEN=1 after checking."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appeal.api import Options, Supporter, compose_letters
from appeal.render.text import render_text

from .conftest import FIXED_DATE

GOLDEN = Path(__file__).parent / "golden"
SUPPORTERS = {
    "es": Supporter("Ana García", city="Oaxaca", country="MX"),
    "en": Supporter("John Smith", city="Boston", country="US", address="12 Elm Street\nBoston, MA 02108"),
    "fr": Supporter("Camille Martin", city="Lyon", country="FR"),
    "de": Supporter("Jana Weber", city="Berlin", country="DE"),
    "pt": Supporter("João Souza", city="São Paulo", country="BR"),
}


@pytest.mark.parametrize("lang", ["es", "en", "fr", "de", "pt"])
@pytest.mark.parametrize("target", ["president", "ambassador"])
def test_letter_text_matches_golden(case, lang, target):
    [letter] = compose_letters(case, SUPPORTERS[lang],
                               options=Options(lang=lang, date=FIXED_DATE, targets=(target,)))
    text = render_text(letter)
    path = GOLDEN / f"ua-100.21_{target}_{lang}.txt"
    if os.environ.get("APPEAL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
