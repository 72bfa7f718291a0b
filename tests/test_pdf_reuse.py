"""Letters drawn one after another share work (paragraphs, runs of paragraphs, markup), and
that never shows: each letter's PDF is byte for byte the one it gets when drawn first, in
a process that drew nothing before, whatever other signers' characters did to the subsets."""

from __future__ import annotations

import datetime as dt

from appeal.api import Supporter, compose_letters
from appeal.compose import Options
from appeal import fonts
from appeal.render import pdf

from .conftest import pdf_text

# Same city and paper (so the same runs of shared paragraphs), different characters.
SIGNERS = [Supporter("Ana García", city="Oaxaca", country="MX"),
           Supporter("Łukasz Żółć", city="Oaxaca", country="MX"),
           Supporter("Zoë Ærø", city="Oaxaca", country="MX"),
           Supporter("Ana María", city="Oaxaca", country="MX"),
           Supporter("Wei Smith", city="Austin", country="US"),
           Supporter("Ἀθηνᾶ Παλλάς", city="Lyon", country="FR")]


def _forget() -> None:
    pdf._PARAGRAPHS.clear()
    pdf._RUNS.clear()
    pdf._STORIES.clear()
    pdf._markup.cache_clear()
    fonts._SEEDED.clear()


def test_each_letter_is_drawn_as_if_it_were_the_first(case):
    options = Options(date=dt.date(2026, 12, 1))
    letters = [letter for who in SIGNERS for letter in compose_letters(case, who, options=options)]
    first = {}
    for n, letter in enumerate(letters):
        _forget()
        first[n] = pdf.render_pdf(letter)
    _forget()
    for order in (range(len(letters)), reversed(range(len(letters))), range(len(letters))):
        for n in order:
            assert pdf.render_pdf(letters[n]) == first[n], (n, letters[n].signature_name)
    assert pdf._RUNS  # runs were shared, so this compared copied runs with fresh drawings
    for n, letter in enumerate(letters):
        text = pdf_text(first[n])
        assert letter.signature_name in text and letter.salutation in text
