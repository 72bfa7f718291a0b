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


def test_plain_text_skips_the_markup_parser_and_breaks_the_same():
    """A signer's name or town is plain text: its paragraph is made without reportlab's markup
    parser, and must be the paragraph the parser makes."""
    from reportlab.platypus.paragraph import Paragraph

    family = fonts.register()
    texts = ["Ana García 12", "Łukasz Żółć", "Oaxaca, 1 de diciembre de 2026", "Zoë O'Brien",
             "x\u00a0y", "a  b", " lead", "tab\there", "Ἀθηνᾶ", "é" * 300,
             "Zoë &amp; Co", "a <b>bold</b> name"]
    skipped = 0
    for name, style in pdf._styles(family, 10.5).items():
        for text in texts:
            parsed, made = Paragraph(text, style), pdf._paragraph_class()(text, style)
            skipped += pdf._plain_frags(text, style) is not None
            assert [vars(f) for f in made.frags] == [vars(f) for f in parsed.frags], (name, text)
            assert made.text == parsed.text and made.style is parsed.style
            for width in (120.0, 458.3):
                assert made.wrap(width, 1e6) == parsed.wrap(width, 1e6)
                assert repr(made.blPara.lines) == repr(parsed.blPara.lines)
    assert skipped >= 6 * len(pdf._styles(family, 10.5))
