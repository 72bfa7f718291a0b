"""Read the rendered files back as a user's software would: pypdf, python-docx, plain text."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from pypdf import PdfReader

from appeal.api import AppealError, Edits, Options, Supporter, compose_letters
from appeal.render import render
from appeal.render.docx import render_docx
from appeal.render.pdf import render_pdf

from .conftest import FIXED_DATE, docx_paragraphs, pdf_text

HOSTILE = "AT&T <b>x</b> x<y y>z <img src=/etc/passwd> <para leading=1000>"


def compose(case, supporter=None, edits=Edits(), **options):
    options.setdefault("date", FIXED_DATE)
    supporter = supporter or Supporter("Ana García", city="Oaxaca", country="MX")
    return compose_letters(case, supporter, edits, Options(**options))


def tiny_png(width=40, height=12) -> bytes:
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_pdf_has_every_block_on_one_page_with_embedded_font(case, lang):
    for letter in compose(case, lang=lang):
        data = render_pdf(letter)
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        text = pdf_text(data)
        for line in (*letter.recipient, letter.date_line, letter.salutation, letter.closing):
            assert line in text
        assert "Ana García" in text
        fonts = reader.pages[0]["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            assert "FiraGO" in font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded
        meta = reader.metadata
        assert meta.title == letter.title and meta.author == "Ana García"
        assert reader.trailer["/Root"]["/Lang"] == letter.lang


def test_pdf_page_size_follows_paper(case):
    letter_size = compose(case)[0]
    a4 = compose(case, Supporter("Jana", country="DE"))[0]
    box = PdfReader(io.BytesIO(render_pdf(letter_size))).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    box = PdfReader(io.BytesIO(render_pdf(a4))).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_long_letter_still_fits_one_page_when_it_can(case):
    note = "Escribo desde Oaxaca, donde veo cada semana a familias migrantes. " * 6
    letter = compose(case, Supporter("Ana García", city="Oaxaca", country="MX",
                                     address="Calle Reforma 12\n68000 Oaxaca de Juárez",
                                     email="ana@example.org"), Edits(note=note))[0]
    assert len(PdfReader(io.BytesIO(render_pdf(letter))).pages) == 1


def test_hostile_text_is_literal_in_pdf_and_docx(case):
    letter = compose(case, Supporter("Ana <b>García</b> & Co"), Edits(note=HOSTILE))[0]
    data = render_pdf(letter)
    text = pdf_text(data)
    assert "AT&T <b>x</b> x<y y>z" in text
    assert "<img src=/etc/passwd>" in text
    assert "Ana <b>García</b> & Co" in text
    reader = PdfReader(io.BytesIO(data))
    assert "/XObject" not in reader.pages[0]["/Resources"]  # no image was embedded
    paragraphs = [p.text for p in docx_paragraphs(render_docx(letter))]
    assert HOSTILE in paragraphs
    assert "Ana <b>García</b> & Co" in paragraphs


def test_docx_structure_language_and_metadata(case):
    import docx
    from docx.oxml.ns import qn

    letter = compose(case)[0]
    document = docx.Document(io.BytesIO(render_docx(letter)))
    from .conftest import all_paragraphs

    texts = [(p.style.name, p.text) for p in all_paragraphs(document)]
    assert ("Appeal Date", "Oaxaca, 28 de noviembre de 2026") in texts
    assert ("Appeal Salutation", "Señor Presidente:") in texts
    assert ("Appeal Recipient", "06066 CIUDAD DE MÉXICO, CDMX") in texts
    assert ("Appeal Signature", "Ana García") in texts
    assert sum(1 for style, _ in texts if style == "Appeal Body") == len(letter.paragraphs)
    assert all("\n" not in t and "\x0b" not in t for _, t in texts)  # real paragraphs
    section = document.sections[0]
    assert round(section.page_width.mm) == 216 and round(section.page_height.mm) == 279
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "es-MX"
    assert document.styles["Normal"].font.name == "Calibri"
    props = document.core_properties
    assert props.title == letter.title and props.author == "Ana García"
    assert props.language == "es-MX"


def test_signature_image_in_both_formats(case):
    letter = compose(case, signature=tiny_png())[0]
    reader = PdfReader(io.BytesIO(render_pdf(letter)))
    assert len(reader.pages[0].images) == 1
    import docx

    document = docx.Document(io.BytesIO(render_docx(letter)))
    assert len(document.inline_shapes) == 1


def test_bad_signature_image_is_a_clear_error(case):
    with pytest.raises(AppealError, match="signature"):
        compose(case, signature=b"GIF89a not really")


@pytest.mark.parametrize("name", ["Łukasz Wróbel", "Ayşe Yılmaz", "Ольга Петрова", "Νίκος Παππάς"])
def test_pdf_font_draws_european_scripts(case, name):
    data = render_pdf(compose(case, Supporter(name))[0])
    assert name in pdf_text(data)


def test_characters_the_font_cannot_draw_are_an_error(case):
    letter = compose(case, Supporter("王小明"))[0]
    with pytest.raises(AppealError) as err:
        render_pdf(letter)
    assert err.value.message.startswith("sender:") and "U+738B" in err.value.message
    assert render(letter, "docx")  # DOCX is still possible


def test_text_rendering(case):
    text = render(compose(case)[0], "txt").decode("utf-8")
    assert text.startswith("Ana García\n\nOaxaca, 28 de noviembre de 2026\n\nSr. Andrés")
    assert "Atentamente,\n\n\nAna García\n" in text


def test_shared_paragraphs_draw_as_a_fresh_letter_would(case):
    """Letters reuse the drawn operators of paragraphs they share with earlier letters; names
    with other accents shift the codes of the shared text's characters, which must show."""
    from appeal.render import pdf

    names = ["Zoë Núñez", "Ana", "Łukasz Müller", "Ольга", "Zoë Núñez", "Ana"]
    letters = [compose(case, Supporter(name, city="Lyon", country="FR"))[0] for name in names]

    def stream(letter):
        return pdf.render_captured(pdf.layout_letter(letter))[1][0].content

    shared = [stream(letter) for letter in letters]
    fresh = []
    for letter in letters:
        pdf._PARAGRAPHS.clear()  # nothing parsed, broken or drawn before
        fresh.append(stream(letter))
    assert shared == fresh
    assert len(set(fresh)) == 4


def test_a_letter_that_needs_two_pages_keeps_every_word(case):
    note = " ".join(f"palabra{i}" for i in range(280))
    letter = compose(case, edits=Edits(note=note))[0]
    reader = PdfReader(io.BytesIO(render_pdf(letter)))
    assert len(reader.pages) == 2  # a paragraph split across the page break
    text = "".join(page.extract_text() for page in reader.pages)
    assert all(f"palabra{i}" in text for i in range(280))
    assert "Atentamente," in reader.pages[1].extract_text()
    # Page 2 carries the continuation header: recipient, date, 2/2; page 1 no mark.
    assert "1/2" not in reader.pages[0].extract_text()
    header = reader.pages[1].extract_text().split("\n")[:2]
    assert "Sr. Andrés Manuel López Obrador · Oaxaca, 28 de noviembre de 2026" in header[0]
    assert "2/2" in " ".join(header)


def test_one_page_letters_carry_no_page_number(case):
    import docx

    letter = compose(case)[0]
    assert "1/1" not in pdf_text(render_pdf(letter))
    document = docx.Document(io.BytesIO(render_docx(letter)))
    section = document.sections[0]
    assert section.different_first_page_header_footer  # page 1: empty header
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    instructions = [e.get(next(k for k in e.keys() if k.endswith("instr")))
                    for e in section.header._element.iter() if e.tag.endswith("fldSimple")]
    assert instructions == ["PAGE", "NUMPAGES"]  # "2/3" from page 2 on, computed by Word
    header = "".join(p.text for p in section.header.paragraphs)
    assert header.startswith("Sr. Andrés Manuel López Obrador · Oaxaca, 28 de noviembre de 2026")
